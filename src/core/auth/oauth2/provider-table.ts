import type { OAuth2ProviderConfig } from "../../collections/collection-types.ts";
import { OAuth2Provider, type ProviderDefinition } from "./provider.ts";
import { pick, str, truthy } from "./auth-user.ts";
import { verifyIdToken } from "./id-token.ts";

type Raw = { [k: string]: unknown };

/** The part of a raw user under `path` as an object (`{}` when missing). */
function obj(raw: unknown, path: string): Raw {
  const v = pick(raw, path);
  return v && typeof v === "object" && !Array.isArray(v) ? (v as Raw) : {};
}

/** A sibling API URL: `…/user` → `…/user/emails` style, built from the (possibly overridden) user info URL. */
function urlBeside(base: string, suffix: string, replaceLast = false): string {
  const u = new URL(base);
  u.search = "";
  u.pathname = replaceLast ? u.pathname.replace(/\/[^/]*\/?$/, "/" + suffix) : u.pathname.replace(/\/+$/, "") + "/" + suffix;
  return u.toString();
}

/** The primary, verified address of a provider's email list (GitHub, Gitee, Bitbucket shapes). */
async function primaryEmail(p: OAuth2Provider, token: Parameters<OAuth2Provider["fetchJSON"]>[1], url: string): Promise<string> {
  try {
    const data = await p.fetchJSON(url, token);
    const list = (Array.isArray(data) ? data : (pick(data, "values") as unknown[] | undefined) ?? []) as Raw[];
    const ok = (e: Raw) => truthy(e.verified) || truthy(e.is_confirmed) || e.state === "confirmed";
    const primary = list.find((e) => (truthy(e.primary) || truthy(e.is_primary) || (Array.isArray(e.scope) && e.scope.includes("primary"))) && ok(e));
    return str((primary ?? list.find(ok))?.email);
  } catch {
    return "";
  }
}

/** The OpenID Connect user: `userInfoURL` when set, else the verified id_token claims. */
async function oidcRawUser(p: OAuth2Provider, token: Parameters<OAuth2Provider["fetchJSON"]>[1]): Promise<Raw> {
  if (p.userInfoURL) return (await p.fetchJSON(p.userInfoURL, token)) as Raw;
  const jwksURL = str(p.extra.jwksURL);
  if (!token.idToken || !jwksURL) throw new Error("no userInfoURL, and no id_token with extra.jwksURL to read the user from");
  const issuers = Array.isArray(p.extra.issuers) ? p.extra.issuers.map(String) : [];
  return verifyIdToken(token.idToken, { jwksURL, audience: p.clientId, issuers });
}

const oidcMap = (raw: Raw) => ({
  id: raw.sub,
  name: raw.name,
  username: raw.preferred_username,
  avatarURL: raw.picture,
  // PocketBase parity: only a verified address is used
  email: truthy(raw.email_verified) ? raw.email : "",
});

function oidc(name: string, displayName: string): ProviderDefinition {
  return { name, displayName, color: "#f78c40", authURL: "", tokenURL: "", userInfoURL: "", scopes: ["openid", "email", "profile"], pkce: true, fetchRawUser: oidcRawUser, mapUser: oidcMap };
}

/**
 * PocketBase's OAuth2 providers: default endpoints, scopes, PKCE default and how each one's user
 * JSON maps to the normalised user. Every URL can be overridden in the collection config.
 */
