import { Collection } from "../core/collections/collection.ts";
import type { FieldConfig } from "../core/collections/collection-types.ts";
import { convertLegacyCollection } from "../core/collections/legacy-format.ts";
import { defaultFieldId } from "../core/fields/field-defaults.ts";
import { Record } from "../core/records/record.ts";
import { currentApp } from "./current-app.ts";

const MODEL = Symbol("satchel.arrayOfModel");
const SHAPE = Symbol("satchel.dynamicModelShape");
const NULLABLE = Symbol("satchel.nullable");
const FIELDS_BACKING = Symbol("satchel.fieldsBacking");

type Json = { [k: string]: unknown };

/** A collection with no fields: what `new Record()` without a collection belongs to. */
function placeholderCollection(): Collection {
  return new Collection({ name: "" });
}

/**
 * The JS `Record` constructor: `new Record(collection?, data?)`. The collection may be a
 * Collection or (a Satchel extra) its name or id. NB: returns a core Record, so
 * `e.record instanceof Record` holds in hooks.
 */
export const JsRecord = function JsRecord(collection?: unknown, data?: Json): Record {
  let c: Collection;
  if (collection instanceof Collection) c = collection;
  else if (typeof collection === "string" && collection !== "") c = currentApp().findCollectionByNameOrId(collection);
  else c = placeholderCollection();
  return new Record(c, data && typeof data === "object" ? data : undefined);
} as unknown as { new (collection?: unknown, data?: Json): Record; prototype: Record };
JsRecord.prototype = Record.prototype;

/** The JS `Collection` constructor: accepts the v0.23+ JSON and the older `schema`/`options` form. */
export const JsCollection = function JsCollection(data?: Json): Collection {
  return withFieldsList(new Collection(convertLegacyCollection(data && typeof data === "object" ? data : {})));
} as unknown as { new (data?: Json): Collection; prototype: Collection };
JsCollection.prototype = Collection.prototype;

/** PocketBase's `DynamicModel(shape)`: an object whose keys and value types say how to read rows. */
export const DynamicModel = function DynamicModel(shape?: Json): Json {
  const obj: Json = {};
  const s = shape && typeof shape === "object" ? shape : {};
  for (const [k, v] of Object.entries(s)) obj[k] = isNullable(v) ? null : structuredCloneSafe(v);
  Object.defineProperty(obj, SHAPE, { value: s, enumerable: false });
  return obj;
} as unknown as { new (shape?: Json): Json };

function structuredCloneSafe(v: unknown): unknown {
  return v !== null && typeof v === "object" ? structuredClone(v) : v;
}

/** `arrayOf(model)`: an array that remembers what its items should be (filled by `all()`). */
export function arrayOf(model: unknown): unknown[] {
  const arr: unknown[] = [];
  Object.defineProperty(arr, MODEL, { value: model, enumerable: false });
  return arr;
}

/** The model an `arrayOf` array was created with. */
export function modelOf(arr: unknown[]): unknown {
  return (arr as unknown as { [MODEL]?: unknown })[MODEL];
}

function nullable(kind: string): () => object {
  return () => ({ [NULLABLE]: kind });
}

function isNullable(v: unknown): v is { [NULLABLE]: string } {
  return typeof v === "object" && v !== null && NULLABLE in v;
}

/** `nullString()`, `nullInt()`, …: DynamicModel shape values that keep SQL NULL as null. */
export const nullables = {
  nullString: nullable("string"),
  nullInt: nullable("int"),
  nullFloat: nullable("float"),
  nullBool: nullable("bool"),
  nullArray: nullable("array"),
  nullObject: nullable("object"),
};

function convert(v: unknown, like: unknown): unknown {
  if (isNullable(like)) {
    if (v === null || v === undefined) return null;
    const kind = like[NULLABLE];
    like = kind === "string" ? "" : kind === "int" || kind === "float" ? 0 : kind === "bool" ? false : kind === "array" ? [] : {};
    if (kind === "int") return Math.trunc(Number(v)) || 0;
  }
  if (typeof like === "number") return Number(v ?? 0) || 0;
  if (typeof like === "boolean") return v === true || v === 1 || v === "1" || v === "true";
  if (typeof like === "string") return v === null || v === undefined ? "" : v instanceof Uint8Array ? new TextDecoder().decode(v) : String(v);
  if (like !== null && typeof like === "object") {
    if (typeof v === "string") {
      try {
        return JSON.parse(v);
      } catch {
        return Array.isArray(like) ? [] : {};
      }
    }
    return v ?? (Array.isArray(like) ? [] : {});
  }
  return v;
}

/** A new object shaped like `model` (a DynamicModel) with the row's values converted to its types. */
export function fillModel(model: Json, row: Json): Json {
  const shape = (model as { [SHAPE]?: Json })[SHAPE] ?? model;
  const keys = Object.keys(shape);
  const out = keys.length ? new DynamicModel(shape) : ({} as Json);
  if (keys.length === 0) return { ...row };
  for (const k of keys) if (k in row) out[k] = convert(row[k], shape[k]);
  return out;
}

/** Copies `data` into `dst` (PocketBase's `unmarshal`): collections and records load it, objects get it assigned. */
export function unmarshal(data: unknown, dst: unknown): unknown {
  const src = typeof data === "string" ? JSON.parse(data) : data;
  if (!src || typeof src !== "object" || !dst || typeof dst !== "object") return dst;
  if (dst instanceof Collection) dst.load(convertLegacyCollection(src as Json));
  else if (dst instanceof Record) dst.load(src as Json);
  else Object.assign(dst, src);
  return dst;
}

