import type { Router } from "../router.ts";
import type { App } from "../../core/app.ts";
import type { Collection } from "../../core/collections/collection.ts";
import { newProviderClient } from "../../core/auth/oauth2/provider-table.ts";
import { newPKCE } from "../../core/auth/oauth2/provider.ts";
import { providerLogo } from "../../core/auth/oauth2/logos.ts";
import { randomString } from "../../tools/security.ts";
import { authCollection } from "./record-auth-password.ts";

/** One OAuth2 provider as `auth-methods` lists it. */
export interface AuthMethodProvider {
  name: string;
  displayName: string;
  state: string;
  authURL: string;
  codeVerifier: string;
  codeChallenge: string;
  codeChallengeMethod: string;
  logo: string;
  /** Legacy alias of `authURL`. */
  authUrl: string;
}

/**
 * The OAuth2 providers of a collection with a fresh state and PKCE pair each. Providers that
 * are unknown or lack endpoints are left out (and logged).
 */
export function listOAuth2Providers(c: Collection): AuthMethodProvider[] {
  const out: AuthMethodProvider[] = [];
  if (!c.oauth2?.enabled) return out;
  for (const cfg of c.oauth2.providers ?? []) {
    let client;
    try {
      client = newProviderClient(cfg);
    } catch (err) {
      console.warn(`auth-methods: skipping OAuth2 provider "${cfg.name}" of "${c.name}": ${err instanceof Error ? err.message : err}`);
      continue;
    }
    const state = randomString(30);
    const pkce = client.pkce ? newPKCE() : null;
    const authURL = client.buildAuthURL(state, pkce?.codeChallenge ?? "");
    out.push({
      name: client.name,
      displayName: client.displayName,
      state,
      authURL,
      codeVerifier: pkce?.codeVerifier ?? "",
      codeChallenge: pkce?.codeChallenge ?? "",
      codeChallengeMethod: pkce ? "S256" : "",
      logo: providerLogo(client.definition),
      authUrl: authURL,
    });
  }
  return out;
}

/** `GET /api/collections/{collection}/auth-methods` (PocketBase's `record_auth_methods.go`). */
export function registerRecordAuthMethodsRoutes(router: Router, _app: App): void {
  router.add("GET", "/api/collections/{collection}/auth-methods", (e) => {
    const c = authCollection(e);
    const pw = c.passwordAuth;
    const passwordEnabled = !!pw?.enabled;
    const identityFields = passwordEnabled ? [...(pw?.identityFields ?? [])] : [];
    const providers = listOAuth2Providers(c);
    const oauth2Enabled = !!c.oauth2?.enabled;
    e.json(200, {
      password: { enabled: passwordEnabled, identityFields },
      oauth2: { enabled: oauth2Enabled, providers },
      mfa: { enabled: !!c.mfa?.enabled, duration: c.mfa?.enabled ? c.mfa.duration : 0 },
      otp: { enabled: !!c.otp?.enabled, duration: c.otp?.enabled ? c.otp.duration : 0 },
      // legacy (pre v0.23) keys; the SDK drops them with `fields`
      authProviders: oauth2Enabled ? providers : null,
      usernamePassword: passwordEnabled && identityFields.includes("username"),
      emailPassword: passwordEnabled && identityFields.includes("email"),
    });
  });
}
