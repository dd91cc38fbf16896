import type { FieldConfig } from "../collections/collection-types.ts";
import type { FieldKind } from "./field-kind.ts";
import { fieldError } from "../api-error.ts";
import { checkIntRange, withCommonErrors, type OptionErrors } from "./common-options.ts";

/** PocketBase parity: a json field with `maxSize: 0` accepts up to 1 MiB of serialized JSON. */
export const DEFAULT_JSON_MAX_SIZE = 1 << 20;

/** Go's encoding/json nesting limit. */
const MAX_DEPTH = 10000;

/** The effective byte limit of a json field. */
export function jsonMaxSize(field: FieldConfig): number {
  const v = field.maxSize;
  return typeof v === "number" && v > 0 ? v : DEFAULT_JSON_MAX_SIZE;
}

/**
 * True when `value` can be stored as JSON: null, booleans, strings, finite numbers, arrays and
 * plain objects of those (no undefined, functions, bigints, NaN/Infinity, class instances).
 */
export function isJsonValue(value: unknown, depth = 0): boolean {
  if (depth > MAX_DEPTH) return false;
  if (value === null) return true;
  switch (typeof value) {
    case "boolean":
    case "string":
      return true;
    case "number":
      return Number.isFinite(value);
    case "object": {
      if (Array.isArray(value)) return value.every((v) => isJsonValue(v, depth + 1));
      const proto: unknown = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) return false;
      return Object.values(value).every((v) => isJsonValue(v, depth + 1));
    }
    default:
      return false;
  }
}

function parseOr<T>(text: string, fallback: T): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return fallback;
  }
}

/**
 * PocketBase parity: how a json field reads a plain string (multipart forms send everything as
 * strings). `"null"`, `"true"`, `"false"` and strings starting with a digit, `-`, `"`, `[` or `{`
 * that are valid JSON are parsed; any other string, including `""`, is kept as a JSON string.
 */
export function normalizeJsonInput(value: unknown): unknown {
  if (value === undefined) return null;
  if (typeof value !== "string") return value;
  if (value === "") return "";
  if (value === "null") return null;
  if (value === "true") return true;
  if (value === "false") return false;
  if (/^[0-9\-"[{]/.test(value)) return parseOr(value, value);
  return value;
}

/** The `json` field: any JSON value or null (its column is the only nullable one). */
export const jsonField: FieldKind = {
  type: "json",
  defaults: () => ({ maxSize: 0 }),
  columnType: () => "JSON DEFAULT NULL",
  isMultiple: () => false,
  zero: () => null,
  normalize: (_field, value) => normalizeJsonInput(value),

  fromDb(_field, raw) {
    if (raw === null || raw === undefined) return null;
    if (raw instanceof Uint8Array) raw = new TextDecoder().decode(raw);
    if (typeof raw === "string") return raw.trim() === "" ? null : parseOr(raw, raw);
    if (typeof raw === "bigint") return Number(raw);
    return raw;
  },

  toDb(_field, value) {
    if (value === null || value === undefined) return null;
    return JSON.stringify(value) ?? null;
  },

  toJSON: (_field, value) => (value === undefined ? null : value),

  validateValue(field, value) {
    const valid = isJsonValue(value);
    const text = valid ? JSON.stringify(value) : "";
    const maxSize = jsonMaxSize(field);
    if (text.length * 3 > maxSize && Buffer.byteLength(text, "utf8") > maxSize) {
      return fieldError("validation_json_size_limit", `The maximum allowed JSON size is ${maxSize} bytes.`, { maxSize });
    }
    if (!valid) return fieldError("validation_invalid_json", "Must be a valid json value.");
    if (field.required && (text === "null" || text === '""' || text === "[]" || text === "{}")) {
      return fieldError("validation_required", "Cannot be blank.");
    }
    return null;
  },

  validateOptions(field) {
    const errors: OptionErrors = {};
    checkIntRange(errors, "maxSize", field.maxSize ?? 0, 0);
    return withCommonErrors(field, errors);
  },
};
