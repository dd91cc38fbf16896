import type { App } from "../app.ts";
import type { Collection } from "./collection.ts";
import { ValidationError, fieldError, type ErrorData } from "../api-error.ts";
import type { FieldError } from "../fields/field-kind.ts";
import { getFieldKind } from "../fields/registry.ts";
import { validateCommonOptions } from "../fields/common-options.ts";
import { parseIndex } from "./index-parse.ts";
import { TOKEN_KEYS } from "./auth-defaults.ts";
import { compileRuleCheck } from "../rules/rule-check.ts";

/** Compiles a rule against the collection being saved; returns the reason it is invalid, or null. */
function ruleProblem(app: App, c: Collection, rule: string): string | null {
  const schema = {
    findCollection: (x: string) => (x === c.id || x.toLowerCase() === c.name.toLowerCase() ? c : app.findCachedCollectionByNameOrId(x)),
  };
  try {
    compileRuleCheck({ schema, collection: c, rule, request: null, recordId: "" });
    return null;
  } catch (err) {
    const cause = err instanceof Error && err.cause instanceof Error ? err.cause.message : err instanceof Error ? err.message : String(err);
    return cause;
  }
}

const NAME_RE = /^\w+$/;
const RULE_KEYS = ["listRule", "viewRule", "createRule", "updateRule", "deleteRule"] as const;

/**
 * Validates a collection before it is saved (PocketBase's collection validator): name, id, type,
 * system flags, fields and their options, rules, indexes, view and auth options. Throws
 * `ValidationError` with PocketBase's codes; `old` is the stored version on update.
 */
export function validateCollection(app: App, c: Collection, old: Collection | null): void {
  const errors: ErrorData = {};
  const put = (key: string, err: FieldError) => {
    if (!errors[key]) errors[key] = err;
  };

  if (!old) {
    if (!NAME_RE.test(c.id) || c.id.length > 100) put("id", fieldError("validation_invalid_id", "Must be 1-100 word characters."));
    else if (app.findCachedCollectionByNameOrId(c.id)) put("id", fieldError("validation_not_unique", "Value must be unique."));
  }
  if (!c.name) put("name", fieldError("validation_required", "Cannot be blank."));
  else if (!NAME_RE.test(c.name) || c.name.length > 255) put("name", fieldError("validation_match_invalid", "Must be in a valid format."));
  else if (c.name.toLowerCase().includes("_via_")) put("name", fieldError("validation_found_via", "The name must not contain \"_via_\"."));
  else {
    const other = app.findCachedCollectionByNameOrId(c.name);
    if (other && other.id !== c.id) put("name", fieldError("validation_collection_name_exists", "Collection name must be unique (case insensitive)."));
    else if (!other || other.id !== c.id) {
      const table = app.db().get<{ name: string }>("SELECT name FROM sqlite_master WHERE type IN ('table','view') AND name = ? COLLATE NOCASE", [c.name]);
      const ownTable = old && old.name.toLowerCase() === c.name.toLowerCase();
      if (table && !ownTable) put("name", fieldError("validation_collection_name_invalid", "The name is reserved by an existing table."));
    }
  }
  if (!["base", "auth", "view"].includes(c.type)) put("type", fieldError("validation_in_invalid", "Must be a valid value."));
  if (old) {
    if (old.type !== c.type) put("type", fieldError("validation_collection_type_change", "Changing the collection type is not allowed."));
    if (old.system !== c.system) put("system", fieldError("validation_system_flag_change", "The system flag cannot be changed."));
    if (old.system && old.name !== c.name) put("name", fieldError("validation_system_collection_name_change", "System collection name cannot be changed."));
    if (old.system) {
      for (const k of RULE_KEYS) {
        if (old[k] !== c[k]) put(k, fieldError("validation_system_collection_rule_change", "System collection API rules cannot be changed."));
      }
    }
  }

  const fieldErrors = validateFields(app, c, old);
  if (fieldErrors) errors.fields = fieldErrors;

  if (c.isView()) {
    for (const k of ["createRule", "updateRule", "deleteRule"] as const) {
      if (c[k] !== null) put(k, fieldError("validation_nil_or_not_empty_required", "View collections can only have list and view rules (the others must be null)."));
    }
    if (c.indexes.length > 0) put("indexes", fieldError("validation_view_indexes", "View collections cannot have indexes."));
  }

  if (!errors.fields) {
    for (const k of RULE_KEYS) checkRule(app, c, k, c[k], errors);
    if (c.isAuth()) {
      checkRule(app, c, "authRule", c.authRule ?? null, errors);
      if (c.manageRule === "") put("manageRule", fieldError("validation_nil_or_not_empty_required", "Cannot be blank."));
      else checkRule(app, c, "manageRule", c.manageRule ?? null, errors);
    }
  }

  const ixErrors = validateIndexes(app, c);
  if (ixErrors) errors.indexes = ixErrors;
  if (c.isAuth()) validateAuthOptions(c, errors);

  if (Object.keys(errors).length > 0) throw new ValidationError(errors);
}

function checkRule(app: App, c: Collection, key: string, rule: string | null, errors: ErrorData): void {
  if (rule === null || rule === "") return;
  const msg = ruleProblem(app, c, rule);
  if (msg && !errors[key]) errors[key] = fieldError("validation_invalid_rule", `Invalid rule. Raw error: ${msg}`);
}

