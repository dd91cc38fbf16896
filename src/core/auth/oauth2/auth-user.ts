/** The user an OAuth2 provider returned, normalised (PocketBase's `auth.AuthUser`). */
export interface AuthUser {
  id: string;
  name: string;
  username: string;
  /** Only a verified address (empty when the provider does not vouch for it). */
  email: string;
  avatarURL: string;
  accessToken: string;
  refreshToken: string;
  /** The access token expiry in PocketBase's date format, or "". */
  expiry: string;
  /** The provider's user JSON as received. */
  rawUser: { [k: string]: unknown };
}

/** The token endpoint's answer. */
export interface OAuth2Token {
  accessToken: string;
  refreshToken: string;
  tokenType: string;
  /** Unix milliseconds, 0 when unknown. */
  expiresAt: number;
  idToken: string;
  /** Every field of the response (some providers put user data here, e.g. VK's email). */
  raw: { [k: string]: unknown };
}

/** A value at a dotted path (`"data.0.id"`), or undefined. */
export function pick(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const part of path.split(".")) {
    if (cur === null || cur === undefined) return undefined;
    if (Array.isArray(cur)) cur = cur[Number(part)];
    else if (typeof cur === "object") cur = (cur as { [k: string]: unknown })[part];
    else return undefined;
  }
  return cur;
}

/** A value as a string ("" for null/undefined/objects; numbers without exponent noise). */
export function str(v: unknown): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "bigint" || typeof v === "boolean") return String(v);
  return "";
}

/** True for `true` and the strings "true"/"1" (Apple sends booleans as strings). */
export function truthy(v: unknown): boolean {
  return v === true || v === 1 || v === "true" || v === "1";
}