// --- fields ---------------------------------------------------------------------------------------

function fieldCtor(type?: string): new (data?: Json) => FieldConfig {
  return function JsField(data?: Json): FieldConfig {
    const d = data && typeof data === "object" ? data : {};
    return { ...d, type: type ?? String(d.type ?? "") } as FieldConfig;
  } as unknown as new (data?: Json) => FieldConfig;
}

/** The field constructors (`new TextField({name: "slug"})`): plain field configs, completed on save. */
export const fieldConstructors = {
  Field: fieldCtor(),
  NumberField: fieldCtor("number"),
  BoolField: fieldCtor("bool"),
  TextField: fieldCtor("text"),
  URLField: fieldCtor("url"),
  EmailField: fieldCtor("email"),
  EditorField: fieldCtor("editor"),
  PasswordField: fieldCtor("password"),
  DateField: fieldCtor("date"),
  AutodateField: fieldCtor("autodate"),
  JSONField: fieldCtor("json"),
  RelationField: fieldCtor("relation"),
  SelectField: fieldCtor("select"),
  FileField: fieldCtor("file"),
  GeoPointField: fieldCtor("geoPoint"),
};

/** PocketBase's `FieldsList` methods, added to a collection's `fields` array. */
interface FieldsListMethods {
  add(...fields: FieldConfig[]): void;
  addAt(pos: number, ...fields: FieldConfig[]): void;
  addMarshaledJSON(json: unknown): void;
  getById(id: string): FieldConfig | null;
  getByName(name: string): FieldConfig | null;
  removeById(id: string): void;
  removeByName(name: string): void;
  fieldNames(): string[];
  asMap(): { [name: string]: FieldConfig };
}

function withId(f: FieldConfig): FieldConfig {
  if (!f.id) f.id = defaultFieldId(String(f.type ?? ""), String(f.name ?? ""));
  return f;
}

function listMethods(c: Collection, list: FieldConfig[]): FieldsListMethods {
  const replaceOrPush = (f: FieldConfig, at?: number) => {
    const i = list.findIndex((x) => (f.id ? x.id === f.id : x.name === f.name));
    if (i >= 0) list.splice(i, 1);
    withId(f);
    if (at === undefined || at >= list.length) list.push(f);
    else list.splice(Math.max(0, at), 0, f);
  };
  return {
    add: (...fields) => {
      for (const f of fields) replaceOrPush(f);
      c.touchFields();
    },
    addAt: (pos, ...fields) => {
      fields.forEach((f, i) => replaceOrPush(f, Number(pos) + i));
      c.touchFields();
    },
    addMarshaledJSON: (json) => {
      const raw = typeof json === "string" ? JSON.parse(json) : json instanceof Uint8Array ? JSON.parse(new TextDecoder().decode(json)) : json;
      for (const f of Array.isArray(raw) ? raw : [raw]) replaceOrPush({ ...(f as FieldConfig) });
      c.touchFields();
    },
    getById: (id) => list.find((f) => f.id === id) ?? null,
    getByName: (name) => list.find((f) => f.name === name) ?? null,
    removeById: (id) => {
      const i = list.findIndex((f) => f.id === id);
      if (i >= 0) list.splice(i, 1);
      c.touchFields();
    },
    removeByName: (name) => {
      const i = list.findIndex((f) => f.name === name);
      if (i >= 0) list.splice(i, 1);
      c.touchFields();
    },
    fieldNames: () => list.map((f) => f.name),
    asMap: () => Object.fromEntries(list.map((f) => [f.name, f])),
  };
}

/**
 * Gives `collection.fields` PocketBase's FieldsList methods (`add`, `getByName`, `removeById`, …)
 * for JS code, whatever array the core later assigns to it. NB: done with an accessor on the
 * instance, so the core keeps seeing a plain array of field configs.
 */
export function withFieldsList<T>(c: T): T {
  if (!(c instanceof Collection) || Object.prototype.hasOwnProperty.call(c, FIELDS_BACKING)) return c;
  const holder: { list: FieldConfig[] } = { list: c.fields };
  const decorate = (list: FieldConfig[]): FieldConfig[] => {
    if (!(FIELDS_BACKING in list)) {
      const methods = listMethods(c, list) as unknown as { [k: string]: unknown };
      for (const [k, fn] of Object.entries(methods)) Object.defineProperty(list, k, { value: fn, enumerable: false, configurable: true });
      Object.defineProperty(list, FIELDS_BACKING, { value: true, enumerable: false });
    }
    return list;
  };
  Object.defineProperty(c, FIELDS_BACKING, { value: holder, enumerable: false });
  Object.defineProperty(c, "fields", {
    enumerable: true,
    configurable: true,
    get: () => decorate(holder.list),
    set: (v: FieldConfig[]) => {
      holder.list = v;
      c.touchFields();
    },
  });
  return c;
}

/** Collections handed to JS get the FieldsList methods (lists of them too). */
export function forJs(v: unknown): any {
  if (v instanceof Collection) return withFieldsList(v);
  if (Array.isArray(v) && v.length > 0 && v[0] instanceof Collection) v.forEach((c) => withFieldsList(c));
  return v;
}
