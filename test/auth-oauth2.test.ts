import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createHash, generateKeyPairSync, verify } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type PocketBase from "pocketbase";
import { EventSource } from "eventsource";
import { startTestServer, type TestServer } from "./helpers/test-server.ts";
import { authorize, startOidcProvider, type OidcProvider } from "./helpers/oidc-provider.ts";
import { gradientPng } from "./helpers/test-images.ts";
import { PROVIDERS } from "../src/core/auth/oauth2/provider-table.ts";
import { apiError } from "./helpers/api-error.ts";

let ts: TestServer;
let su: PocketBase;
let idp: OidcProvider;
let images: ReturnType<typeof Bun.serve>;
/** What the provider's user info endpoint answers next. */
let userinfo: { [k: string]: unknown } = {};
let userinfoStatus = 200;
let lastUserinfoRequest: IncomingMessage | null = null;
let lastTokenRequest: IncomingMessage | null = null;
/** Claims merged into the next tokens, and fields added to the token response. */
let tokenClaims: { [k: string]: unknown } = {};
let tokenExtra: { [k: string]: unknown } = {};

const REDIRECT = "http://app.example.test/oauth2-callback";

/** Runs the code flow for a provider of a collection and exchanges the code through the SDK. */
async function signIn(pb: PocketBase, collection: string, provider: string, createData?: { [k: string]: unknown }) {
  const methods = await pb.collection(collection).listAuthMethods();
  const p = methods.oauth2.providers.find((x) => x.name === provider);
  if (!p) throw new Error(`provider ${provider} is not listed`);
  const { code } = await authorize(p.authURL, REDIRECT);
  return pb.collection(collection).authWithOAuth2Code(provider, code, p.codeVerifier, REDIRECT, createData);
}

function providerConfig(name: string, extra: { [k: string]: unknown } = {}) {
  return { name, clientId: `client-${name}`, clientSecret: "secret", authURL: `${idp.url}/authorize`, tokenURL: `${idp.url}/token`, userInfoURL: `${idp.url}/userinfo`, ...extra };
}

beforeAll(async () => {
  idp = await startOidcProvider();
  idp.server.service.on("beforeUserinfo", (res: { body: unknown; statusCode: number }, req: IncomingMessage) => {
    lastUserinfoRequest = req;
    res.body = userinfo;
    res.statusCode = userinfoStatus;
  });
  idp.server.service.on("beforeIntrospect", (res: { body: unknown; statusCode: number }, req: IncomingMessage) => {
    lastUserinfoRequest = req;
    res.body = userinfo;
  });
  idp.server.service.on("beforeTokenSigning", (token: { payload: { [k: string]: unknown } }, req: IncomingMessage) => {
    lastTokenRequest = req;
    Object.assign(token.payload, tokenClaims);
  });
  idp.server.service.on("beforeResponse", (res: { body: { [k: string]: unknown } }) => {
    Object.assign(res.body, tokenExtra);
  });
  const png = gradientPng(8, 8);
  images = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response(png, { headers: { "content-type": "image/png" } }) });
  ts = await startTestServer();
  su = await ts.superuser();
  await su.collections.update("users", {
    oauth2: {
      enabled: true,
      providers: [providerConfig("oidc"), providerConfig("oidc2", { userInfoURL: "", extra: { jwksURL: `${idp.url}/jwks`, issuers: [idp.url] } })],
    },
  });
});
afterAll(async () => {
  await ts.stop();
  await idp.stop();
  images.stop(true);
});

