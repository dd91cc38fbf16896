import type { AuthOptions, CollectionConfig, CollectionType, FieldConfig, OAuth2ProviderConfig } from "./collection-types.ts";
import { AUTH_OPTION_KEYS, TOKEN_KEYS, authSystemFields, defaultAuthOptions, idField } from "./auth-defaults.ts";
import { crc32 } from "../../tools/security.ts";
import { nowString } from "../../tools/dates.ts";

/** The default collection id: `"pbc_" + crc32(type + name)` in decimal. */
export function defaultCollectionId(type: string, name: string): string {
  return "pbc_" + crc32(type + name);
}

/**
 * A collection: its JSON keys as properties (PocketBase's flattened shape) plus helpers. Built
 * from JSON with `new Collection({...})`, which starts from a complete default of the given type
 * and overlays the input (a given `fields` replaces the list; system fields come back on save).
 */
export class Collection implements CollectionConfig {
  id = "";
  name = "";
  type: CollectionType = "base";
  system = false;
  fields: FieldConfig[] = [];
  indexes: string[] = [];
  listRule: string | null = null;
  viewRule: string | null = null;
  createRule: string | null = null;
  updateRule: string | null = null;
  deleteRule: string | null = null;
  created = "";
  updated = "";
  viewQuery?: string;
  authRule?: string | null;
  manageRule?: string | null;
  authAlert?: AuthOptions["authAlert"];
  oauth2?: AuthOptions["oauth2"];
  passwordAuth?: AuthOptions["passwordAuth"];
  mfa?: AuthOptions["mfa"];
  otp?: AuthOptions["otp"];
  authToken?: AuthOptions["authToken"];
  passwordResetToken?: AuthOptions["passwordResetToken"];
  emailChangeToken?: AuthOptions["emailChangeToken"];
  verificationToken?: AuthOptions["verificationToken"];
  fileToken?: AuthOptions["fileToken"];
  verificationTemplate?: AuthOptions["verificationTemplate"];
  resetPasswordTemplate?: AuthOptions["resetPasswordTemplate"];
  confirmEmailChangeTemplate?: AuthOptions["confirmEmailChangeTemplate"];

  private fieldIndex: Map<string, FieldConfig> | null = null;

  constructor(data: Partial<CollectionConfig> & { [k: string]: unknown } = {}) {
    const type = (data.type === "auth" || data.type === "view" ? data.type : "base") as CollectionType;
    this.type = type;
    this.fields = type === "view" ? [] : type === "auth" ? [idField(), ...authSystemFields()] : [idField()];
    if (type === "auth") Object.assign(this, defaultAuthOptions());
    if (type === "view") this.viewQuery = "";
    this.load(data);
  }

  /** Overlays JSON keys onto the collection (unknown keys, like the legacy `schema`, are ignored). */
  load(data: { [k: string]: unknown }): this {
    const self = this as unknown as { [k: string]: unknown };
    for (const key of ["id", "name", "system", "indexes", "listRule", "viewRule", "createRule", "updateRule", "deleteRule", "created", "updated"]) {
      if (key in data) self[key] = data[key];
    }
    if (Array.isArray(data.fields)) this.fields = (data.fields as FieldConfig[]).map((f) => ({ ...f }));
    if (this.type === "view" && "viewQuery" in data) this.viewQuery = String(data.viewQuery ?? "");
    if (this.type === "auth") {
      for (const key of AUTH_OPTION_KEYS) {
        if (!(key in data)) continue;
        const v = data[key];
        const cur = self[key];
        if ((TOKEN_KEYS as readonly string[]).includes(key) && v && typeof v === "object") {
          // a blank or missing secret keeps the current one (secrets are never serialised)
          const t = v as { secret?: unknown; duration?: unknown };
          const c = cur as { secret: string; duration: number };
          self[key] = { secret: typeof t.secret === "string" && t.secret !== "" ? t.secret : c.secret, duration: t.duration ?? c.duration };
        } else if (key === "oauth2" && v && typeof v === "object") {
          self[key] = mergeOAuth2(cur as AuthOptions["oauth2"], v as Partial<AuthOptions["oauth2"]>);
        } else if (v && typeof v === "object" && !Array.isArray(v) && cur && typeof cur === "object") {
          self[key] = { ...(cur as object), ...(v as object) };
        } else {
          self[key] = v;
        }
      }
    }
    if (!Array.isArray(this.indexes)) this.indexes = [];
    this.fieldIndex = null;
    return this;
  }

  /** True for auth collections. */
  isAuth(): boolean {
    return this.type === "auth";
  }
  /** True for view collections. */
  isView(): boolean {
    return this.type === "view";
  }
  /** True for base collections. */
  isBase(): boolean {
    return this.type === "base";
  }

  /** The field with that name (case-sensitive), or undefined. */
  getFieldByName(name: string): FieldConfig | undefined {
    if (!this.fieldIndex) this.fieldIndex = new Map(this.fields.map((f) => [f.name, f]));
    return this.fieldIndex.get(name);
  }

  /** The field with that id, or undefined. */
  getFieldById(id: string): FieldConfig | undefined {
    return this.fields.find((f) => f.id === id);
  }

  /** Forgets cached lookups after `fields` was changed in place. */
  touchFields(): void {
    this.fieldIndex = null;
  }

  /** Adds an index definition (``CREATE [UNIQUE ]INDEX `name` ON `coll` (cols)[ WHERE ...]``). */
  addIndex(name: string, unique: boolean, columns: string, where = ""): void {
    this.removeIndex(name);
    this.indexes.push(`CREATE ${unique ? "UNIQUE " : ""}INDEX \`${name}\` ON \`${this.name}\` (${columns})${where ? " WHERE " + where : ""}`);
  }

