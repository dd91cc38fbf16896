import type { Record } from "./record.ts";
import { fieldError, type ErrorData } from "../api-error.ts";
import type { FieldError, PasswordValue } from "../fields/field-kind.ts";
import { checkBodyValueType } from "./body-value-types.ts";

/** Who is writing, for the body rules of PocketBase's record upsert form. */
export interface UpsertAccess {
  /** The requester is a superuser. */
  superuser: boolean;
  /** The requester passes the collection's `manageRule` (auth collections). */
  manager: boolean;
}

const MODIFIER_KEY = /^(\+)?(\w+)(\+|-|:autogenerate)?$/;

/**
 * Applies a request body to a record the way PocketBase's `RecordUpsert` form does:
 * unknown keys are ignored, non-superusers cannot set hidden fields (auth `password` excepted),
 * autodate values are ignored, modifier keys (`tags+`, `+tags`, `tags-`, `slug:autogenerate`)
 * are applied after plain keys, and auth collections get the password/passwordConfirm/oldPassword,
 * email and verified checks. Returns field errors (empty when fine) and the `@request.body`
 * view of the data after modifiers.
 */
export function applyRecordBody(
  record: Record,
  body: { [k: string]: unknown },
  access: UpsertAccess,
  prehashed?: PasswordValue,
): { errors: ErrorData; resolvedBody: { [k: string]: unknown } } {
  const c = record.collection();
  const errors: { [k: string]: FieldError } = {};
  const isNew = record.isNew();
  const original = isNew ? null : record.original();
  const touched = new Set<string>();
  const isAuth = c.isAuth();
  const privileged = access.superuser || access.manager;

  const keys = Object.keys(body).sort((a, b) => a.length - b.length);
  for (const key of keys) {
    if (isAuth && (key === "passwordConfirm" || key === "oldPassword")) continue;
    const m = MODIFIER_KEY.exec(key);
    const name = m ? m[2]! : key;
    const f = c.getFieldByName(name);
    if (!f) continue;
    if (f.type === "autodate") continue;
    if (f.name === "id" && !isNew) {
      if (body[key] !== record.id) errors.id = fieldError("validation_pk_change", "The record primary key cannot be changed.");
      continue;
    }
    const isAuthPassword = isAuth && f.name === "password";
    if (f.hidden && !access.superuser && !isAuthPassword) continue;
    if (isAuth && f.name === "tokenKey" && !access.superuser) continue;
    if (isAuthPassword) {
      const plain = body[key];
      if (plain === undefined || plain === null || plain === "") continue;
    }
    const typeErr = checkBodyValueType(f, body[key]);
    if (typeErr) {
      errors[f.name] ??= typeErr;
      continue;
    }
    record.set(key, body[key]);
    touched.add(f.name);
  }

  if (isAuth) {
    const pw = body.password;
    const hasNewPassword = typeof pw === "string" ? pw !== "" : pw !== undefined && pw !== null;
    if (hasNewPassword) {
      if (String(body.passwordConfirm ?? "") !== String(pw)) {
        errors.passwordConfirm = fieldError("validation_values_mismatch", "Values don't match.");
      }
      if (!isNew && !privileged) {
        const old = String(body.oldPassword ?? "");
        if (!old || !original!.validatePassword(old)) {
          errors.oldPassword = fieldError("validation_invalid_old_password", "Missing or invalid old password.");
        }
      }
      if (prehashed && prehashed.plain === String(pw)) record.setRaw("password", prehashed);
    } else if (isNew) {
      // PocketBase parity: on create both keys are required
      if (!("passwordConfirm" in body) || body.passwordConfirm === "") errors.passwordConfirm = fieldError("validation_required", "Cannot be blank.");
    }
    if (!privileged) {
      if (!isNew && touched.has("email") && record.email() !== original!.email()) {
        errors.email = fieldError("validation_values_mismatch", "Values don't match.");
      }
      const origVerified = original ? original.verified() : false;
      if (touched.has("verified") && record.verified() !== origVerified) {
        errors.verified = fieldError("validation_values_mismatch", "Values don't match.");
      }
    }
  }

  const resolvedBody: { [k: string]: unknown } = {};
  for (const name of touched) {
    const f = c.getFieldByName(name)!;
    resolvedBody[name] = f.type === "password" ? record.get(name) : record.getRaw(name);
  }
  for (const key of Object.keys(body)) {
    if (!(key in resolvedBody) && !MODIFIER_KEY.exec(key)?.[1] && !MODIFIER_KEY.exec(key)?.[3] && !c.getFieldByName(key)) {
      resolvedBody[key] = body[key];
    }
  }
  return { errors, resolvedBody };
}
