import type { FieldConfig } from "../collections/collection-types.ts";
import type { FieldError, FieldKind, FieldModifier, FieldPrepareContext, FieldValidateContext } from "./field-kind.ts";
import { fieldError } from "../api-error.ts";
import { randomFromPattern, isGeneratablePattern } from "../../tools/random-from-pattern.ts";
import { checkIntRange, withCommonErrors, type OptionErrors } from "./common-options.ts";

/** PocketBase parity: a text field with `max: 0` is capped at 5000 characters (runes). */
export const DEFAULT_TEXT_MAX = 5000;

/** The default record id pattern; a custom pattern turns on the stricter id checks. */
export const DEFAULT_ID_PATTERN = "^[a-z0-9]+$";

const PK_COLUMN = "TEXT PRIMARY KEY DEFAULT ('r'||lower(hex(randomblob(7)))) NOT NULL";
const FORBIDDEN_PK_CHARS = /[./\\|"'`<>:?*%$\n\r\t\0 ]/;
const RESERVED_PKS = new Set([
  "aux", "prn", "con", "nul",
  ...Array.from({ length: 9 }, (_, i) => `com${i + 1}`),
  ...Array.from({ length: 9 }, (_, i) => `lpt${i + 1}`),
]);

/**
 * Formats a number like Go's `strconv.FormatFloat(f, 'f', -1, 64)`: shortest round-trip digits,
 * never in exponent notation (`1e21` → `"1000000000000000000000"`, `1e-7` → `"0.0000001"`).
 */
export function formatPlainNumber(n: number): string {
  if (!Number.isFinite(n)) return n > 0 ? "+Inf" : n < 0 ? "-Inf" : "NaN";
  const s = String(n);
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(s);
  if (!m) return s;
  const [, sign, lead, frac = "", expStr] = m;
  const digits = lead! + frac;
  const exp = Number(expStr);
  if (exp >= 0) {
    const intLen = 1 + exp;
    return sign + (digits.length <= intLen ? digits + "0".repeat(intLen - digits.length) : `${digits.slice(0, intLen)}.${digits.slice(intLen)}`);
  }
  return `${sign}0.${"0".repeat(-exp - 1)}${digits}`;
}

/**
 * PocketBase parity (Go `cast.ToString`): strings as-is, numbers in plain decimal, booleans as
 * `"true"`/`"false"`, and everything else (null, objects, arrays) as `""`.
 */
export function castToString(value: unknown): string {
  switch (typeof value) {
    case "string": return value;
    case "number": return formatPlainNumber(value);
    case "bigint": return value.toString();
    case "boolean": return value ? "true" : "false";
    default: return "";
  }
}

const regexCache = new Map<string, RegExp>();

/**
 * Compiles a Go (RE2) pattern as a JS RegExp: leading inline flags (`(?i)`, `(?s)`, `(?m)`)
 * become RegExp flags, `(?P<name>` becomes `(?<name>` and `\z` becomes `$`. Throws a
 * `SyntaxError` when the pattern does not compile. Results are cached.
 */
export function compileGoRegex(pattern: string): RegExp {
  const cached = regexCache.get(pattern);
  if (cached) return cached;
  let src = pattern;
  let flags = "";
  const lead = /^\(\?([ims]+)\)/.exec(src);
  if (lead) {
    flags = [...new Set(lead[1]!)].join("");
    src = src.slice(lead[0].length);
  }
  src = src.replace(/\(\?P</g, "(?<").replace(/\\z/g, "$");
  let re: RegExp;
  try {
    re = new RegExp(src, flags + "u");
  } catch {
    re = new RegExp(src, flags);
  }
  if (regexCache.size > 500) regexCache.clear();
  regexCache.set(pattern, re);
  return re;
}

/** An option error when `pattern` is not a valid regular expression; null otherwise. */
export function checkRegexOption(pattern: unknown): FieldError | null {
  if (typeof pattern !== "string") return fieldError("validation_invalid_value", "Must be a string.");
  if (pattern === "") return null;
  try {
    compileGoRegex(pattern);
    return null;
  } catch (err) {
    return fieldError("validation_invalid_regex", `Invalid regular expression: ${(err as Error).message}.`);
  }
}

/**
 * The length of `s` in Unicode code points, exact up to `limit + 1` (counting stops there, so a
 * huge string costs no more than needed to know it is over the limit).
 */
export function runeLength(s: string, limit = Infinity): number {
  // Every code point is one or two UTF-16 units.
  if (s.length <= limit) {
    let n = 0;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c < 0xdc00 || c > 0xdfff || i === 0 || (s.charCodeAt(i - 1) & 0xfc00) !== 0xd800) n++;
    }
    return n;
  }
  if (s.length > 2 * limit) return limit + 1;
  let n = 0;
  for (const _ of s) if (++n > limit) return n;
  return n;
}

function str(field: FieldConfig, key: string): string {
  return typeof field[key] === "string" ? (field[key] as string) : "";
}

function int(field: FieldConfig, key: string): number {
  const v = field[key];
  return typeof v === "number" && Number.isFinite(v) ? v : 0;
}

