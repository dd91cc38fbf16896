import type { FieldKind } from "./field-kind.ts";
import { stringKindBase } from "./string-kind-base.ts";
import { fieldError } from "../api-error.ts";
import { runeLength } from "./text.ts";
import { checkDomainAllowed, validateDomainOptions } from "./email.ts";
import { withCommonErrors, type OptionErrors } from "./common-options.ts";

const WIDE = "\\u00A1-\\uFFFF";
const URL_RE = new RegExp(
  "^(?:(?:ftp|tcp|udp|wss?|https?):\\/\\/)?" + // optional scheme (lowercase only, like PocketBase)
    "(?:[^\\s@/]+@)?" + // optional user info
    `(?:\\[[0-9A-Fa-f:.]+\\]|[\\w${WIDE}-]+(?:\\.[\\w${WIDE}-]+)*\\.?)` + // host
    "(?::\\d{1,5})?" + // optional port
    "(?:[/?#]\\S*)?$", // optional path, query, fragment
);
const HOST_RE = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/(?:[^@/?#]*@)?(\[[^\]]*\]|[^:/?#]*)/;

/**
 * True when `value` is a URL as PocketBase's `is.URL` sees it: the scheme is optional (one of
 * http(s), ws(s), ftp, tcp, udp), shorter than 2083 characters, and a scheme-less value must
 * contain a dot (`example.com`) or a port (`localhost:8090`).
 */
export function isUrl(value: string): boolean {
  if (value.length <= 3 || value.startsWith(".") || runeLength(value, 2083) >= 2083) return false;
  if (!value.includes("://") && !value.includes(":") && !value.includes(".")) return false;
  return URL_RE.test(value);
}

/**
 * The host name of a URL with an explicit `scheme://`, without port or brackets; "" for
 * scheme-less values (PocketBase parity: Go's url.Parse finds no host in `example.com/x`).
 */
export function urlHostname(value: string): string {
  const m = HOST_RE.exec(value);
  if (!m) return "";
  const host = m[1]!;
  return host.startsWith("[") ? host.slice(1, -1) : host;
}

/** The `url` field: a string that must be a URL, optionally restricted by host name. */
export const urlField: FieldKind = {
  ...stringKindBase,
  type: "url",
  defaults: () => ({ exceptDomains: null, onlyDomains: null }),

  validateValue(field, value) {
    if (typeof value !== "string") return fieldError("validation_invalid_value", "Invalid or unsupported value type.");
    if (value === "") return field.required ? fieldError("validation_required", "Cannot be blank.") : null;
    if (!isUrl(value)) return fieldError("validation_invalid_url", "Must be a valid url.");
    return checkDomainAllowed(field, urlHostname(value), "validation_url_domain_not_allowed", "Url domain is not allowed.");
  },

  validateOptions(field) {
    const errors: OptionErrors = {};
    validateDomainOptions(field, errors);
    return withCommonErrors(field, errors);
  },
};
