import type { Collection } from "../collections/collection.ts";
import type { FieldConfig, } from "../collections/collection-types.ts";
import type { FieldKind, FieldModifier, PasswordValue } from "../fields/field-kind.ts";
import { getFieldKind } from "../fields/registry.ts";
import { randomString } from "../../tools/security.ts";
import { DateTime } from "../../tools/date-time.ts";

/** True while `Record.fromRow` constructs a record (its constructor then sets no zero values). */
let fillingFromRow = false;

/** The expanded relations of a record (`expand` in JSON). */
export type ExpandMap = { [field: string]: Record | Record[] };

const MODIFIER_RE = /^(\+)?([\w]+)(\+|-|:autogenerate)?$/;

/**
 * A record of a collection: field values in their in-memory form (see `FieldKind`), the values
 * it was loaded with, its expand data and per-request export switches. Method names follow
 * PocketBase's JS API (`get`, `set`, `getString`, `email()`, `setPassword()`, …).
 */
export class Record {
  /** The collection the record belongs to. */
  readonly collectionRef: Collection;
  private data = new Map<string, unknown>();
  /**
   * The values as loaded or last saved. NB: right after a load or save it is the very Map of
   * `data` (no copy per record read); `mutableData()` copies before the first write.
   */
  private originalData: Map<string, unknown> | null = null;
  /** Custom (non-field) data; created on first use. */
  private custom: Map<string, unknown> | null = null;
  /** Per-record hidden/unhidden switches; created on first use. */
  private hiddenOverrides: Map<string, boolean> | null = null;
  /** Expanded relations (filled by the expand step). */
  expand: ExpandMap = {};
  /** Set when the request asked for `expand`, so an empty `"expand":{}` is still output. */
  expandRequested = false;
  private withCustom = false;
  private ignoreEmailVis = false;
  private newFlag = true;

  constructor(collection: Collection, data?: { [k: string]: unknown }) {
    this.collectionRef = collection;
    if (!fillingFromRow) for (const f of collection.fields) this.data.set(f.name, kindOf(f).zero(f));
    if (data) this.load(data);
  }

  /** Builds a stored record from a table row. */
  static fromRow(collection: Collection, row: { [k: string]: unknown }): Record {
    // NB: hot path (every record read); the zero values the constructor would set are skipped
    fillingFromRow = true;
    let r: Record;
    try {
      r = new Record(collection);
    } finally {
      fillingFromRow = false;
    }
    let found = 0;
    for (const f of collection.fields) {
      const kind = kindOf(f);
      if (f.name in row) {
        r.data.set(f.name, kind.fromDb(f, row[f.name]));
        found++;
      } else {
        r.data.set(f.name, kind.zero(f));
      }
    }
    const keys = Object.keys(row);
    if (keys.length !== found) {
      for (const k of keys) if (!collection.getFieldByName(k)) r.customMap().set(k, row[k]);
    }
    r.newFlag = false;
    r.originalData = r.data;
    return r;
  }

  /** The record's collection (PocketBase's `record.collection()`). */
  collection(): Collection {
    return this.collectionRef;
  }

  /** The record id. */
  get id(): string {
    return String(this.data.get("id") ?? "");
  }
  set id(v: string) {
    this.mutableData().set("id", v);
  }

  /** True until the record has been saved (or was loaded from the database). */
  isNew(): boolean {
    return this.newFlag;
  }
  /** Marks the record as not yet stored. */
  markAsNew(): void {
    this.newFlag = true;
  }
  /** Marks the record as stored and remembers its current values as the original ones. */
  markAsNotNew(): void {
    this.newFlag = false;
    this.originalData = this.data;
  }

  /** The field values for writing: copied first while they are shared with `originalData`. */
  private mutableData(): Map<string, unknown> {
    if (this.data === this.originalData) this.data = new Map(this.data);
    return this.data;
  }

  /** The custom data Map, created on first write. */
  private customMap(): Map<string, unknown> {
    return (this.custom ??= new Map());
  }