/** Validates a plain text value against the field's required/min/max/pattern options. */
function validatePlain(field: FieldConfig, value: string): FieldError | null {
  if (value === "") {
    return field.required || field.primaryKey ? fieldError("validation_required", "Cannot be blank.") : null;
  }
  const min = int(field, "min");
  const max = int(field, "max") > 0 ? int(field, "max") : DEFAULT_TEXT_MAX;
  const length = runeLength(value, Math.max(min, max));
  if (min > 0 && length < min) {
    return fieldError("validation_min_text_constraint", `Must be at least ${min} character(s).`, { min });
  }
  if (length > max) {
    return fieldError("validation_max_text_constraint", `Must be less than ${max} character(s).`, { max });
  }
  const pattern = str(field, "pattern");
  if (pattern !== "") {
    let re: RegExp;
    try {
      re = compileGoRegex(pattern);
    } catch {
      return fieldError("validation_invalid_format", "Invalid value format.");
    }
    if (!re.test(value)) return fieldError("validation_invalid_format", "Invalid value format.");
  }
  return null;
}

function validatePrimaryKey(field: FieldConfig, value: string, ctx: FieldValidateContext): FieldError | null {
  if (!ctx.isNew) {
    const original = typeof ctx.original === "string" ? ctx.original : "";
    if (original !== "" && original !== value) {
      return fieldError("validation_pk_change", "The record primary key cannot be changed.");
    }
    return null;
  }
  // PocketBase parity: the default lowercase alphanumeric pattern makes these checks redundant.
  if (value !== "" && str(field, "pattern") !== DEFAULT_ID_PATTERN) {
    const bad = FORBIDDEN_PK_CHARS.exec(value);
    if (bad) {
      return fieldError("validation_forbidden_pk_character", `The character ${JSON.stringify(bad[0])} is not allowed in a primary key.`);
    }
    if (RESERVED_PKS.has(value.toLowerCase())) {
      return fieldError("validation_reserved_pk", `"${value}" is a reserved primary key value.`);
    }
  }
  return null;
}

function generate(field: FieldConfig): string {
  const pattern = str(field, "autogeneratePattern");
  return pattern === "" ? "" : randomFromPattern(pattern);
}

/** The `text` field: a string, with length/pattern checks; also the record `id` (primary key). */
export const textField: FieldKind = {
  type: "text",
  defaults: () => ({ autogeneratePattern: "", max: 0, min: 0, pattern: "", primaryKey: false }),
  columnType: (field) => (field.primaryKey ? PK_COLUMN : "TEXT DEFAULT '' NOT NULL"),
  isMultiple: () => false,
  zero: () => "",
  normalize: (_field, value) => castToString(value),
  fromDb: (_field, raw) => (raw instanceof Uint8Array ? new TextDecoder().decode(raw) : castToString(raw)),
  toDb: (_field, value) => castToString(value),
  toJSON: (_field, value) => castToString(value),

  validateValue(field, value, ctx) {
    if (typeof value !== "string") return fieldError("validation_invalid_value", "Invalid or unsupported value type.");
    if (field.primaryKey) {
      const err = validatePrimaryKey(field, value, ctx);
      if (err) return err;
    }
    return validatePlain(field, value);
  },

  validateOptions(field) {
    const errors: OptionErrors = {};
    checkIntRange(errors, "min", field.min ?? 0, 0);
    const min = int(field, "min");
    checkIntRange(errors, "max", field.max ?? 0, Math.max(min, 0));
    const patternErr = checkRegexOption(field.pattern ?? "");
    if (patternErr) errors.pattern = patternErr;

    const auto = field.autogeneratePattern ?? "";
    const autoErr = checkRegexOption(auto);
    if (autoErr) errors.autogeneratePattern = autoErr;
    else if (auto !== "" && typeof auto === "string") {
      if (!isGeneratablePattern(auto)) {
        errors.autogeneratePattern = fieldError("validation_invalid_regex", "The pattern cannot be used to generate values.");
      } else if (!errors.min && !errors.max && !errors.pattern && validatePlain({ ...field, required: false }, randomFromPattern(auto))) {
        errors.autogeneratePattern = fieldError(
          "validation_invalid_autogenerate_pattern_value",
          "The provided autogenerate pattern could generate invalid field values.",
        );
      }
    }

    if (field.primaryKey !== undefined && typeof field.primaryKey !== "boolean") {
      errors.primaryKey = fieldError("validation_invalid_value", "Must be a boolean.");
    }
    if (field.primaryKey === true) {
      if (field.name !== "id") errors.name = fieldError("validation_in_invalid", 'The primary key field must be named "id".');
      if (field.hidden) errors.hidden = fieldError("validation_empty", "The primary key field cannot be hidden.");
      if (!field.required) errors.required = fieldError("validation_required", "The primary key field must be required.");
      if (!errors.pattern && str(field, "pattern") === "") {
        errors.pattern = fieldError("validation_required", "The primary key field must have a pattern.");
      }
    }
    return withCommonErrors(field, errors);
  },

  prepare(field, value, ctx: FieldPrepareContext) {
    const v = castToString(value);
    if (ctx.isNew && v === "" && str(field, "autogeneratePattern") !== "") return generate(field);
    return v;
  },

  applyModifier(field, current, modifier: FieldModifier, value) {
    if (modifier !== "autogenerate") return current;
    return castToString(value) + generate(field);
  },
};
