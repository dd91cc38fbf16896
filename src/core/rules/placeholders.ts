/**
 * `{:name}` placeholders of the app-level helpers (`findRecordsByFilter(…, params)`,
 * `countRecords`, …), substituted textually before parsing as PocketBase does.
 */
import { formatDate } from "../../tools/dates.ts";
import { fail, withApiErrors } from "./errors.ts";

/** A value a placeholder may be bound to. */
export type PlaceholderValue = string | number | bigint | boolean | null | undefined | Date | object;

function numberLiteral(n: number): string {
  if (!Number.isFinite(n)) return "null";
  const s = String(n);
  if (/^-?\d+(\.\d+)?$/.test(s)) return s;
  // exponent forms are not part of the grammar
  return n.toLocaleString("en-US", { useGrouping: false, maximumFractionDigits: 20 });
}

function textLiteral(s: string): string {
  // NB: only the enclosing quote can be escaped in the language, so a text that ends in a
  // backslash cannot be written as a literal at all.
  if (s.endsWith("\\")) fail("a bound text may not end in a backslash");
  return `"${s.replace(/"/g, '\\"')}"`;
}

/** Renders one value as filter-language source. */
export function placeholderLiteral(v: PlaceholderValue): string {
  if (v === null || v === undefined) return "null";
  if (typeof v === "boolean") return v ? "true" : "false";
  if (typeof v === "number") return numberLiteral(v);
  if (typeof v === "bigint") return v.toString();
  if (typeof v === "string") return textLiteral(v);
  if (v instanceof Date) return textLiteral(formatDate(v));
  return textLiteral(JSON.stringify(v) ?? "");
}

/**
 * Replaces every `{:name}` in `expr` with `params[name]` rendered as a literal (strings
 * double-quoted with `"` escaped, numbers/bools as is, null → `null`, objects → JSON text).
 * Unknown names are left in place (and then fail to parse). Throws `ApiError` 400 for a value
 * that cannot be written as a literal.
 */
export function bindPlaceholders(expr: string, params: Readonly<Record<string, PlaceholderValue>> | null | undefined): string {
  if (!params) return expr;
  return withApiErrors("Invalid filter parameters.", () =>
    expr.replace(/\{:(\w+)\}/g, (whole, name: string) => (Object.hasOwn(params, name) ? placeholderLiteral(params[name]) : whole)),
  );
}
