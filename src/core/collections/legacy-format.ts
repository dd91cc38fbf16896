import type { FieldConfig } from "./collection-types.ts";
import { autodateFields } from "./auth-defaults.ts";

type Json = { [k: string]: unknown };

/**
 * Converts the pre-v0.23 collection JSON (`"schema"` with nested `"options"`, as the seed and
 * many tutorials show it) to the modern `fields` form, the way PocketBase's upgrade migration
 * maps it. Input already in the modern form is returned unchanged.
 */
export function convertLegacyCollection(input: Json): Json {
  if (!Array.isArray(input.schema) || Array.isArray(input.fields)) return input;
  const out: Json = { ...input };
  delete out.schema;
  const opts = (input.options && typeof input.options === "object" ? input.options : {}) as Json;
  delete out.options;
  const indexes: string[] = Array.isArray(input.indexes) ? [...(input.indexes as string[])] : [];
  const fields: FieldConfig[] = [];
  for (const raw of input.schema as Json[]) {
    if (!raw || typeof raw !== "object") continue;
    const o = (raw.options && typeof raw.options === "object" ? raw.options : {}) as Json;
    const f: FieldConfig = {
      id: typeof raw.id === "string" ? raw.id : "",
      name: String(raw.name ?? ""),
      type: String(raw.type ?? "text"),
      system: !!raw.system,
      hidden: false,
      presentable: !!raw.presentable,
      required: !!raw.required,
      ...o,
    };
    if (!f.id) delete (f as { id?: string }).id;
    if (f.type === "number" && "noDecimal" in o) {
      f.onlyInt = !!o.noDecimal;
      delete f.noDecimal;
    }
    if (f.type === "editor" && "convertUrls" in o) {
      f.convertURLs = !!o.convertUrls;
      delete f.convertUrls;
    }
    if (f.type === "select" && Array.isArray(f.values) && typeof f.maxSelect === "number" && f.maxSelect > f.values.length) {
      // the old format let maxSelect exceed the number of values (the seed's tags: 5 of 3)
      f.maxSelect = f.values.length;
    }
    if (f.type === "relation") {
      if (o.maxSelect === null || o.maxSelect === undefined || o.maxSelect === 0) f.maxSelect = 2147483647;
      delete f.displayFields;
    }
    fields.push(f);
    if (raw.unique === true && f.name) {
      indexes.push(`CREATE UNIQUE INDEX \`idx_unique_${f.name}\` ON \`${String(input.name ?? "")}\` (\`${f.name}\`)`);
    }
  }
  // PocketBase parity: the old format had implicit created/updated; the upgrade appends them.
  for (const f of autodateFields()) if (!fields.some((x) => x.name === f.name)) fields.push(f);
  out.fields = fields;
  out.indexes = indexes;

  if (input.type === "view" && typeof opts.query === "string") out.viewQuery = opts.query;
  if (input.type === "auth") {
    out.authRule = opts.onlyVerified ? "verified=true" : "";
    if ("manageRule" in opts) out.manageRule = opts.manageRule;
    const identityFields: string[] = [];
    if (opts.allowEmailAuth !== false) identityFields.push("email");
    if (opts.allowUsernameAuth) identityFields.push("username");
    out.passwordAuth = { enabled: identityFields.length > 0, identityFields };
    if (opts.allowOAuth2Auth) out.oauth2 = { enabled: true };
  }
  for (const key of ["listRule", "viewRule", "createRule", "updateRule", "deleteRule"]) {
    if (typeof out[key] === "string") out[key] = (out[key] as string).replace(/@request\.data\./g, "@request.body.");
  }
  return out;
}
