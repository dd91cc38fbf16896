import type { App } from "../app.ts";
import type { Collection } from "../collections/collection.ts";
import type { Record } from "../records/record.ts";
import type { FieldError } from "../fields/field-kind.ts";
import { fieldError } from "../api-error.ts";
import { findAuthRecordByToken, type TokenType } from "./tokens.ts";

const LABELS: { [t in TokenType]: string } = {
  auth: "auth",
  verification: "verification",
  passwordReset: "password reset",
  emailChange: "email change",
  file: "file",
};

/** The result of checking the token of a confirm action. */
export type ActionTokenResult =
  | { ok: true; record: Record; claims: { [k: string]: unknown } }
  | { ok: false; error: FieldError };

/**
 * Checks the token of a `confirm-*` action: it must be a valid, unexpired token of the given
 * type (signed with the record's current tokenKey, so it dies once the password or email
 * changes) and belong to a record of this collection. The failure is the `data.token` error.
 */
export function checkActionToken(app: App, collection: Collection, token: string, type: TokenType): ActionTokenResult {
  const found = token ? findAuthRecordByToken(app, token, type) : null;
  if (!found) return { ok: false, error: fieldError("validation_invalid_token", `Invalid or expired ${LABELS[type]} token.`) };
  if (found.record.collection().id !== collection.id) {
    return { ok: false, error: fieldError("validation_token_collection_mismatch", "The provided token is for different auth collection.") };
  }
  return { ok: true, record: found.record, claims: found.claims };
}