describe("auth-methods", () => {
  test("each provider has a state, PKCE pair and an authURL ending with &redirect_uri=", async () => {
    const m = await ts.client().collection("users").listAuthMethods();
    expect(m.oauth2.enabled).toBe(true);
    const p = m.oauth2.providers[0]!;
    expect(p.name).toBe("oidc");
    expect(p.displayName).toBe("OpenID Connect");
    expect(p.state).toHaveLength(30);
    expect(p.codeVerifier).toHaveLength(43);
    expect(p.codeChallenge).toBe(createHash("sha256").update(p.codeVerifier).digest("base64url"));
    expect(p.codeChallengeMethod).toBe("S256");
    expect(p.authURL.endsWith("&redirect_uri=")).toBe(true);
    const u = new URL(p.authURL);
    expect(u.origin + u.pathname).toBe(`${idp.url}/authorize`);
    expect(Object.fromEntries(u.searchParams)).toEqual({
      client_id: "client-oidc", code_challenge: p.codeChallenge, code_challenge_method: "S256",
      response_type: "code", scope: "openid email profile", state: p.state, redirect_uri: "",
    });
    const raw = await (await fetch(`${ts.url}/api/collections/users/auth-methods`)).json();
    expect(raw.oauth2.providers[0].logo).toStartWith("<svg");
    expect(raw.oauth2.providers[0].authUrl).toBe(raw.oauth2.providers[0].authURL);
    expect(raw.authProviders).toHaveLength(2);
  });
});