function validateFields(app: App, c: Collection, old: Collection | null): ErrorData | null {
  const out: ErrorData = {};
  const names = new Map<string, number>();
  c.fields.forEach((f, i) => {
    const key = String(i);
    const errs: { [k: string]: FieldError } = {};
    Object.assign(errs, validateCommonOptions(f) ?? {});
    if (c.isAuth() && ["passwordconfirm", "oldpassword"].includes(String(f.name).toLowerCase())) {
      errs.name = fieldError("validation_field_name_reserved", "The name is reserved.");
    }
    const lower = String(f.name).toLowerCase();
    if (names.has(lower)) errs.name ??= fieldError("validation_not_unique", "Duplicated or invalid field name.");
    names.set(lower, i);
    const kind = getFieldKind(f.type);
    if (!kind) errs.type = fieldError("validation_in_invalid", "Must be a valid value.");
    const prev = old?.getFieldById(f.id) ?? null;
    if (prev) {
      if (prev.type !== f.type) errs.type ??= fieldError("validation_field_type_change", "The field type cannot be changed.");
      if (prev.system && prev.name !== f.name) errs.name ??= fieldError("validation_system_field_change", "System field name cannot be changed.");
    }
    if (kind) {
      const optErrs = kind.validateOptions(f, {
        collectionType: c.type,
        findCollection: (x) => {
          const t = app.findCachedCollectionByNameOrId(x) ?? (x === c.id || x === c.name ? c : null);
          return t ? { id: t.id, type: t.type } : null;
        },
        previous: prev,
      });
      for (const [k, v] of Object.entries(optErrs ?? {})) errs[k] ??= v;
    }
    if (Object.keys(errs).length > 0) out[key] = errs;
  });
  if (old) {
    for (const f of old.fields) {
      if (f.system && !c.getFieldById(f.id)) {
        out[String(c.fields.length)] = { id: fieldError("validation_system_field_change", `System field "${f.name}" cannot be deleted.`) };
      }
    }
  }
  return Object.keys(out).length ? out : null;
}

function validateIndexes(app: App, c: Collection): ErrorData | null {
  const out: ErrorData = {};
  const names = new Set<string>();
  c.indexes.forEach((sql, i) => {
    const ix = typeof sql === "string" ? parseIndex(sql) : null;
    if (!ix) {
      out[String(i)] = fieldError("validation_invalid_index_expression", "Invalid CREATE INDEX expression.");
      return;
    }
    const lower = ix.indexName.toLowerCase();
    if (names.has(lower)) {
      out[String(i)] = fieldError("validation_duplicated_index_name", "The index name must be unique.");
      return;
    }
    names.add(lower);
    const other = app.db().get<{ tbl_name: string }>("SELECT tbl_name FROM sqlite_master WHERE type = 'index' AND name = ? COLLATE NOCASE", [ix.indexName]);
    const ownTables = [c.name.toLowerCase(), (app.findCachedCollectionByNameOrId(c.id)?.name ?? "").toLowerCase()];
    if (other && !ownTables.includes(other.tbl_name.toLowerCase())) {
      out[String(i)] = fieldError("validation_existing_index_name", "The index name is already used by another table.");
    }
  });
  return Object.keys(out).length ? out : null;
}

function validateAuthOptions(c: Collection, errors: ErrorData): void {
  for (const k of TOKEN_KEYS) {
    const t = c[k];
    if (!t) continue;
    const e: ErrorData = {};
    if (!(typeof t.duration === "number" && t.duration >= 10 && t.duration <= 94670856)) e.duration = fieldError("validation_min_greater_equal_than_required", "Must be between 10 and 94670856 seconds.");
    if (typeof t.secret !== "string" || t.secret.length < 30 || t.secret.length > 255) e.secret = fieldError("validation_length_out_of_range", "The length must be between 30 and 255.");
    if (Object.keys(e).length) errors[k] = e;
  }
  const pa = c.passwordAuth;
  if (pa) {
    const bad = (pa.identityFields ?? []).findIndex((name) => !hasUniqueIndexOn(c, name));
    if (bad >= 0) errors.passwordAuth = { identityFields: fieldError("validation_missing_unique_constraint", `The identity field "${pa.identityFields[bad]}" must have a UNIQUE index.`) };
  }
  if (c.mfa?.enabled) {
    const methods = [c.passwordAuth?.enabled, c.oauth2?.enabled, c.otp?.enabled].filter(Boolean).length;
    if (methods < 2) errors.mfa = { enabled: fieldError("validation_mfa_not_enough_auths", "MFA requires at least 2 auth methods to be enabled.") };
  }
  if (c.otp && (c.otp.length < 4 || c.otp.duration < 10 || c.otp.duration > 86400)) {
    errors.otp = { length: fieldError("validation_invalid_otp_options", "OTP length must be at least 4 and duration between 10 and 86400 seconds.") };
  }
}

function hasUniqueIndexOn(c: Collection, field: string): boolean {
  if (!c.getFieldByName(field)) return false;
  return c.indexes.some((sql) => {
    const ix = parseIndex(sql);
    return !!ix && ix.unique && ix.columns.length === 1 && ix.columns[0]!.name.toLowerCase() === field.toLowerCase();
  });
}
