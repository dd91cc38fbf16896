import type { App } from "../app.ts";
import type { Record } from "./record.ts";
import { kindOf } from "./record.ts";
import { ValidationError, fieldError, type ErrorData } from "../api-error.ts";
import type { FieldValidateContext } from "../fields/field-kind.ts";
import { quoteIdent } from "../../store/sqlite/database.ts";

/**
 * Validates every field of a record (PocketBase's `onRecordValidate` built-in link) and the
 * record-level rules: id format and uniqueness, ids unique across auth collections, no id
 * change. Throws `ValidationError` with PocketBase's field codes.
 */
export function validateRecord(app: App, record: Record): void {
  const c = record.collection();
  const errors: ErrorData = {};
  const original = record.isNew() ? null : record.original();
  const ctx: FieldValidateContext = {
    isNew: record.isNew(),
    original: undefined,
    countExisting(collectionId, ids) {
      const target = app.findCachedCollectionByNameOrId(collectionId);
      if (!target || ids.length === 0) return 0;
      const unique = [...new Set(ids)];
      const row = app.db().get<{ n: number }>(
        `SELECT COUNT(*) AS n FROM ${quoteIdent(target.name)} WHERE id IN (${unique.map(() => "?").join(",")})`,
        unique,
      );
      return row?.n ?? 0;
    },
  };
  for (const f of c.fields) {
    ctx.original = original ? original.getRaw(f.name) : undefined;
    const err = kindOf(f).validateValue(f, record.getRaw(f.name), ctx);
    if (err) errors[f.name] = err;
  }

  const id = record.id;
  if (!errors.id) {
    if (original && original.id !== id) {
      errors.id = fieldError("validation_pk_change", "The record primary key cannot be changed.");
    } else if (record.isNew() && id) {
      if (app.db().get(`SELECT 1 FROM ${quoteIdent(c.name)} WHERE id = ? LIMIT 1`, [id])) {
        errors.id = fieldError("validation_not_unique", "Value must be unique.");
      } else if (c.isAuth()) {
        for (const other of app.findAllCollections("auth")) {
          if (other.id === c.id) continue;
          if (app.db().get(`SELECT 1 FROM ${quoteIdent(other.name)} WHERE id = ? LIMIT 1`, [id])) {
            errors.id = fieldError("validation_invalid_auth_id", "Invalid or already existing auth record id.");
            break;
          }
        }
      }
    }
  }
  if (Object.keys(errors).length > 0) throw new ValidationError(errors);
}
