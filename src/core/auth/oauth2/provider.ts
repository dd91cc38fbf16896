import { createHash } from "node:crypto";
import type { OAuth2ProviderConfig } from "../../collections/collection-types.ts";
import type { AuthUser, OAuth2Token } from "./auth-user.ts";
import { str } from "./auth-user.ts";
import { randomString } from "../../../tools/security.ts";
import { formatDate } from "../../../tools/dates.ts";

/** The user fields a provider mapping extracts (raw values; they are turned into strings). */
export type MappedUser = { [K in "id" | "name" | "username" | "email" | "avatarURL"]?: unknown };

/** What a provider family contributes on top of the generic OAuth2 code flow. */
export interface ProviderDefinition {
  /** The provider key used in collection options and API calls. */
  name: string;
  displayName: string;
  /** The background colour of its logo. */
  color: string;
  authURL: string;
  tokenURL: string;
  userInfoURL: string;
  scopes: string[];
  /** Whether PKCE is used unless the collection config says otherwise. */
  pkce: boolean;
  /** Extra query parameters of the authorization URL. */
  authParams?: { [k: string]: string };
  /** How the token request is encoded (default form). */
  tokenBody?: "form" | "json";
  /** Where the client credentials go in the token request (default in the body). */
  tokenAuth?: "body" | "basic";
  /** Fetches the raw user; the default GETs `userInfoURL` with the access token. */
  fetchRawUser?: (p: OAuth2Provider, token: OAuth2Token) => Promise<{ [k: string]: unknown }>;
  /** Extra headers of the user info request. */
  userInfoHeaders?: (p: OAuth2Provider) => { [k: string]: string };
  /** The `Authorization` scheme of API calls (default `Bearer`). */
  authScheme?: string;
  /** Turns the raw user into the normalised fields (may call the provider's API again). */
  mapUser: (raw: { [k: string]: unknown }, p: OAuth2Provider, token: OAuth2Token) => MappedUser | Promise<MappedUser>;
}

/** A PKCE verifier and its S256 challenge. */
export function newPKCE(): { codeVerifier: string; codeChallenge: string } {
  const codeVerifier = randomString(43);
  const codeChallenge = createHash("sha256").update(codeVerifier).digest("base64url");
  return { codeVerifier, codeChallenge };
}

/**
 * An OAuth2 client for one configured provider of an auth collection: the definition's defaults
 * overlaid with the collection's `clientId`, `clientSecret`, URL overrides, `pkce` and `extra`.
 */
export class OAuth2Provider {
  readonly name: string;
  readonly displayName: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly authURL: string;
  readonly tokenURL: string;
  readonly userInfoURL: string;
  readonly pkce: boolean;
  readonly scopes: string[];
  readonly extra: { [k: string]: unknown };

  constructor(readonly definition: ProviderDefinition, config: OAuth2ProviderConfig) {
    this.name = config.name;
    this.displayName = config.displayName || definition.displayName;
    this.clientId = config.clientId ?? "";
    this.clientSecret = config.clientSecret ?? "";
    this.authURL = config.authURL || definition.authURL;
    this.tokenURL = config.tokenURL || definition.tokenURL;
    this.userInfoURL = config.userInfoURL || definition.userInfoURL;
    this.pkce = typeof config.pkce === "boolean" ? config.pkce : definition.pkce;
    this.scopes = [...definition.scopes];
    this.extra = (config.extra as { [k: string]: unknown } | null) ?? {};
  }

  /**
   * The authorization URL without its redirect: the query is sorted by key (as Go encodes it) and
   * ends with `&redirect_uri=`, so the SDK can append its own redirect URL.
   */
  buildAuthURL(state: string, codeChallenge = ""): string {
    const params: { [k: string]: string } = { client_id: this.clientId, response_type: "code", state, ...this.definition.authParams };
    if (this.scopes.length > 0) params.scope = this.scopes.join(" ");
    if (codeChallenge) {
      params.code_challenge = codeChallenge;
      params.code_challenge_method = "S256";
    }
    const q = Object.keys(params)
      .sort()
      .map((k) => `${encodeQuery(k)}=${encodeQuery(params[k]!)}`)
      .join("&");
    return `${this.authURL}${this.authURL.includes("?") ? "&" : "?"}${q}&redirect_uri=`;
  }

