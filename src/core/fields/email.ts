import type { FieldConfig } from "../collections/collection-types.ts";
import type { FieldError, FieldKind } from "./field-kind.ts";
import { fieldError } from "../api-error.ts";
import { stringKindBase } from "./string-kind-base.ts";
import { withCommonErrors, type OptionErrors } from "./common-options.ts";

/** Unicode letters PocketBase's (govalidator's) email/url patterns accept beside ASCII. */
const WIDE = "\\u00A0-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFEF";
const LOCAL_RE = new RegExp(
  `^(?:[A-Za-z0-9!#$%&'*+/=?^_\`{|}~\\-${WIDE}]+(?:\\.[A-Za-z0-9!#$%&'*+/=?^_\`{|}~\\-${WIDE}]+)*|"(?:[^"\\\\\\r\\n]|\\\\.)*")$`,
);
const HOST_CHAR_RE = new RegExp(`^[A-Za-z0-9.\\-_~${WIDE}]+$`);
const ALNUM_RE = new RegExp(`[A-Za-z0-9${WIDE}]`);
const ALPHA_RE = new RegExp(`[A-Za-z${WIDE}]`);
const DOMAIN_RE = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:[a-z]{1,63}|xn--[a-z0-9]{1,59})$/i;

/**
 * True when `value` is an email address as PocketBase's `is.EmailFormat` sees it: a dot-atom or
 * quoted local part, then a host of at least two labels whose last label starts and ends with a
 * letter. No DNS lookup. NB: written as a linear scan (no backtracking-prone regex), because the
 * input can be arbitrarily long.
 */
export function isEmailAddress(value: string): boolean {
  const at = value.lastIndexOf("@");
  if (at <= 0 || at === value.length - 1) return false;
  if (!LOCAL_RE.test(value.slice(0, at))) return false;
  let host = value.slice(at + 1);
  if (host.endsWith(".")) host = host.slice(0, -1);
  if (!HOST_CHAR_RE.test(host)) return false;
  if (!ALNUM_RE.test(host[0]!) || !ALPHA_RE.test(host[host.length - 1]!)) return false;
  // Some dot must separate a label ending in a letter/digit from a TLD starting with a letter.
  for (let i = 1; i < host.length - 1; i++) {
    if (host[i] === "." && ALNUM_RE.test(host[i - 1]!) && ALPHA_RE.test(host[i + 1]!)) return true;
  }
  return false;
}

/** True when `value` is a domain name (`example.com`, `sub.example.org`). */
export function isDomainName(value: string): boolean {
  return value.length <= 255 && DOMAIN_RE.test(value);
}

/** The string list in `field[key]`, or [] when it is null/missing. */
export function domainList(field: FieldConfig, key: string): string[] {
  const v = field[key];
  return Array.isArray(v) ? v.filter((d): d is string => typeof d === "string") : [];
}

/**
 * Validates the `exceptDomains`/`onlyDomains` options shared by email and url: each entry must be
 * a domain, and the two lists are mutually exclusive (both get an error when both are set).
 */
export function validateDomainOptions(field: FieldConfig, errors: OptionErrors): void {
  const except = field.exceptDomains;
  const only = field.onlyDomains;
  for (const [key, list, other] of [["exceptDomains", except, only], ["onlyDomains", only, except]] as const) {
    if (list === null || list === undefined) continue;
    if (!Array.isArray(list)) {
      errors[key] = fieldError("validation_invalid_value", "Must be a list of domains or null.");
      continue;
    }
    if (list.length > 0 && Array.isArray(other) && other.length > 0) {
      errors[key] = fieldError("validation_empty", "exceptDomains and onlyDomains cannot be used together.");
      continue;
    }
    const bad = list.findIndex((d) => typeof d !== "string" || !isDomainName(d));
    if (bad >= 0) {
      errors[key] = fieldError("validation_is_domain", `Item ${bad}: must be a valid domain.`, { index: bad });
    }
  }
}

/** Checks `domain` against the field's lists; `code` names the error to return. */
export function checkDomainAllowed(field: FieldConfig, domain: string, code: string, message: string): FieldError | null {
  const except = domainList(field, "exceptDomains");
  if (except.length > 0 && except.includes(domain)) return fieldError(code, message);
  const only = domainList(field, "onlyDomains");
  if (only.length > 0 && !only.includes(domain)) return fieldError(code, message);
  return null;
}

/** The `email` field: a string that must be an email address, optionally domain-restricted. */
export const emailField: FieldKind = {
  ...stringKindBase,
  type: "email",
  defaults: () => ({ exceptDomains: null, onlyDomains: null }),

  validateValue(field, value) {
    if (typeof value !== "string") return fieldError("validation_invalid_value", "Invalid or unsupported value type.");
    if (value === "") return field.required ? fieldError("validation_required", "Cannot be blank.") : null;
    if (!isEmailAddress(value)) return fieldError("validation_is_email", "Must be a valid email address.");
    const domain = value.slice(value.lastIndexOf("@") + 1);
    return checkDomainAllowed(field, domain, "validation_email_domain_not_allowed", "Email domain is not allowed.");
  },

  validateOptions(field) {
    const errors: OptionErrors = {};
    validateDomainOptions(field, errors);
    return withCommonErrors(field, errors);
  },
};
