import { isIP } from "node:net";
import { fieldError, type ErrorData } from "../api-error.ts";
import type { RateLimitRule } from "../settings/settings-defaults.ts";

/**
 * The rate-limit rule logic of `settings.rateLimits`, free of HTTP: which labels a request is
 * looked up by, which rule wins, the counter key, and the validation of the rules.
 */

/** The audiences a rule may name: everyone, guests only, authenticated requests only. */
export const RATE_LIMIT_AUDIENCES: readonly string[] = ["", "@guest", "@auth"];

const GUEST_AUDIENCES: readonly string[] = ["", "@guest"];
const AUTH_AUDIENCES: readonly string[] = ["", "@auth"];

/** PocketBase parity: `METHOD /path`, `/path` (`/prefix/`), `<collection>:<tag>`, `*:<tag>` or a bare tag. */
const LABEL_PATTERN = /^(\w+ \/[\w/-]*|\/[\w/-]*|\w+:\w+|\*:\w+|\w+)$/;

/** The audiences whose rules apply to a request: `@auth` rules for an authenticated one, `@guest` otherwise. */
export function rateLimitAudiences(authenticated: boolean): readonly string[] {
  return authenticated ? AUTH_AUDIENCES : GUEST_AUDIENCES;
}

/**
 * The labels a request is looked up by, most specific first: for a collection endpoint
 * `<collection>:<tag>` for each tag, then `*:<tag>` for each tag; then, for every request,
 * `METHOD /path` and `/path`.
 */
export function rateLimitLabels(method: string, path: string, collectionName?: string, tags: readonly string[] = []): string[] {
  const labels: string[] = [];
  if (collectionName !== undefined) {
    for (const t of tags) labels.push(`${collectionName}:${t}`);
    for (const t of tags) labels.push(`*:${t}`);
  }
  labels.push(`${method} ${path}`, path);
  return labels;
}

/**
 * The rule for a request, or null. PocketBase parity: the labels are tried in order; for each,
 * a rule with exactly that label wins, else the first prefix rule (a label ending in `/`) that
 * `label + "/"` starts with. Only rules of one of `audiences` count; among equals the earlier
 * rule in the list wins.
 */
export function findRateLimitRule(rules: readonly RateLimitRule[], labels: readonly string[], audiences: readonly string[]): RateLimitRule | null {
  for (const label of labels) {
    for (const r of rules) if (r.label === label && audiences.includes(r.audience)) return r;
    const withSlash = label + "/";
    for (const r of rules) {
      if (r.label.endsWith("/") && withSlash.startsWith(r.label) && audiences.includes(r.audience)) return r;
    }
  }
  return null;
}

/**
 * The counter key of a hit: the rule (label and audience), the scope the rule counts in (for a
 * collection endpoint its collection and tags, so `*:create` counts per collection as in
 * PocketBase; "" elsewhere, where a rule counts every path it matches together) and the client IP.
 */
export function rateLimitKey(rule: RateLimitRule, scope: string, ip: string): string {
  return `rl\n${rule.label}\n${rule.audience}\n${scope}\n${ip}`;
}

/** True when `ip` is one of the excluded addresses (exact match, as PocketBase). */
export function isExcludedIP(excluded: readonly string[] | undefined, ip: string): boolean {
  return !!excluded && excluded.length > 0 && excluded.includes(ip);
}

/**
 * Validates `settings.rateLimits` with PocketBase's rules: a list of rules (not empty when
 * enabled) with no two for the same label and overlapping audiences; each with a label of one of
 * the supported forms, `maxRequests` and `duration` (seconds) of at least 1 and a known audience.
 * `excludedIPs` must hold IP addresses. Returns the nested errors, or null.
 */
export function validateRateLimits(cfg: unknown): ErrorData | null {
  const c = (cfg && typeof cfg === "object" ? cfg : {}) as { rules?: unknown; enabled?: unknown; excludedIPs?: unknown };
  const errors: ErrorData = {};
  if (!Array.isArray(c.rules)) {
    errors.rules = fieldError("validation_required", "Must be a list.");
  } else if (c.enabled === true && c.rules.length === 0) {
    errors.rules = fieldError("validation_required", "Cannot be blank.");
  } else {
    const rules = validateRules(c.rules);
    if (rules) errors.rules = rules;
  }
  if (c.excludedIPs !== undefined) {
    if (!Array.isArray(c.excludedIPs)) errors.excludedIPs = fieldError("validation_required", "Must be a list.");
    else {
      const ips: ErrorData = {};
      c.excludedIPs.forEach((ip: unknown, i) => {
        if (typeof ip !== "string" || isIP(ip) === 0) ips[String(i)] = fieldError("validation_is_ip", "Must be a valid IP address.");
      });
      if (Object.keys(ips).length) errors.excludedIPs = ips;
    }
  }
  return Object.keys(errors).length ? errors : null;
}

/** PocketBase parity: a conflict is reported alone (for the first conflicting rule), before the per-rule checks. */
function validateRules(list: unknown[]): ErrorData | null {
  const conflict = firstConflict(list);
  if (conflict >= 0) {
    const label = String((list[conflict] as RateLimitRule).label);
    return { [String(conflict)]: { label: fieldError("validation_conflicting_rate_limit_rule", `Rate limit rule configuration with label ${label} already exists or conflicts with another rule.`, { label }) } };
  }
  const out: ErrorData = {};
  list.forEach((raw, i) => {
    const r = (raw && typeof raw === "object" ? raw : {}) as { [k: string]: unknown };
    const e: ErrorData = {};
    if (typeof r.label !== "string" || r.label === "") e.label = fieldError("validation_required", "Cannot be blank.");
    else if (!LABEL_PATTERN.test(r.label)) e.label = fieldError("validation_match_invalid", "Must be in a valid format.");
    for (const k of ["maxRequests", "duration"] as const) {
      const v = r[k];
      if (v === undefined || v === null || v === 0) e[k] = fieldError("validation_required", "Cannot be blank.");
      else if (typeof v !== "number" || !Number.isInteger(v)) e[k] = fieldError("validation_invalid_value", "Must be a whole number.");
      else if (v < 1) e[k] = fieldError("validation_min_greater_equal_than_required", "Must be no less than 1.", { threshold: 1 });
    }
    if (r.audience !== undefined && !RATE_LIMIT_AUDIENCES.includes(r.audience as string)) e.audience = fieldError("validation_in_invalid", "Must be a valid value.");
    if (Object.keys(e).length) out[String(i)] = e;
  });
  return Object.keys(out).length ? out : null;
}

/**
 * The index of the first rule that repeats an earlier rule's label for an overlapping audience
 * (the same audience, or either of them "" = everyone), or -1.
 */
function firstConflict(list: unknown[]): number {
  const seen: { label: string; audience: string }[] = [];
  for (let i = 0; i < list.length; i++) {
    const r = list[i] as Partial<RateLimitRule> | null;
    if (!r || typeof r !== "object" || typeof r.label !== "string") continue;
    const audience = typeof r.audience === "string" ? r.audience : "";
    if (seen.some((s) => s.label === r.label && (s.audience === audience || s.audience === "" || audience === ""))) return i;
    seen.push({ label: r.label, audience });
  }
  return -1;
}
