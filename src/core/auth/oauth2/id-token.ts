import { decodeJwtUnverified } from "../../../tools/jwt.ts";

/** What an id_token must satisfy. */
export interface IdTokenCheck {
  /** Where the provider publishes its signing keys (a JWKS document). */
  jwksURL: string;
  /** The OAuth2 client id; it must be in `aud`. */
  audience: string;
  /** Accepted `iss` values; any when empty. */
  issuers?: string[];
}

interface Jwk {
  kid?: string;
  kty?: string;
  alg?: string;
  use?: string;
  [k: string]: unknown;
}

const ALGS: { [alg: string]: { import: RsaHashedImportParams | EcKeyImportParams; verify: AlgorithmIdentifier | EcdsaParams } } = {
  RS256: { import: { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, verify: { name: "RSASSA-PKCS1-v1_5" } },
  RS384: { import: { name: "RSASSA-PKCS1-v1_5", hash: "SHA-384" }, verify: { name: "RSASSA-PKCS1-v1_5" } },
  RS512: { import: { name: "RSASSA-PKCS1-v1_5", hash: "SHA-512" }, verify: { name: "RSASSA-PKCS1-v1_5" } },
  ES256: { import: { name: "ECDSA", namedCurve: "P-256" }, verify: { name: "ECDSA", hash: "SHA-256" } },
  ES384: { import: { name: "ECDSA", namedCurve: "P-384" }, verify: { name: "ECDSA", hash: "SHA-384" } },
};

/**
 * Verifies an OpenID Connect id_token against the provider's JWKS (RS256/384/512, ES256/384)
 * and checks `exp`, `aud` and `iss`. Returns the claims; throws with a reason otherwise.
 */
export async function verifyIdToken(idToken: string, check: IdTokenCheck): Promise<{ [k: string]: unknown }> {
  const decoded = decodeJwtUnverified(idToken);
  if (!decoded) throw new Error("malformed id_token");
  const alg = String(decoded.header.alg ?? "");
  const spec = ALGS[alg];
  if (!spec) throw new Error(`unsupported id_token algorithm "${alg}"`);
  const res = await fetch(check.jwksURL, { headers: { accept: "application/json" }, signal: AbortSignal.timeout(30_000) });
  if (!res.ok) throw new Error(`failed to fetch the JWKS (${res.status})`);
  const jwks = (await res.json()) as { keys?: Jwk[] };
  const kid = decoded.header.kid;
  const candidates = (jwks.keys ?? []).filter((k) => (kid === undefined || k.kid === kid) && (!k.alg || k.alg === alg));
  const [h, p, s] = idToken.split(".") as [string, string, string];
  const data = new TextEncoder().encode(`${h}.${p}`);
  const signature = Buffer.from(s, "base64url");
  let ok = false;
  for (const jwk of candidates) {
    try {
      const key = await crypto.subtle.importKey("jwk", jwk as JsonWebKey, spec.import, false, ["verify"]);
      if (await crypto.subtle.verify(spec.verify, key, signature, data)) {
        ok = true;
        break;
      }
    } catch {
      // a key of another type: try the next one
    }
  }
  if (!ok) throw new Error("invalid id_token signature");
  const claims = decoded.payload;
  const now = Date.now() / 1000;
  if (typeof claims.exp !== "number" || claims.exp <= now) throw new Error("the id_token has expired");
  const aud = Array.isArray(claims.aud) ? claims.aud.map(String) : [String(claims.aud ?? "")];
  if (!aud.includes(check.audience)) throw new Error("the id_token audience does not match the client id");
  if (check.issuers && check.issuers.length > 0 && !check.issuers.includes(String(claims.iss ?? ""))) {
    throw new Error("the id_token issuer is not accepted");
  }
  return claims;
}