describe("OAuth2 with an OIDC provider", () => {
  test("a new user is created with the mapped fields and the downloaded avatar", async () => {
    userinfo = { sub: "alice-sub", name: "Alice Liddell", preferred_username: "alice", email: "alice@example.test", email_verified: true, picture: `http://127.0.0.1:${images.port}/alice.png` };
    const pb = ts.client();
    const auth = await signIn(pb, "users", "oidc");
    expect(auth.meta?.isNew).toBe(true);
    expect(auth.meta).toMatchObject({ id: "alice-sub", name: "Alice Liddell", username: "alice", email: "alice@example.test", avatarURL: userinfo.picture, avatarUrl: userinfo.picture });
    expect(typeof auth.meta?.accessToken).toBe("string");
    expect(typeof auth.meta?.refreshToken).toBe("string");
    expect(auth.meta?.expiry).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(auth.meta?.rawUser).toEqual(userinfo);
    expect(auth.record.email).toBe("alice@example.test");
    expect(auth.record.verified).toBe(true);
    expect(auth.record.name).toBe("Alice Liddell");
    expect(auth.record.avatar).toMatch(/\.png$/);
    expect(pb.authStore.isValid).toBe(true);
    // the stored avatar is served back
    const file = await fetch(pb.files.getURL(auth.record, auth.record.avatar));
    expect(file.status).toBe(200);
    expect(new Uint8Array(await file.arrayBuffer())).toEqual(gradientPng(8, 8));
    const links = await pb.collection("users").listExternalAuths(auth.record.id);
    expect(links.map((l) => [l.provider, l.providerId])).toEqual([["oidc", "alice-sub"]]);
    // PKCE: the code_verifier went to the token endpoint
    expect(new URLSearchParams(lastTokenRequest ? (lastTokenRequest as unknown as { body: { [k: string]: string } }).body : {}).get("code_verifier")).toHaveLength(43);
  });

  test("a second sign-in reuses the link (even with a new email at the provider)", async () => {
    userinfo = { sub: "alice-sub", name: "Alice L.", email: "alice.new@example.test", email_verified: true };
    const auth = await signIn(ts.client(), "users", "oidc");
    expect(auth.meta?.isNew).toBe(false);
    expect(auth.record.email).toBe("alice@example.test");
    expect(auth.record.name).toBe("Alice Liddell");
  });

  test("an existing user is linked by verified email", async () => {
    const bob = await ts.client().collection("users").create({ email: "bob@example.test", password: "12345678", passwordConfirm: "12345678", name: "Bob" });
    userinfo = { sub: "bob-sub", name: "Robert", email: "bob@example.test", email_verified: true };
    const auth = await signIn(ts.client(), "users", "oidc");
    expect(auth.meta?.isNew).toBe(false);
    expect(auth.record.id).toBe(bob.id);
    expect(auth.record.name).toBe("Bob");
    expect(auth.record.verified).toBe(true);
    expect(ts.app.db().all("SELECT provider, providerId FROM _externalAuths WHERE recordRef = ?", [bob.id])).toEqual([{ provider: "oidc", providerId: "bob-sub" }]);
    // NB: the password someone set on the unverified account before is dropped
    expect((await apiError(ts.client().collection("users").authWithPassword("bob@example.test", "12345678"))).status).toBe(400);
  });

  test("an unverified provider email is not used: no link, and the create needs an email", async () => {
    userinfo = { sub: "mallory-sub", name: "Mallory", email: "alice@example.test", email_verified: false };
    const err = await apiError(signIn(ts.client(), "users", "oidc"));
    expect(err.status).toBe(400);
    expect(err.message).toBe("Failed to create record.");
    expect(err.response.data.email.code).toBe("validation_required");
    expect(ts.app.db().get("SELECT 1 FROM _externalAuths WHERE providerId = 'mallory-sub'")).toBeNull();
    // with createData the sign-up works, unverified
    const auth = await signIn(ts.client(), "users", "oidc", { email: "mallory@example.test", name: "Mal" });
    expect(auth.record.email).toBe("mallory@example.test");
    expect(auth.record.verified).toBe(false);
    expect(auth.record.name).toBe("Mal");
  });

  test("a signed-in user links a new provider identity to itself", async () => {
    const pb = ts.client();
    await pb.collection("users").create({ email: "carol@example.test", password: "12345678", passwordConfirm: "12345678" });
    await pb.collection("users").authWithPassword("carol@example.test", "12345678");
    userinfo = { sub: "carol-elsewhere", name: "C", email: "carol.other@example.test", email_verified: true };
    const auth = await signIn(pb, "users", "oidc");
    expect(auth.record.email).toBe("carol@example.test");
    expect(auth.meta?.isNew).toBe(false);
  });

  test("an id_token-only OIDC provider (extra.jwksURL) signs in with the verified claims", async () => {
    tokenClaims = { sub: "dave-sub", email: "dave@example.test", email_verified: true, name: "Dave" };
    try {
      const auth = await signIn(ts.client(), "users", "oidc2");
      expect(auth.record.email).toBe("dave@example.test");
      expect(auth.record.name).toBe("Dave");
      expect(auth.meta?.isNew).toBe(true);
    } finally {
      tokenClaims = {};
    }
  });

  test("@request.context is \"oauth2\" for the sign-up, so a createRule can allow only OAuth2 sign-ups", async () => {
    await su.collections.update("users", { createRule: "@request.context = 'oauth2'" });
    try {
      const direct = await apiError(ts.client().collection("users").create({ email: "direct@example.test", password: "12345678", passwordConfirm: "12345678" }));
      expect(direct.status).toBe(400);
      userinfo = { sub: "ctx-sub", email: "ctx@example.test", email_verified: true };
      expect((await signIn(ts.client(), "users", "oidc")).record.email).toBe("ctx@example.test");
    } finally {
      await su.collections.update("users", { createRule: "" });
    }
  });

  test("bad input and provider failures answer 400 in PocketBase's envelope", async () => {
    const users = ts.client().collection("users");
    const e1 = await apiError(users.authWithOAuth2Code("", "", "", REDIRECT));
    expect(e1.response.data.provider.code).toBe("validation_required");
    expect(e1.response.data.code.code).toBe("validation_required");
    const e2 = await apiError(users.authWithOAuth2Code("github", "code", "", REDIRECT));
    expect(e2.response.data.provider.code).toBe("validation_invalid_provider");
    const e3 = await apiError(users.authWithOAuth2Code("oidc", "not-a-real-code", "x".repeat(43), REDIRECT));
    expect(e3.status).toBe(400);
    expect(e3.message).toBe("Failed to fetch OAuth2 token.");
    // a wrong PKCE verifier is refused by the provider
    const methods = await users.listAuthMethods();
    const p = methods.oauth2.providers.find((x) => x.name === "oidc")!;
    const { code } = await authorize(p.authURL, REDIRECT);
    expect((await apiError(users.authWithOAuth2Code("oidc", code, "y".repeat(43), REDIRECT))).message).toBe("Failed to fetch OAuth2 token.");
    // the user info endpoint fails
    userinfoStatus = 401;
    try {
      expect((await apiError(signIn(ts.client(), "users", "oidc"))).message).toBe("Failed to fetch OAuth2 user.");
    } finally {
      userinfoStatus = 200;
    }
    const count = ts.app.countAllRecords("users");
    userinfo = { sub: "no-create", email: "nocreate@example.test", email_verified: true };
    await su.collections.update("users", { createRule: null });
    try {
      expect((await apiError(signIn(ts.client(), "users", "oidc"))).status).toBe(403);
    } finally {
      await su.collections.update("users", { createRule: "" });
    }
    expect(ts.app.countAllRecords("users")).toBe(count);
    expect((await apiError(ts.client().collection("_superusers").authWithOAuth2Code("oidc", "x", "", REDIRECT))).status).toBe(403);
  });
});