  /** A copy of the record as it was loaded (or a blank one for new records). */
  original(): Record {
    const r = new Record(this.collectionRef);
    if (this.originalData) {
      r.data = new Map(this.originalData);
      r.newFlag = false;
      r.originalData = r.data;
    }
    return r;
  }

  /** An independent copy with the same state. */
  clone(): Record {
    const r = new Record(this.collectionRef);
    r.data = new Map([...this.data].map(([k, v]) => [k, cloneValue(v)]));
    r.originalData = this.originalData ? new Map(this.originalData) : null;
    r.custom = this.custom ? new Map(this.custom) : null;
    r.newFlag = this.newFlag;
    r.expand = { ...this.expand };
    return r;
  }

  /** The value of a field (or of custom data). `password:hash` gives the stored hash. */
  get(key: string): unknown {
    if (key.endsWith(":hash")) {
      const v = this.data.get(key.slice(0, -5)) as PasswordValue | undefined;
      return v && typeof v === "object" ? v.hash : "";
    }
    const f = this.collectionRef.getFieldByName(key);
    if (f) {
      const v = this.data.get(key);
      if (f.type === "password") return (v as PasswordValue | undefined)?.plain ?? "";
      return v;
    }
    return this.custom?.get(key);
  }

  /** The value as string. */
  getString(key: string): string {
    const v = this.get(key);
    if (v === null || v === undefined) return "";
    return typeof v === "object" ? JSON.stringify(v) : String(v);
  }
  /** The value as boolean. */
  getBool(key: string): boolean {
    const v = this.get(key);
    return v === true || v === 1 || v === "true" || v === "1";
  }
  /** The value as a number (0 when not numeric). */
  getFloat(key: string): number {
    const n = Number(this.get(key));
    return Number.isFinite(n) ? n : 0;
  }
  /** The value as an integer. */
  getInt(key: string): number {
    return Math.trunc(this.getFloat(key));
  }
  /** The value as a string array (multi-value fields; a single value becomes a 1-item list). */
  getStringSlice(key: string): string[] {
    const v = this.get(key);
    if (Array.isArray(v)) return v.map(String);
    return v === "" || v === null || v === undefined ? [] : [String(v)];
  }

  /**
   * Sets a field through its setter: the value is normalised by the field kind, and modifier keys
   * (`field+`, `+field`, `field-`, `field:autogenerate`) are applied. Autodate fields ignore
   * writes. Keys that are not fields become custom data.
   */
  set(key: string, value: unknown): void {
    // NB: only keys starting with "+" or ending with "+", "-" or ":autogenerate" can be modifiers
    const m = hasModifierShape(key) ? MODIFIER_RE.exec(key) : null;
    if (m && (m[1] || m[3])) {
      const f = this.collectionRef.getFieldByName(m[2]!);
      if (f) {
        const kind = kindOf(f);
        const mod: FieldModifier = m[1] ? "prepend" : m[3] === "+" ? "append" : m[3] === "-" ? "remove" : "autogenerate";
        if (kind.applyModifier) this.mutableData().set(f.name, kind.applyModifier(f, this.data.get(f.name), mod, value));
        return;
      }
    }
    const f = this.collectionRef.getFieldByName(key);
    if (!f) {
      this.customMap().set(key, value);
      return;
    }
    if (f.type === "autodate") return;
    this.mutableData().set(key, kindOf(f).normalize(f, value));
  }

  /** Sets the in-memory value without normalisation (autodate included). */
  setRaw(key: string, value: unknown): void {
    if (this.collectionRef.getFieldByName(key)) this.mutableData().set(key, value);
    else this.customMap().set(key, value);
  }

  /** The in-memory value without the password special case. */
  getRaw(key: string): unknown {
    return this.collectionRef.getFieldByName(key) ? this.data.get(key) : this.custom?.get(key);
  }

  /** Sets several fields at once (through `set`). */
  load(data: { [k: string]: unknown }): void {
    // PocketBase parity: plain keys first, then modifiers, shorter keys first
    const keys = Object.keys(data).sort((a, b) => a.length - b.length);
    for (const k of keys) this.set(k, data[k]);
  }

