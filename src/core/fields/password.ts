import type { FieldConfig } from "../collections/collection-types.ts";
import type { FieldKind, PasswordValue } from "./field-kind.ts";
import { fieldError } from "../api-error.ts";
import { castToString, checkRegexOption, compileGoRegex } from "./text.ts";
import { checkIntRange, withCommonErrors, type OptionErrors } from "./common-options.ts";

/**
 * PocketBase parity: the longest password accepted (`max: 0`). Go's bcrypt refuses more than 72
 * bytes, so 71 keeps every stored hash verifiable by PocketBase.
 */
export const DEFAULT_PASSWORD_MAX = 71;

/** bcrypt's default cost, used when the field's `cost` is 0. */
export const DEFAULT_BCRYPT_COST = 10;

/** The bcrypt cost a password field hashes with. */
export function passwordCost(field: FieldConfig): number {
  const c = field.cost;
  return typeof c === "number" && c >= 4 && c <= 31 ? Math.floor(c) : DEFAULT_BCRYPT_COST;
}

/** True when `value` has the shape of a `PasswordValue`. */
export function isPasswordValue(value: unknown): value is PasswordValue {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.hash === "string" && (v.plain === undefined || typeof v.plain === "string");
}

function asPasswordValue(value: unknown): PasswordValue {
  if (isPasswordValue(value)) return value;
  return { hash: "", plain: castToString(value) };
}

/** True when the value holds a new plain password that still needs hashing. */
function needsHash(v: PasswordValue): v is PasswordValue & { plain: string } {
  return v.plain !== undefined && v.plain !== "" && v.hash === "";
}

/**
 * Hashes a newly set plain password off the main thread (`Bun.password.hash`), so the save
 * pipeline can pre-hash before the write. The result keeps `plain` (validation still needs it);
 * `prepare` later drops it and keeps this hash.
 */
export async function hashPasswordValue(field: FieldConfig, value: PasswordValue): Promise<PasswordValue> {
  if (!needsHash(value)) return value;
  const hash = await Bun.password.hash(value.plain, { algorithm: "bcrypt", cost: passwordCost(field) });
  return { hash, plain: value.plain };
}

function hashSync(field: FieldConfig, plain: string): string {
  return Bun.password.hashSync(plain, { algorithm: "bcrypt", cost: passwordCost(field) });
}

/**
 * The `password` field. In memory a `PasswordValue`: the stored bcrypt hash, plus the plain text
 * after a new password was set. Never serialized to the API.
 */
export const passwordField: FieldKind = {
  type: "password",
  defaults: () => ({ cost: 0, max: 0, min: 0, pattern: "" }),
  columnType: () => "TEXT DEFAULT '' NOT NULL",
  isMultiple: () => false,
  zero: () => ({ hash: "" }) satisfies PasswordValue,
  /**
   * NB: only a new plain password can be set from input; an object (even a `{hash}`) becomes the
   * empty password, so a request body can never plant a hash of its choosing.
   */
  normalize: (_field, value) => ({ hash: "", plain: castToString(value) }) satisfies PasswordValue,
  fromDb: (_field, raw) => ({ hash: castToString(raw) }) satisfies PasswordValue,

  toDb(field, value) {
    const v = asPasswordValue(value);
    // NB: safety net; the pipeline should have hashed in `prepare` already.
    return needsHash(v) ? hashSync(field, v.plain) : v.hash;
  },

  toJSON: () => undefined,

  validateValue(field, value) {
    if (!isPasswordValue(value)) return fieldError("validation_invalid_value", "Invalid or unsupported value type.");
    const plain = value.plain ?? "";
    if (field.required && plain === "" && value.hash === "") return fieldError("validation_required", "Cannot be blank.");
    if (plain === "") return null;
    const length = Buffer.byteLength(plain, "utf8");
    const min = typeof field.min === "number" ? field.min : 0;
    if (min > 0 && length < min) {
      return fieldError("validation_min_text_constraint", `Must be at least ${min} character(s).`, { min });
    }
    const max = typeof field.max === "number" && field.max > 0 ? field.max : DEFAULT_PASSWORD_MAX;
    if (length > max) {
      return fieldError("validation_max_text_constraint", `Must be less than ${max} character(s).`, { max });
    }
    const pattern = typeof field.pattern === "string" ? field.pattern : "";
    if (pattern !== "") {
      let ok = false;
      try {
        ok = compileGoRegex(pattern).test(plain);
      } catch {
        ok = false;
      }
      if (!ok) return fieldError("validation_invalid_format", "Invalid value format.");
    }
    return null;
  },

  validateOptions(field) {
    const errors: OptionErrors = {};
    checkIntRange(errors, "min", field.min ?? 0, 1, DEFAULT_PASSWORD_MAX);
    const min = typeof field.min === "number" ? field.min : 0;
    checkIntRange(errors, "max", field.max ?? 0, Math.max(min, 1), DEFAULT_PASSWORD_MAX);
    checkIntRange(errors, "cost", field.cost ?? 0, 4, 31);
    const patternErr = checkRegexOption(field.pattern ?? "");
    if (patternErr) errors.pattern = patternErr;
    return withCommonErrors(field, errors);
  },

  prepare(field, value) {
    const v = asPasswordValue(value);
    if (needsHash(v)) return { hash: hashSync(field, v.plain) } satisfies PasswordValue;
    return { hash: v.hash } satisfies PasswordValue;
  },
};
