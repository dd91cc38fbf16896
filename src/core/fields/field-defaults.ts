import type { FieldConfig } from "../collections/collection-types.ts";
import { crc32 } from "../../tools/security.ts";
import { normalizeDateString } from "../../tools/dates.ts";
import { getFieldKind } from "./registry.ts";

/** Types without the `required` and `help` keys. */
const NO_REQUIRED_OR_HELP = new Set(["autodate"]);

/** Options whose default is null but that hold a number when set. */
const NULLABLE_NUMBER_OPTIONS: Record<string, readonly string[]> = { number: ["min", "max"] };

/** Options whose default is null but that hold a string list when set. */
const NULLABLE_LIST_OPTIONS: Record<string, readonly string[]> = {
  email: ["exceptDomains", "onlyDomains"],
  url: ["exceptDomains", "onlyDomains"],
  file: ["mimeTypes", "thumbs"],
};

/** PocketBase parity: a field's default id is its type followed by crc32(name) in decimal. */
export function defaultFieldId(type: string, name: string): string {
  return `${type}${crc32(name)}`;
}

function sortKeys(config: Record<string, unknown>): FieldConfig {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(config).sort()) out[key] = config[key];
  return out as FieldConfig;
}

function commonDefaults(type: string, name: string): Record<string, unknown> {
  const base: Record<string, unknown> = {
    hidden: false,
    id: defaultFieldId(type, name),
    name,
    presentable: false,
    system: false,
    type,
  };
  if (!NO_REQUIRED_OR_HELP.has(type)) {
    base.help = "";
    base.required = false;
  }
  return base;
}

/**
 * A complete field config of `type` named `name`: the common keys, the kind's option defaults,
 * then `overrides`. Keys are in alphabetical order, as PocketBase serializes fields.
 * Throws for an unknown type.
 */
export function newField(type: string, name: string, overrides: Partial<FieldConfig> = {}): FieldConfig {
  const kind = getFieldKind(type);
  if (!kind) throw new Error(`Unknown field type "${type}".`);
  const config: Record<string, unknown> = { ...commonDefaults(type, name), ...kind.defaults() };
  for (const [key, value] of Object.entries(overrides)) if (value !== undefined) config[key] = value;
  config.type = type;
  if (NO_REQUIRED_OR_HELP.has(type)) {
    delete config.required;
    delete config.help;
  }
  return sortKeys(config);
}

function isStringList(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((s) => typeof s === "string");
}

function normalizeOption(type: string, key: string, def: unknown, value: unknown): unknown {
  if (value === undefined) return def;
  if (NULLABLE_NUMBER_OPTIONS[type]?.includes(key)) {
    return value === null || (typeof value === "number" && Number.isFinite(value)) ? value : def;
  }
  if (NULLABLE_LIST_OPTIONS[type]?.includes(key)) {
    return value === null || isStringList(value) ? value : def;
  }
  if (type === "date" && (key === "min" || key === "max")) return normalizeDateString(value);
  if (Array.isArray(def)) return isStringList(value) ? value : def;
  if (typeof def === "number") return typeof value === "number" && Number.isFinite(value) ? value : def;
  return typeof value === typeof def ? value : def;
}

/**
 * Normalises a field config read from collections JSON (stored, imported or submitted): every
 * missing key gets its default, values of the wrong type are replaced by the default, unknown
 * keys are dropped, date bounds are reformatted, and an empty `id` gets the default id. Fields of
 * an unknown type keep their keys (the collection validator reports the type).
 */
export function normalizeFieldConfig(raw: unknown): FieldConfig {
  const src: Record<string, unknown> = typeof raw === "object" && raw !== null && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  const type = typeof src.type === "string" ? src.type : "";
  const name = typeof src.name === "string" ? src.name : "";
  const kind = getFieldKind(type);
  const common = commonDefaults(type, name);
  const out: Record<string, unknown> = kind ? {} : { ...src };

  for (const [key, def] of Object.entries(common)) {
    const v = src[key];
    out[key] = typeof v === typeof def && !(key === "id" && v === "") ? v : def;
  }
  if (kind) {
    for (const [key, def] of Object.entries(kind.defaults())) out[key] = normalizeOption(type, key, def, src[key]);
  }
  if (NO_REQUIRED_OR_HELP.has(type)) {
    delete out.required;
    delete out.help;
  }
  return sortKeys(out);
}