  /** The names of the fields whose value differs from the loaded one. */
  changedFields(): string[] {
    const out: string[] = [];
    for (const f of this.collectionRef.fields) {
      const a = this.data.get(f.name);
      const b = this.originalData?.get(f.name);
      if (!this.originalData || !sameValue(a, b)) out.push(f.name);
    }
    return out;
  }

  /** Custom (non-field) data, e.g. extra columns of a custom query. */
  customData(): { [k: string]: unknown } {
    return this.custom ? Object.fromEntries(this.custom) : {};
  }

  // --- auth helpers -------------------------------------------------------------------------

  /** The `email` of an auth record. */
  email(): string {
    return this.getString("email");
  }
  /** Sets the email. */
  setEmail(email: string): void {
    this.set("email", email);
  }
  /** The `emailVisibility` flag. */
  emailVisibility(): boolean {
    return this.getBool("emailVisibility");
  }
  /** The `verified` flag. */
  verified(): boolean {
    return this.getBool("verified");
  }
  /** Sets `verified`. */
  setVerified(v: boolean): void {
    this.set("verified", v);
  }
  /** The token key (part of every token's signing key). */
  tokenKey(): string {
    return this.getString("tokenKey");
  }
  /** Sets the token key. */
  setTokenKey(key: string): void {
    this.set("tokenKey", key);
  }
  /** A new random token key, which invalidates every token issued before. */
  refreshTokenKey(): void {
    this.set("tokenKey", randomString(50));
  }
  /** Sets a new plain password (hashed on save). */
  setPassword(plain: string): void {
    this.set("password", plain);
  }
  /** Sets a random password (e.g. for OAuth2-created users). */
  setRandomPassword(): string {
    const p = randomString(30);
    this.set("password", p);
    return p;
  }
  /** Checks a plain password against the stored bcrypt hash. */
  validatePassword(plain: string): boolean {
    const hash = String(this.get("password:hash") ?? "");
    if (!hash || !plain) return false;
    try {
      return Bun.password.verifySync(plain, hash);
    } catch {
      return false;
    }
  }

  // --- export switches -------------------------------------------------------------------------

  /** Hides fields from the JSON export. */
  hide(...names: string[]): this {
    const o = (this.hiddenOverrides ??= new Map());
    for (const n of names) o.set(n, true);
    return this;
  }
  /** Shows hidden fields in the JSON export (never `password` or `tokenKey`). */
  unhide(...names: string[]): this {
    const o = (this.hiddenOverrides ??= new Map());
    for (const n of names) o.set(n, false);
    return this;
  }
  /** Shows every hidden field (superuser requests). */
  unhideAll(): this {
    for (const f of this.collectionRef.fields) if (f.hidden) (this.hiddenOverrides ??= new Map()).set(f.name, false);
    return this;
  }
  /** Includes custom data in the JSON export. */
  withCustomData(on: boolean): this {
    this.withCustom = on;
    return this;
  }
  /** Outputs the email whatever `emailVisibility` says (owner, superuser, manager, auth responses). */
  ignoreEmailVisibility(on: boolean): this {
    this.ignoreEmailVis = on;
    return this;
  }

  /** True when the field is left out of the JSON export. */
  isHiddenInExport(f: FieldConfig): boolean {
    if (f.type === "password" || (this.collectionRef.isAuth() && f.name === "tokenKey")) return true;
    const o = this.hiddenOverrides?.get(f.name);
    return o ?? f.hidden;
  }

  /** The API JSON of the record, honouring hidden fields, email visibility and expand. */
  publicExport(): { [k: string]: unknown } {
    const c = this.collectionRef;
    const out: { [k: string]: unknown } = { collectionId: c.id, collectionName: c.name };
    const auth = c.isAuth();
    const hideEmail = auth && !this.ignoreEmailVis && !this.getBool("emailVisibility");
    const overrides = this.hiddenOverrides;
    for (const f of c.fields) {
      // NB: isHiddenInExport inlined (hot path: every field of every exported record)
      if (f.type === "password" || (auth && f.name === "tokenKey")) continue;
      if (overrides ? (overrides.get(f.name) ?? f.hidden) : f.hidden) continue;
      if (hideEmail && f.name === "email") continue;
      out[f.name] = kindOf(f).toJSON(f, this.data.get(f.name));
    }
    if (this.withCustom && this.custom) for (const [k, v] of this.custom) if (!(k in out)) out[k] = v;
    const expandKeys = Object.keys(this.expand);
    if (expandKeys.length > 0 || this.expandRequested) {
      const ex: { [k: string]: unknown } = {};
      for (const k of expandKeys) {
        const v = this.expand[k]!;
        ex[k] = Array.isArray(v) ? v.map((r) => r.publicExport()) : v.publicExport();
      }
      out.expand = ex;
    }
    return out;
  }