describe("the SDK's all-in-one flow (realtime @oauth2 + /api/oauth2-redirect)", () => {
  test("authWithOAuth2({provider}) completes through the redirect endpoint", async () => {
    (globalThis as { EventSource?: unknown }).EventSource = EventSource;
    userinfo = { sub: "erin-sub", name: "Erin", email: "erin@example.test", email_verified: true };
    const pb = ts.client();
    let landing = "";
    const auth = await pb.collection("users").authWithOAuth2({
      provider: "oidc",
      urlCallback: async (url: string) => {
        // the browser: the provider redirects to /api/oauth2-redirect, which redirects to the UI
        const atProvider = await fetch(url, { redirect: "manual" });
        const back = await fetch(atProvider.headers.get("location")!, { redirect: "manual" });
        expect(back.status).toBe(307);
        landing = back.headers.get("location") ?? "";
      },
    });
    expect(landing).toBe("../_/#/auth/oauth2-redirect-success");
    expect(auth.record.email).toBe("erin@example.test");
    expect(auth.meta?.isNew).toBe(true);
    expect(pb.authStore.record?.id).toBe(auth.record.id);
  });

  test("an unknown state, a missing code or an error go to the failure page (307 GET, 303 POST)", async () => {
    const get = await fetch(`${ts.url}/api/oauth2-redirect?state=nosuchclient&code=abc`, { redirect: "manual" });
    expect(get.status).toBe(307);
    expect(get.headers.get("location")).toBe("../_/#/auth/oauth2-redirect-failure");
    const post = await fetch(`${ts.url}/api/oauth2-redirect`, {
      method: "POST", redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "state=nosuchclient&code=abc&user=%7B%7D",
    });
    expect(post.status).toBe(303);
    expect(post.headers.get("location")).toBe("../_/#/auth/oauth2-redirect-failure");
    const none = await fetch(`${ts.url}/api/oauth2-redirect`, { redirect: "manual" });
    expect(none.status).toBe(307);
  });
});

describe("POST /api/settings/apple/generate-client-secret", () => {
  test("signs an ES256 client secret with the .p8 key; bad input gives 400", async () => {
    const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const pem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    const { secret } = await su.send("/api/settings/apple/generate-client-secret", {
      method: "POST", body: { clientId: "com.example.app", teamId: "TEAM123456", keyId: "KEY1234567", privateKey: pem, duration: 3600 },
    });
    const [h, p, sig] = String(secret).split(".");
    expect(JSON.parse(Buffer.from(h!, "base64url").toString())).toEqual({ alg: "ES256", kid: "KEY1234567", typ: "JWT" });
    const claims = JSON.parse(Buffer.from(p!, "base64url").toString());
    expect(claims).toMatchObject({ iss: "TEAM123456", sub: "com.example.app", aud: "https://appleid.apple.com" });
    expect(claims.exp - claims.iat).toBe(3600);
    expect(verify("sha256", Buffer.from(`${h}.${p}`), { key: publicKey, dsaEncoding: "ieee-p1363" }, Buffer.from(sig!, "base64url"))).toBe(true);
    const bad = await apiError(su.send("/api/settings/apple/generate-client-secret", { method: "POST", body: { clientId: "", teamId: "short", keyId: "KEY1234567", privateKey: "not a key", duration: 99999999 } }));
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.response.data).sort()).toEqual(["clientId", "duration", "privateKey", "teamId"]);
    expect((await apiError(ts.client().send("/api/settings/apple/generate-client-secret", { method: "POST", body: {} }))).status).toBe(401);
  });
});

