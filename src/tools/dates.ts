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

/** The number in `s[from, from + len)` when those are all ASCII digits, else -1. */
function digitsAt(s: string, from: number, len: number): number {
  let n = 0;
  for (let i = from; i < from + len; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/**
 * True when `s` is exactly PocketBase's form (`YYYY-MM-DD HH:MM:SS.sssZ`) and names a real
 * instant: no component out of range (`Date` would roll Feb 31 over into March, and 24:00 into
 * the next day).
 */
function isCanonicalDate(s: string): boolean {
  if (s.length !== 24 || s[4] !== "-" || s[7] !== "-" || s[10] !== " " || s[13] !== ":" || s[16] !== ":" || s[19] !== "." || s[23] !== "Z") return false;
  const year = digitsAt(s, 0, 4);
  const month = digitsAt(s, 5, 2);
  const day = digitsAt(s, 8, 2);
  const hour = digitsAt(s, 11, 2);
  const minute = digitsAt(s, 14, 2);
  const second = digitsAt(s, 17, 2);
  if (year < 0 || digitsAt(s, 20, 3) < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = month === 2 ? (leap ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  return day <= days;
}

/** Normalises any accepted date input to PocketBase's string form, or "" when empty/invalid. */
export function normalizeDateString(value: unknown): string {
  // NB: fast path; values read back from the database are already canonical, and parsing them
  // into a Date and formatting them again was ~17 % of a records list (bench/RESULTS.md)
  if (typeof value === "string" && isCanonicalDate(value)) return value;
  const d = parseDate(value);
  return d ? formatDate(d) : "";
}
