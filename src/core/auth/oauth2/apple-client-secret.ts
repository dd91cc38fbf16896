import { createPrivateKey, sign } from "node:crypto";
import { ApiError, fieldError } from "../../api-error.ts";
import type { FieldError } from "../../fields/field-kind.ts";

/** PocketBase parity: Apple accepts client secrets valid for at most ~6 months. */
export const APPLE_SECRET_MAX_DURATION = 15777000;

/** The input of `POST /api/settings/apple/generate-client-secret`. */
export interface AppleSecretInput {
  clientId?: unknown;
  teamId?: unknown;
  keyId?: unknown;
  privateKey?: unknown;
  duration?: unknown;
}

/**
 * Makes the "Sign in with Apple" client secret: an ES256 JWT signed with the developer's `.p8`
 * key (`iss` = team id, `sub` = client id, `aud` = https://appleid.apple.com, header `kid` = key
 * id). Throws a 400 ApiError with field errors for bad input or an unusable key.
 */
export function generateAppleClientSecret(input: AppleSecretInput): string {
  const s = (v: unknown) => (typeof v === "string" ? v.trim() : "");
  const clientId = s(input.clientId);
  const teamId = s(input.teamId);
  const keyId = s(input.keyId);
  const privateKey = typeof input.privateKey === "string" ? input.privateKey.trim() : "";
  const duration = typeof input.duration === "number" ? input.duration : Number(input.duration ?? 0);
  const errors: { [k: string]: FieldError } = {};
  if (!clientId) errors.clientId = fieldError("validation_required", "Cannot be blank.");
  if (!teamId) errors.teamId = fieldError("validation_required", "Cannot be blank.");
  else if (teamId.length !== 10) errors.teamId = fieldError("validation_length_invalid", "The length must be exactly 10.", { length: 10 });
  if (!keyId) errors.keyId = fieldError("validation_required", "Cannot be blank.");
  else if (keyId.length !== 10) errors.keyId = fieldError("validation_length_invalid", "The length must be exactly 10.", { length: 10 });
  if (!privateKey) errors.privateKey = fieldError("validation_required", "Cannot be blank.");
  if (!Number.isFinite(duration) || duration === 0) errors.duration = fieldError("validation_required", "Cannot be blank.");
  else if (!Number.isInteger(duration) || duration < 1 || duration > APPLE_SECRET_MAX_DURATION) {
    errors.duration = fieldError("validation_out_of_range", `Must be between 1 and ${APPLE_SECRET_MAX_DURATION}.`, { min: 1, max: APPLE_SECRET_MAX_DURATION });
  }
  let key: ReturnType<typeof createPrivateKey> | null = null;
  if (!errors.privateKey) {
    try {
      key = createPrivateKey(privateKey);
      if (key.asymmetricKeyType !== "ec") throw new Error("not an EC key");
    } catch {
      errors.privateKey = fieldError("validation_invalid_private_key", "Invalid PEM encoded ECDSA private key.");
    }
  }
  if (Object.keys(errors).length > 0) throw new ApiError(400, "An error occurred while validating the submitted data.", errors);
  const now = Math.floor(Date.now() / 1000);
  const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const input64 = `${enc({ alg: "ES256", kid: keyId, typ: "JWT" })}.${enc({ iss: teamId, iat: now, exp: now + duration, aud: "https://appleid.apple.com", sub: clientId })}`;
  const signature = sign("sha256", Buffer.from(input64), { key: key!, dsaEncoding: "ieee-p1363" });
  return `${input64}.${signature.toString("base64url")}`;
}