/** Per provider: what its user endpoint answers and what the normalised user must be. */
const CASES: { [name: string]: { raw: { [k: string]: unknown }; want: { id: string; name?: string; username?: string; email?: string; avatarURL?: string }; claims?: { [k: string]: unknown }; token?: { [k: string]: unknown }; path?: string; check?: () => void } } = {
  apple: {
    raw: {}, path: "/jwks",
    claims: { sub: "apple-1", email: "apple@example.test", email_verified: "true", iss: "https://appleid.apple.com" },
    want: { id: "apple-1", email: "apple@example.test" },
  },
  bitbucket: {
    raw: { uuid: "{bb-1}", display_name: "BB User", username: "bbuser", links: { avatar: { href: "https://img.example/bb.png" } } },
    want: { id: "{bb-1}", name: "BB User", username: "bbuser", email: "", avatarURL: "https://img.example/bb.png" },
    check: () => expect(String(lastTokenRequest?.headers.authorization)).toStartWith("Basic "),
  },
  box: { raw: { id: "box-1", name: "Box User", login: "box@example.test", avatar_url: "https://img.example/box.png" }, want: { id: "box-1", name: "Box User", email: "box@example.test", avatarURL: "https://img.example/box.png" } },
  discord: {
    raw: { id: "80351110224678912", username: "nelly", global_name: "Nelly", email: "discord@example.test", verified: true, avatar: "8342729096ea3675442027381ff50dfe" },
    want: { id: "80351110224678912", name: "Nelly", username: "nelly", email: "discord@example.test", avatarURL: "https://cdn.discordapp.com/avatars/80351110224678912/8342729096ea3675442027381ff50dfe.png" },
  },
  facebook: { raw: { id: "fb-1", name: "FB User", email: "facebook@example.test", picture: { data: { url: "https://img.example/fb.png" } } }, want: { id: "fb-1", name: "FB User", email: "facebook@example.test", avatarURL: "https://img.example/fb.png" } },
  gitea: { raw: { id: 7, full_name: "Gitea User", login: "giteauser", email: "gitea@example.test", avatar_url: "https://img.example/gt.png" }, want: { id: "7", name: "Gitea User", username: "giteauser", email: "gitea@example.test", avatarURL: "https://img.example/gt.png" } },
  gitee: { raw: { id: 8, name: "Gitee User", login: "giteeuser", email: "gitee@example.test", avatar_url: "https://img.example/ge.png" }, want: { id: "8", name: "Gitee User", username: "giteeuser", email: "gitee@example.test", avatarURL: "https://img.example/ge.png" } },
  github: { raw: { id: 9, name: "GH User", login: "ghuser", email: "github@example.test", avatar_url: "https://img.example/gh.png" }, want: { id: "9", name: "GH User", username: "ghuser", email: "github@example.test", avatarURL: "https://img.example/gh.png" } },
  gitlab: { raw: { id: 10, name: "GL User", username: "gluser", email: "gitlab@example.test", avatar_url: "https://img.example/gl.png" }, want: { id: "10", name: "GL User", username: "gluser", email: "gitlab@example.test", avatarURL: "https://img.example/gl.png" } },
  google: { raw: { sub: "g-1", name: "Google User", picture: "https://img.example/g.png", email: "google@example.test", email_verified: true }, want: { id: "g-1", name: "Google User", email: "google@example.test", avatarURL: "https://img.example/g.png" } },
  instagram2: { raw: { id: "ig-app", user_id: "ig-1", username: "iguser", name: "IG User", profile_picture_url: "https://img.example/ig.png" }, want: { id: "ig-1", name: "IG User", username: "iguser", email: "", avatarURL: "https://img.example/ig.png" } },
  kakao: {
    raw: { id: 11, properties: { nickname: "Kakao User", profile_image: "https://img.example/k.png" }, kakao_account: { email: "kakao@example.test", is_email_valid: true, is_email_verified: true } },
    want: { id: "11", name: "Kakao User", email: "kakao@example.test", avatarURL: "https://img.example/k.png" },
  },
  lark: { raw: { code: 0, data: { union_id: "on-1", open_id: "ou-1", name: "Lark User", avatar_url: "https://img.example/l.png", email: "lark@example.test" } }, want: { id: "on-1", name: "Lark User", email: "lark@example.test", avatarURL: "https://img.example/l.png" } },
  linear: {
    path: "/introspect",
    raw: { data: { viewer: { id: "lin-1", name: "Linear User", email: "linear@example.test", avatarUrl: "https://img.example/lin.png", active: true } } },
    want: { id: "lin-1", name: "Linear User", email: "linear@example.test", avatarURL: "https://img.example/lin.png" },
    check: () => expect(JSON.stringify((lastUserinfoRequest as unknown as { body: unknown }).body)).toContain("viewer"),
  },
  livechat: { raw: { account_id: "lc-1", name: "LC User", email: "livechat@example.test", email_verified: true, avatar_url: "https://img.example/lc.png" }, want: { id: "lc-1", name: "LC User", email: "livechat@example.test", avatarURL: "https://img.example/lc.png" } },
  mailcow: { raw: { id: "mc-1", full_name: "MC User", username: "mcuser", email: "mailcow@example.test", active: 1 }, want: { id: "mc-1", name: "MC User", username: "mcuser", email: "mailcow@example.test" } },
  microsoft: { raw: { id: "ms-1", displayName: "MS User", mail: "microsoft@example.test" }, want: { id: "ms-1", name: "MS User", email: "microsoft@example.test" } },
  monday: {
    path: "/introspect",
    raw: { data: { me: { id: 12, enabled: true, is_verified: true, name: "Monday User", email: "monday@example.test", photo_small: "https://img.example/m.png" } } },
    want: { id: "12", name: "Monday User", email: "monday@example.test", avatarURL: "https://img.example/m.png" },
  },
  notion: {
    raw: { bot: { owner: { type: "user", user: { id: "nt-1", name: "Notion User", avatar_url: "https://img.example/n.png", person: { email: "notion@example.test" } } } } },
    want: { id: "nt-1", name: "Notion User", email: "notion@example.test", avatarURL: "https://img.example/n.png" },
    check: () => {
      expect(lastUserinfoRequest?.headers["notion-version"]).toBe("2022-06-28");
      expect(String(lastTokenRequest?.headers.authorization)).toStartWith("Basic ");
      expect(String(lastTokenRequest?.headers["content-type"])).toContain("application/json");
    },
  },
  oidc3: { raw: { sub: "o3-1", name: "OIDC3 User", preferred_username: "o3user", email: "oidc3@example.test", email_verified: true, picture: "https://img.example/o3.png" }, want: { id: "o3-1", name: "OIDC3 User", username: "o3user", email: "oidc3@example.test", avatarURL: "https://img.example/o3.png" } },
  patreon: {
    raw: { data: { id: "pt-1", attributes: { full_name: "Patreon User", vanity: "ptuser", email: "patreon@example.test", is_email_verified: true, image_url: "https://img.example/p.png" } } },
    want: { id: "pt-1", name: "Patreon User", username: "ptuser", email: "patreon@example.test", avatarURL: "https://img.example/p.png" },
  },
  planningcenter: { raw: { data: { id: "pc-1", attributes: { name: "PC User", avatar: "https://img.example/pc.png", status: "active" } } }, want: { id: "pc-1", name: "PC User", email: "", avatarURL: "https://img.example/pc.png" } },
  spotify: { raw: { id: "sp-1", display_name: "Spotify User", email: "spotify@example.test", images: [{ url: "https://img.example/sp.png" }] }, want: { id: "sp-1", name: "Spotify User", email: "spotify@example.test", avatarURL: "https://img.example/sp.png" } },
  strava: { raw: { id: 13, firstname: "Strava", lastname: "User", username: "stravauser", profile: "https://img.example/st.png" }, want: { id: "13", name: "Strava User", username: "stravauser", email: "", avatarURL: "https://img.example/st.png" } },
  trakt: {
    raw: { user: { username: "traktuser", name: "Trakt User", ids: { slug: "traktuser", uuid: "tr-1" }, images: { avatar: { full: "https://img.example/tr.png" } } } },
    want: { id: "tr-1", name: "Trakt User", username: "traktuser", email: "", avatarURL: "https://img.example/tr.png" },
    check: () => {
      expect(lastUserinfoRequest?.headers["trakt-api-version"]).toBe("2");
      expect(lastUserinfoRequest?.headers["trakt-api-key"]).toBe("client-trakt");
    },
  },
  twitch: {
    raw: { data: [{ id: "tw-1", login: "twitchuser", display_name: "Twitch User", email: "twitch@example.test", profile_image_url: "https://img.example/tw.png" }] },
    want: { id: "tw-1", name: "Twitch User", username: "twitchuser", email: "twitch@example.test", avatarURL: "https://img.example/tw.png" },
    check: () => expect(lastUserinfoRequest?.headers["client-id"]).toBe("client-twitch"),
  },
  twitter: {
    raw: { data: { id: "x-1", name: "X User", username: "xuser", profile_image_url: "https://img.example/x.png", confirmed_email: "twitter@example.test" } },
    want: { id: "x-1", name: "X User", username: "xuser", email: "twitter@example.test", avatarURL: "https://img.example/x.png" },
  },
  vk: {
    raw: { response: [{ id: 14, first_name: "VK", last_name: "User", screen_name: "vkuser", photo_max: "https://img.example/vk.png" }] },
    token: { email: "vk@example.test" },
    want: { id: "14", name: "VK User", username: "vkuser", email: "vk@example.test", avatarURL: "https://img.example/vk.png" },
  },
  wakatime: {
    raw: { data: { id: "wt-1", display_name: "Waka User", username: "wakauser", email: "wakatime@example.test", is_email_confirmed: true, photo: "https://img.example/wt.png" } },
    want: { id: "wt-1", name: "Waka User", username: "wakauser", email: "wakatime@example.test", avatarURL: "https://img.example/wt.png" },
  },
  yandex: {
    raw: { id: "ya-1", real_name: "Yandex User", login: "yauser", default_email: "yandex@example.test", default_avatar_id: "131652443", is_avatar_empty: false },
    want: { id: "ya-1", name: "Yandex User", username: "yauser", email: "yandex@example.test", avatarURL: "https://avatars.yandex.net/get-yapic/131652443/islands-200" },
    check: () => expect(String(lastUserinfoRequest?.headers.authorization)).toStartWith("OAuth "),
  },
};

