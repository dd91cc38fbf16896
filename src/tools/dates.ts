/** PocketBase's date format helpers. Imports nothing of ours. */

/** Formats a Date as `YYYY-MM-DD HH:MM:SS.sssZ` (UTC), PocketBase's only date form. */
export function formatDate(d: Date): string {
  return d.toISOString().replace("T", " ");
}

/** The current time in PocketBase's format. */
export function nowString(): string {
  return formatDate(new Date());
}

/**
 * Parses a date the way PocketBase does: its own layout first, then loose forms (RFC 3339 and
 * friends); an integer is Unix seconds. Returns null for empty or unparseable input.
 */
export function parseDate(value: unknown): Date | null {
  if (value instanceof Date) return isNaN(value.getTime()) ? null : value;
  if (typeof value === "number") return Number.isFinite(value) ? new Date(value * 1000) : null;
  if (typeof value !== "string") return null;
  const s = value.trim();
  if (s === "") return null;
  if (/^-?\d+$/.test(s)) return new Date(Number(s) * 1000);
  let iso = s;
  // "2024-01-02 03:04:05.123Z" / "2024-01-02 03:04:05" → ISO
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)\s*(Z|[+-]\d{2}:?\d{2})?$/i.exec(s);
  if (m) iso = `${m[1]}T${m[2]}${m[3] ? m[3].toUpperCase() : "Z"}`;
  else if (/^\d{4}-\d{2}-\d{2}$/.test(s)) iso = `${s}T00:00:00Z`;
  const d = new Date(iso);
  return isNaN(d.getTime()) ? null : d;
}

/** Normalises any accepted date input to PocketBase's string form, or "" when empty/invalid. */
export function normalizeDateString(value: unknown): string {
  const d = parseDate(value);
  return d ? formatDate(d) : "";
}