  /** JSON.stringify support: the public export. */
  toJSON(): { [k: string]: unknown } {
    return this.publicExport();
  }

  // --- more PocketBase JS API names (used by pb_hooks) -------------------------------------------

  /** The table name (the collection name). */
  tableName(): string {
    return this.collectionRef.name;
  }
  /** The primary key (the id). */
  pk(): string {
    return this.id;
  }
  /** The id the record had when it was last loaded or saved ("" for new records). */
  lastSavedPK(): string {
    return String(this.originalData?.get("id") ?? "");
  }
  /** `collectionId/recordId`: the storage folder of the record's files. */
  baseFilesPath(): string {
    return `${this.collectionRef.id}/${this.id}`;
  }
  /** The tags model hooks are filtered by: the collection id and name. */
  hookTags(): string[] {
    return [this.collectionRef.id, this.collectionRef.name];
  }
  /** True for records of `_superusers`. */
  isSuperuser(): boolean {
    return this.collectionRef.name === "_superusers";
  }
  /** Every field's value keyed by field name (passwords as their plain value or ""). */
  fieldsData(): { [k: string]: unknown } {
    const out: { [k: string]: unknown } = {};
    for (const f of this.collectionRef.fields) out[f.name] = this.get(f.name);
    return out;
  }
  /** Sets the value only when the collection has that field. */
  setIfFieldExists(key: string, value: unknown): void {
    if (this.collectionRef.getFieldByName(key)) this.set(key, value);
  }
  /** Sets `emailVisibility`. */
  setEmailVisibility(v: boolean): void {
    this.set("emailVisibility", v);
  }
  /** The value as a DateTime (zero when empty or not a date). */
  getDateTime(key: string): DateTime {
    return new DateTime(this.getString(key));
  }
  /** The expanded record of a single relation, or null. */
  expandedOne(rel: string): Record | null {
    const v = this.expand[rel];
    return Array.isArray(v) ? (v[0] ?? null) : (v ?? null);
  }
  /** The expanded records of a relation ([] when none). */
  expandedAll(rel: string): Record[] {
    const v = this.expand[rel];
    return Array.isArray(v) ? v : v ? [v] : [];
  }
  /** Replaces the expand data. */
  setExpand(map: ExpandMap): void {
    this.expand = { ...(map ?? {}) };
  }
  /** Merges expand data into the current one. */
  mergeExpand(map: ExpandMap): void {
    Object.assign(this.expand, map ?? {});
  }
  /** A copy with the field values only (no expand, custom data or export switches). */
  fresh(): Record {
    const r = this.clone();
    r.expand = {};
    r.custom = new Map();
    return r;
  }
}

/** True when `key` could be a modifier key (`+field`, `field+`, `field-`, `field:autogenerate`). */
function hasModifierShape(key: string): boolean {
  if (key.length === 0) return false;
  const last = key.charCodeAt(key.length - 1);
  return key.charCodeAt(0) === 43 /* + */ || last === 43 /* + */ || last === 45 /* - */ || key.endsWith(":autogenerate");
}

/** The field kind of a field config; unknown types are treated as json so old data still reads. */
export function kindOf(f: FieldConfig): FieldKind {
  return getFieldKind(f.type) ?? getFieldKind("json")!;
}

function cloneValue(v: unknown): unknown {
  return v !== null && typeof v === "object" ? structuredClone(v) : v;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === "object" || typeof b === "object") return JSON.stringify(a) === JSON.stringify(b);
  return false;
}