describe("every named provider against the same provider, endpoints overridden", () => {
  beforeAll(async () => {
    await su.collections.create({
      name: "social", type: "auth", createRule: "",
      fields: [{ name: "name", type: "text" }, { name: "username", type: "text" }, { name: "avatarUrl", type: "url" }],
      oauth2: {
        enabled: true,
        mappedFields: { name: "name", username: "username", avatarURL: "avatarUrl" },
        providers: Object.keys(CASES).map((name) => providerConfig(name, { userInfoURL: `${idp.url}${CASES[name]!.path ?? "/userinfo"}` })),
      },
    });
  });

  test("the table covers every PocketBase provider", () => {
    const names = PROVIDERS.map((p) => p.name).filter((n) => n !== "oidc" && n !== "oidc2");
    expect(Object.keys(CASES).sort()).toEqual(names.sort());
  });

  for (const [name, c] of Object.entries(CASES)) {
    test(name, async () => {
      userinfo = c.raw;
      tokenClaims = c.claims ?? {};
      tokenExtra = c.token ?? {};
      try {
        const email = c.want.email || `${name}-created@example.test`;
        const auth = await signIn(ts.client(), "social", name, c.want.email ? undefined : { email });
        expect(auth.meta?.isNew).toBe(true);
        expect({ id: auth.meta?.id, name: auth.meta?.name, username: auth.meta?.username, email: auth.meta?.email, avatarURL: auth.meta?.avatarURL })
          .toEqual({ name: "", username: "", email: "", avatarURL: "", ...c.want });
        expect(auth.record.email).toBe(email);
        expect(auth.record.verified).toBe(!!c.want.email);
        expect(auth.record.name).toBe(c.want.name ?? "");
        expect(auth.record.username).toBe(c.want.username ?? "");
        expect(auth.record.avatarUrl).toBe(c.want.avatarURL ?? "");
        c.check?.();
        // the second sign-in finds the link
        const again = await signIn(ts.client(), "social", name);
        expect(again.record.id).toBe(auth.record.id);
        expect(again.meta?.isNew).toBe(false);
      } finally {
        tokenClaims = {};
        tokenExtra = {};
      }
    });
  }
});