  /** Exchanges an authorization code for tokens. Throws with the provider's reason on failure. */
  async fetchToken(code: string, redirectURL: string, codeVerifier: string): Promise<OAuth2Token> {
    const d = this.definition;
    const body: { [k: string]: string } = { grant_type: "authorization_code", code, redirect_uri: redirectURL };
    if (this.pkce && codeVerifier) body.code_verifier = codeVerifier;
    const headers: { [k: string]: string } = { accept: "application/json" };
    if (d.tokenAuth === "basic") {
      headers.authorization = "Basic " + Buffer.from(`${encodeURIComponent(this.clientId)}:${encodeURIComponent(this.clientSecret)}`).toString("base64");
    } else {
      body.client_id = this.clientId;
      body.client_secret = this.clientSecret;
    }
    let payload: string;
    if (d.tokenBody === "json") {
      headers["content-type"] = "application/json";
      payload = JSON.stringify(body);
    } else {
      headers["content-type"] = "application/x-www-form-urlencoded";
      payload = new URLSearchParams(body).toString();
    }
    const res = await fetch(this.tokenURL, { method: "POST", headers, body: payload, signal: AbortSignal.timeout(30_000) });
    const text = await res.text();
    const raw = parseTokenBody(text, res.headers.get("content-type") ?? "");
    const accessToken = str(raw.access_token);
    if (!res.ok || !accessToken) {
      throw new Error(`token endpoint answered ${res.status}: ${str(raw.error_description) || str(raw.error) || text.slice(0, 200)}`);
    }
    const expiresIn = Number(raw.expires_in ?? 0);
    return {
      accessToken,
      refreshToken: str(raw.refresh_token),
      tokenType: str(raw.token_type) || "Bearer",
      expiresAt: Number.isFinite(expiresIn) && expiresIn > 0 ? Date.now() + expiresIn * 1000 : 0,
      idToken: str(raw.id_token),
      raw,
    };
  }

  /** A JSON API call with the access token (GET unless `init` says otherwise). */
  async fetchJSON(url: string, token: OAuth2Token, init: { method?: string; body?: string; headers?: { [k: string]: string } } = {}): Promise<unknown> {
    const headers: { [k: string]: string } = {
      accept: "application/json",
      authorization: `${this.definition.authScheme ?? "Bearer"} ${token.accessToken}`,
      ...this.definition.userInfoHeaders?.(this),
      ...init.headers,
    };
    const res = await fetch(url, { method: init.method ?? "GET", headers, body: init.body, signal: AbortSignal.timeout(30_000) });
    const text = await res.text();
    if (!res.ok) throw new Error(`${url} answered ${res.status}: ${text.slice(0, 200)}`);
    return JSON.parse(text);
  }

  /** The provider's user JSON. */
  async fetchRawUser(token: OAuth2Token): Promise<{ [k: string]: unknown }> {
    if (this.definition.fetchRawUser) return this.definition.fetchRawUser(this, token);
    const data = await this.fetchJSON(this.userInfoURL, token);
    if (!data || typeof data !== "object" || Array.isArray(data)) throw new Error("the user info response is not a JSON object");
    return data as { [k: string]: unknown };
  }

  /** The normalised user for a token. Throws when the provider gives no user id. */
  async fetchAuthUser(token: OAuth2Token): Promise<AuthUser> {
    const rawUser = await this.fetchRawUser(token);
    const mapped = await this.definition.mapUser(rawUser, this, token);
    const user: AuthUser = {
      id: str(mapped.id),
      name: str(mapped.name),
      username: str(mapped.username),
      email: str(mapped.email),
      avatarURL: str(mapped.avatarURL),
      accessToken: token.accessToken,
      refreshToken: token.refreshToken,
      expiry: token.expiresAt ? formatDate(new Date(token.expiresAt)) : "",
      rawUser,
    };
    if (!user.id) throw new Error("the provider returned no user id");
    return user;
  }
}

/** Query encoding as Go's `url.Values` does it (spaces as `+`). */
function encodeQuery(s: string): string {
  return encodeURIComponent(s).replace(/%20/g, "+").replace(/[!'()*]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase());
}

function parseTokenBody(text: string, contentType: string): { [k: string]: unknown } {
  const t = text.trim();
  if (contentType.includes("json") || t.startsWith("{")) {
    try {
      const v = JSON.parse(t) as unknown;
      if (v && typeof v === "object" && !Array.isArray(v)) return v as { [k: string]: unknown };
    } catch {
      // fall through to the form encoding
    }
  }
  return Object.fromEntries(new URLSearchParams(t));
}