export const PROVIDERS: readonly ProviderDefinition[] = [
  {
    name: "apple", displayName: "Apple", color: "#000000",
    authURL: "https://appleid.apple.com/auth/authorize", tokenURL: "https://appleid.apple.com/auth/token",
    // NB: Apple has no user info endpoint: this URL is the JWKS the id_token is verified with
    userInfoURL: "https://appleid.apple.com/auth/keys",
    scopes: ["name", "email"], pkce: true, authParams: { response_mode: "form_post" },
    async fetchRawUser(p, token) {
      if (!token.idToken) throw new Error("apple: the token response has no id_token");
      const issuers = Array.isArray(p.extra.issuers) ? p.extra.issuers.map(String) : ["https://appleid.apple.com"];
      return verifyIdToken(token.idToken, { jwksURL: p.userInfoURL, audience: p.clientId, issuers });
    },
    mapUser: (raw) => ({ id: raw.sub, name: raw.name, email: truthy(raw.email_verified) ? raw.email : "" }),
  },
  {
    name: "bitbucket", displayName: "Bitbucket", color: "#2684ff",
    authURL: "https://bitbucket.org/site/oauth2/authorize", tokenURL: "https://bitbucket.org/site/oauth2/access_token", userInfoURL: "https://api.bitbucket.org/2.0/user",
    scopes: ["account"], pkce: false, tokenAuth: "basic",
    mapUser: async (raw, p, token) => ({
      id: raw.uuid, name: raw.display_name, username: raw.username, avatarURL: pick(raw, "links.avatar.href"),
      email: await primaryEmail(p, token, urlBeside(p.userInfoURL, "emails")),
    }),
  },
  {
    name: "box", displayName: "Box", color: "#0061d5",
    authURL: "https://account.box.com/api/oauth2/authorize", tokenURL: "https://api.box.com/oauth2/token", userInfoURL: "https://api.box.com/2.0/users/me",
    scopes: ["root_readonly"], pkce: false,
    mapUser: (raw) => ({ id: raw.id, name: raw.name, email: raw.login, avatarURL: raw.avatar_url }),
  },
  {
    name: "discord", displayName: "Discord", color: "#5865f2",
    authURL: "https://discord.com/api/oauth2/authorize", tokenURL: "https://discord.com/api/oauth2/token", userInfoURL: "https://discord.com/api/users/@me",
    scopes: ["identify", "email"], pkce: true,
    mapUser: (raw) => ({
      id: raw.id, name: str(raw.global_name) || raw.username, username: raw.username,
      email: truthy(raw.verified) ? raw.email : "",
      avatarURL: raw.avatar ? `https://cdn.discordapp.com/avatars/${str(raw.id)}/${str(raw.avatar)}.png` : "",
    }),
  },
  {
    name: "facebook", displayName: "Facebook", color: "#0866ff",
    authURL: "https://www.facebook.com/v19.0/dialog/oauth", tokenURL: "https://graph.facebook.com/v19.0/oauth/access_token",
    userInfoURL: "https://graph.facebook.com/me?fields=name,email,picture.type(large)",
    scopes: ["email"], pkce: true,
    mapUser: (raw) => ({ id: raw.id, name: raw.name, email: raw.email, avatarURL: pick(raw, "picture.data.url") }),
  },
  {
    name: "gitea", displayName: "Gitea", color: "#609926",
    authURL: "https://gitea.com/login/oauth/authorize", tokenURL: "https://gitea.com/login/oauth/access_token", userInfoURL: "https://gitea.com/api/v1/user",
    scopes: ["read:user", "user:email"], pkce: true,
    mapUser: (raw) => ({ id: raw.id, name: raw.full_name, username: raw.login, email: raw.email, avatarURL: raw.avatar_url }),
  },
  {
    name: "gitee", displayName: "Gitee", color: "#c71d23",
    authURL: "https://gitee.com/oauth/authorize", tokenURL: "https://gitee.com/oauth/token", userInfoURL: "https://gitee.com/api/v5/user",
    scopes: ["user_info", "emails"], pkce: true,
    mapUser: async (raw, p, token) => ({
      id: raw.id, name: raw.name, username: raw.login, avatarURL: raw.avatar_url,
      email: str(raw.email) || (await primaryEmail(p, token, urlBeside(p.userInfoURL, "emails", true))),
    }),
  },
  {
    name: "github", displayName: "GitHub", color: "#24292f",
    authURL: "https://github.com/login/oauth/authorize", tokenURL: "https://github.com/login/oauth/access_token", userInfoURL: "https://api.github.com/user",
    scopes: ["read:user", "user:email"], pkce: true,
    mapUser: async (raw, p, token) => ({
      id: raw.id, name: raw.name, username: raw.login, avatarURL: raw.avatar_url,
      // the public email is not necessarily verified: prefer the primary verified one
      email: (await primaryEmail(p, token, urlBeside(p.userInfoURL, "emails"))) || str(raw.email),
    }),
  },
  {
    name: "gitlab", displayName: "GitLab", color: "#fc6d26",
    authURL: "https://gitlab.com/oauth/authorize", tokenURL: "https://gitlab.com/oauth/token", userInfoURL: "https://gitlab.com/api/v4/user",
    scopes: ["read_user"], pkce: true,
    mapUser: (raw) => ({ id: raw.id, name: raw.name, username: raw.username, email: raw.email, avatarURL: raw.avatar_url }),
  },
  {
    name: "google", displayName: "Google", color: "#4285f4",
    authURL: "https://accounts.google.com/o/oauth2/auth", tokenURL: "https://oauth2.googleapis.com/token", userInfoURL: "https://www.googleapis.com/oauth2/v3/userinfo",
    scopes: ["https://www.googleapis.com/auth/userinfo.profile", "https://www.googleapis.com/auth/userinfo.email"], pkce: true,
    mapUser: (raw) => ({ id: raw.sub, name: raw.name, avatarURL: raw.picture, email: truthy(raw.email_verified) ? raw.email : "" }),
  },
  {
    name: "instagram2", displayName: "Instagram", color: "#e1306c",
    authURL: "https://www.instagram.com/oauth/authorize", tokenURL: "https://api.instagram.com/oauth/access_token",
    userInfoURL: "https://graph.instagram.com/me?fields=id,user_id,username,name,profile_picture_url",
    scopes: ["instagram_business_basic"], pkce: false,
    mapUser: (raw) => ({ id: str(raw.user_id) || raw.id, name: raw.name, username: raw.username, avatarURL: raw.profile_picture_url }),
  },
  {
    name: "kakao", displayName: "Kakao", color: "#fee500",
    authURL: "https://kauth.kakao.com/oauth/authorize", tokenURL: "https://kauth.kakao.com/oauth/token", userInfoURL: "https://kapi.kakao.com/v2/user/me",
    scopes: ["account_email", "profile_nickname", "profile_image"], pkce: true,
    mapUser: (raw) => {
      const acc = obj(raw, "kakao_account");
      return {
        id: raw.id,
        name: str(pick(raw, "properties.nickname")) || pick(acc, "profile.nickname"),
        avatarURL: str(pick(raw, "properties.profile_image")) || pick(acc, "profile.profile_image_url"),
        email: truthy(acc.is_email_valid) && truthy(acc.is_email_verified) ? acc.email : "",
      };
    },
  },
  {
    name: "lark", displayName: "Lark", color: "#00d6b9",
    authURL: "https://accounts.larksuite.com/open-apis/authen/v1/authorize", tokenURL: "https://open.larksuite.com/open-apis/authen/v2/oauth/token",
    userInfoURL: "https://open.larksuite.com/open-apis/authen/v1/user_info",
    scopes: [], pkce: true, tokenBody: "json",
    mapUser: (raw) => {
      const d = obj(raw, "data");
      return { id: str(d.union_id) || d.open_id, name: d.name, avatarURL: d.avatar_url, email: str(d.email) || d.enterprise_email };
    },
  },
  {
    name: "linear", displayName: "Linear", color: "#5e6ad2",
    authURL: "https://linear.app/oauth/authorize", tokenURL: "https://api.linear.app/oauth/token", userInfoURL: "https://api.linear.app/graphql",
    scopes: ["read"], pkce: false,
    fetchRawUser: async (p, token) =>
      (await p.fetchJSON(p.userInfoURL, token, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: "query Me { viewer { id name email avatarUrl active } }" }) })) as Raw,
    mapUser: (raw) => {
      const v = obj(raw, "data.viewer");
      if (!truthy(v.active)) throw new Error("linear: the user is not active");
      return { id: v.id, name: v.name, email: v.email, avatarURL: v.avatarUrl };
    },
  },
  {
    name: "livechat", displayName: "LiveChat", color: "#ff5100",
    authURL: "https://accounts.livechat.com/", tokenURL: "https://accounts.livechat.com/v2/token", userInfoURL: "https://accounts.livechat.com/v2/accounts/me",
    scopes: [], pkce: true,
    mapUser: (raw) => ({ id: raw.account_id, name: raw.name, avatarURL: raw.avatar_url, email: truthy(raw.email_verified) ? raw.email : "" }),
  },
  {
    name: "mailcow", displayName: "mailcow", color: "#0c4a83",
    authURL: "", tokenURL: "", userInfoURL: "",
    scopes: ["profile"], pkce: true,
    mapUser: (raw) => {
      if (raw.active !== undefined && !truthy(raw.active)) throw new Error("mailcow: the user is not active");
      return { id: raw.id, name: raw.full_name, username: raw.username, email: raw.email };
    },
  },
  {
    name: "microsoft", displayName: "Microsoft", color: "#00a4ef",
    authURL: "https://login.microsoftonline.com/common/oauth2/v2.0/authorize", tokenURL: "https://login.microsoftonline.com/common/oauth2/v2.0/token",
    userInfoURL: "https://graph.microsoft.com/v1.0/me",
    scopes: ["User.Read"], pkce: true,
    mapUser: (raw) => ({ id: raw.id, name: raw.displayName, email: raw.mail }),
  },
  {
    name: "monday", displayName: "monday.com", color: "#ff3d57",
    authURL: "https://auth.monday.com/oauth2/authorize", tokenURL: "https://auth.monday.com/oauth2/token", userInfoURL: "https://api.monday.com/v2",
    scopes: ["me:read"], pkce: true,
    fetchRawUser: async (p, token) =>
      (await p.fetchJSON(p.userInfoURL, token, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: "query { me { id enabled is_verified name email photo_small } }" }) })) as Raw,
    mapUser: (raw) => {
      const me = obj(raw, "data.me");
      if (!truthy(me.enabled)) throw new Error("monday: the user is not enabled");
      return { id: me.id, name: me.name, avatarURL: me.photo_small, email: truthy(me.is_verified) ? me.email : "" };
    },
  },
  {
    name: "notion", displayName: "Notion", color: "#000000",
    authURL: "https://api.notion.com/v1/oauth/authorize", tokenURL: "https://api.notion.com/v1/oauth/token", userInfoURL: "https://api.notion.com/v1/users/me",
    scopes: [], pkce: false, tokenAuth: "basic", tokenBody: "json", authParams: { owner: "user" },
    userInfoHeaders: () => ({ "notion-version": "2022-06-28" }),
    mapUser: (raw) => {
      const u = obj(raw, "bot.owner.user");
      return { id: u.id, name: u.name, avatarURL: u.avatar_url, email: pick(u, "person.email") };
    },
  },
  oidc("oidc", "OpenID Connect"),
  oidc("oidc2", "OpenID Connect 2"),
  oidc("oidc3", "OpenID Connect 3"),
  {
    name: "patreon", displayName: "Patreon", color: "#f96854",
    authURL: "https://www.patreon.com/oauth2/authorize", tokenURL: "https://www.patreon.com/api/oauth2/token",
    userInfoURL: "https://www.patreon.com/api/oauth2/v2/identity?fields%5Buser%5D=full_name,email,vanity,image_url,is_email_verified",
    scopes: ["identity", "identity[email]"], pkce: true,
    mapUser: (raw) => {
      const a = obj(raw, "data.attributes");
      return { id: pick(raw, "data.id"), name: a.full_name, username: a.vanity, avatarURL: a.image_url, email: truthy(a.is_email_verified) ? a.email : "" };
    },
  },
  {
    name: "planningcenter", displayName: "Planning Center", color: "#2266f7",
    authURL: "https://api.planningcenteronline.com/oauth/authorize", tokenURL: "https://api.planningcenteronline.com/oauth/token",
    userInfoURL: "https://api.planningcenteronline.com/people/v2/me",
    scopes: ["people"], pkce: true,
    mapUser: (raw) => {
      const a = obj(raw, "data.attributes");
      if (a.status !== undefined && a.status !== "active") throw new Error("planningcenter: the user is not active");
      return { id: pick(raw, "data.id"), name: a.name, avatarURL: a.avatar };
    },
  },
  {
    name: "spotify", displayName: "Spotify", color: "#1db954",
    authURL: "https://accounts.spotify.com/authorize", tokenURL: "https://accounts.spotify.com/api/token", userInfoURL: "https://api.spotify.com/v1/me",
    scopes: ["user-read-private", "user-read-email"], pkce: true,
    mapUser: (raw) => ({ id: raw.id, name: raw.display_name, email: raw.email, avatarURL: pick(raw, "images.0.url") }),
  },
  {
    name: "strava", displayName: "Strava", color: "#fc4c02",
    authURL: "https://www.strava.com/oauth/authorize", tokenURL: "https://www.strava.com/api/v3/oauth/token", userInfoURL: "https://www.strava.com/api/v3/athlete",
    scopes: ["profile:read_all"], pkce: false,
    mapUser: (raw) => ({ id: raw.id, name: [str(raw.firstname), str(raw.lastname)].filter(Boolean).join(" "), username: raw.username, avatarURL: raw.profile }),
  },
  {
    name: "trakt", displayName: "Trakt", color: "#ed1c24",
    authURL: "https://trakt.tv/oauth/authorize", tokenURL: "https://api.trakt.tv/oauth/token", userInfoURL: "https://api.trakt.tv/users/settings",
    scopes: [], pkce: false, tokenBody: "json",
    userInfoHeaders: (p) => ({ "trakt-api-version": "2", "trakt-api-key": p.clientId }),
    mapUser: (raw) => {
      const u = obj(raw, "user");
      return { id: pick(u, "ids.uuid"), name: u.name, username: u.username, avatarURL: pick(u, "images.avatar.full") };
    },
  },
  {
    name: "twitch", displayName: "Twitch", color: "#9146ff",
    authURL: "https://id.twitch.tv/oauth2/authorize", tokenURL: "https://id.twitch.tv/oauth2/token", userInfoURL: "https://api.twitch.tv/helix/users",
    scopes: ["user:read:email"], pkce: true,
    userInfoHeaders: (p) => ({ "client-id": p.clientId }),
    mapUser: (raw) => {
      const u = obj(raw, "data.0");
      return { id: u.id, name: u.display_name, username: u.login, email: u.email, avatarURL: u.profile_image_url };
    },
  },
  {
    name: "twitter", displayName: "X/Twitter", color: "#000000",
    authURL: "https://twitter.com/i/oauth2/authorize", tokenURL: "https://api.twitter.com/2/oauth2/token",
    userInfoURL: "https://api.twitter.com/2/users/me?user.fields=id,name,username,profile_image_url,confirmed_email",
    scopes: ["users.read", "users.email", "tweet.read"], pkce: true, tokenAuth: "basic",
    mapUser: (raw) => {
      const d = obj(raw, "data");
      return { id: d.id, name: d.name, username: d.username, avatarURL: d.profile_image_url, email: d.confirmed_email };
    },
  },
  {
    name: "vk", displayName: "VK", color: "#0077ff",
    authURL: "https://oauth.vk.com/authorize", tokenURL: "https://oauth.vk.com/access_token", userInfoURL: "https://api.vk.com/method/users.get?fields=photo_max,screen_name&v=5.199",
    scopes: ["email"], pkce: false,
    fetchRawUser: async (p, token) => {
      const u = new URL(p.userInfoURL);
      u.searchParams.set("access_token", token.accessToken);
      return (await p.fetchJSON(u.toString(), token)) as Raw;
    },
    mapUser: (raw, _p, token) => {
      const u = obj(raw, "response.0");
      // VK returns the (verified) email with the token, not with the user
      return { id: u.id, name: [str(u.first_name), str(u.last_name)].filter(Boolean).join(" "), username: u.screen_name, avatarURL: u.photo_max, email: token.raw.email };
    },
  },
  {
    name: "wakatime", displayName: "WakaTime", color: "#000000",
    authURL: "https://wakatime.com/oauth/authorize", tokenURL: "https://wakatime.com/oauth/token", userInfoURL: "https://wakatime.com/api/v1/users/current",
    scopes: ["email"], pkce: true,
    mapUser: (raw) => {
      const d = obj(raw, "data");
      return { id: d.id, name: d.display_name, username: d.username, avatarURL: d.photo, email: truthy(d.is_email_confirmed) ? d.email : "" };
    },
  },
  {
    name: "yandex", displayName: "Yandex", color: "#fc3f1d",
    authURL: "https://oauth.yandex.com/authorize", tokenURL: "https://oauth.yandex.com/token", userInfoURL: "https://login.yandex.ru/info",
    scopes: ["login:email", "login:avatar", "login:info"], pkce: true, authScheme: "OAuth",
    mapUser: (raw) => ({
      id: raw.id, name: raw.real_name, username: raw.login, email: raw.default_email,
      avatarURL: !truthy(raw.is_avatar_empty) && raw.default_avatar_id ? `https://avatars.yandex.net/get-yapic/${str(raw.default_avatar_id)}/islands-200` : "",
    }),
  },
];

const BY_NAME = new Map(PROVIDERS.map((d) => [d.name, d]));

/** The definition of a provider by name, or undefined. */
export function findProviderDefinition(name: string): ProviderDefinition | undefined {
  return BY_NAME.get(name);
}

/**
 * The client for a configured provider. Throws for unknown providers and for providers without
 * endpoints (e.g. `oidc` or `mailcow` without their URLs).
 */
export function newProviderClient(config: OAuth2ProviderConfig): OAuth2Provider {
  const def = BY_NAME.get(config.name);
  if (!def) throw new Error(`unknown OAuth2 provider "${config.name}"`);
  const p = new OAuth2Provider(def, config);
  if (!p.authURL || !p.tokenURL) throw new Error(`the OAuth2 provider "${config.name}" has no authURL/tokenURL configured`);
  return p;
}