  /** Removes an index by name. */
  removeIndex(name: string): void {
    const re = new RegExp("INDEX\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?[`\"'\\[]?" + name.replace(/[^\w]/g, "") + "[`\"'\\]]?\\s+ON", "i");
    this.indexes = this.indexes.filter((ix) => !re.test(ix));
  }

  /** The auth options block of this collection (auth collections only). */
  authOptions(): AuthOptions {
    const self = this as unknown as { [k: string]: unknown };
    const out: { [k: string]: unknown } = {};
    for (const k of AUTH_OPTION_KEYS) out[k] = self[k];
    return out as unknown as AuthOptions;
  }

  /** A deep copy. */
  clone(): Collection {
    return new Collection(structuredClone(this.toStorageJSON()) as unknown as { [k: string]: unknown });
  }

  /**
   * The full JSON including secrets (for `_collections.options`, migrations and exports made on
   * the server). Never send this to a client: use `toJSON`.
   */
  toStorageJSON(): CollectionConfig {
    const out: CollectionConfig = {
      id: this.id, listRule: this.listRule, viewRule: this.viewRule, createRule: this.createRule,
      updateRule: this.updateRule, deleteRule: this.deleteRule, name: this.name, type: this.type,
      fields: this.fields.map((f) => ({ ...f })), indexes: [...this.indexes],
      created: this.created, updated: this.updated, system: this.system,
    };
    if (this.type === "view") out.viewQuery = this.viewQuery ?? "";
    if (this.type === "auth") Object.assign(out, structuredClone(this.authOptions()));
    return out;
  }

  /** The API JSON: token secrets and OAuth2 client secrets are blanked, as PocketBase does. */
  toJSON(): CollectionConfig {
    const out = this.toStorageJSON() as unknown as { [k: string]: unknown };
    if (this.type === "auth") {
      for (const k of TOKEN_KEYS) {
        const t = out[k] as { duration: number };
        out[k] = { duration: t.duration };
      }
      const o = out.oauth2 as AuthOptions["oauth2"];
      out.oauth2 = { ...o, providers: (o.providers ?? []).map((p) => ({ ...p, clientSecret: "" })) };
    }
    return out as unknown as CollectionConfig;
  }
}

function mergeOAuth2(cur: AuthOptions["oauth2"], v: Partial<AuthOptions["oauth2"]>): AuthOptions["oauth2"] {
  const providers = Array.isArray(v.providers)
    ? v.providers.map((p: Partial<OAuth2ProviderConfig>) => {
        const prev = cur.providers.find((c) => c.name === p.name);
        return {
          name: String(p.name ?? ""), clientId: String(p.clientId ?? ""),
          clientSecret: p.clientSecret ? String(p.clientSecret) : (prev?.clientSecret ?? ""),
          authURL: String(p.authURL ?? ""), tokenURL: String(p.tokenURL ?? ""), userInfoURL: String(p.userInfoURL ?? ""),
          displayName: String(p.displayName ?? ""), pkce: typeof p.pkce === "boolean" ? p.pkce : null, extra: p.extra ?? null,
        };
      })
    : cur.providers;
  return { enabled: v.enabled ?? cur.enabled, providers, mappedFields: { ...cur.mappedFields, ...(v.mappedFields ?? {}) } };
}

/** A `_collections` row as stored by PocketBase. */
export interface CollectionRow {
  id: string;
  system: number | boolean;
  type: string;
  name: string;
  fields: string;
  indexes: string;
  listRule: string | null;
  viewRule: string | null;
  createRule: string | null;
  updateRule: string | null;
  deleteRule: string | null;
  options: string;
  created: string;
  updated: string;
}

/** Reads a `_collections` row (auth/view options live in the `options` JSON column). */
export function collectionFromRow(row: CollectionRow): Collection {
  const options = safeJSON(row.options, {}) as { [k: string]: unknown };
  const c = new Collection({ type: row.type as CollectionType });
  c.load({
    ...options,
    id: row.id, name: row.name, system: !!row.system,
    fields: safeJSON(row.fields, []) as FieldConfig[],
    indexes: (safeJSON(row.indexes, []) as string[]) ?? [],
    listRule: row.listRule, viewRule: row.viewRule, createRule: row.createRule, updateRule: row.updateRule, deleteRule: row.deleteRule,
    created: row.created, updated: row.updated,
  });
  return c;
}

/** The `_collections` row values for a collection. */
export function collectionToRow(c: Collection): CollectionRow {
  let options: { [k: string]: unknown } = {};
  if (c.type === "auth") options = structuredClone(c.authOptions()) as unknown as { [k: string]: unknown };
  if (c.type === "view") options = { viewQuery: c.viewQuery ?? "" };
  return {
    id: c.id, system: c.system ? 1 : 0, type: c.type, name: c.name,
    fields: JSON.stringify(c.fields), indexes: JSON.stringify(c.indexes),
    listRule: c.listRule, viewRule: c.viewRule, createRule: c.createRule, updateRule: c.updateRule, deleteRule: c.deleteRule,
    options: JSON.stringify(options), created: c.created || nowString(), updated: c.updated || nowString(),
  };
}

function safeJSON(text: unknown, fallback: unknown): unknown {
  if (typeof text !== "string" || text === "") return fallback;
  try {
    return JSON.parse(text) ?? fallback;
  } catch {
    return fallback;
  }
}
