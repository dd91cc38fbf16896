/** PocketBase's `types.DateTime` with its JS method names. Imports nothing of ours. */

function format(d: Date): string {
  return d.toISOString().replace("T", " ");
}

function parse(value: unknown): Date | null {
  if (value instanceof DateTime) return value.isZero() ? null : value.time();
  if (value instanceof Date) return isNaN(value.getTime()) ? null : value;
  if (typeof value === "number") return Number.isFinite(value) ? new Date(value * 1000) : null;
  if (typeof value !== "string" || value.trim() === "") return null;
  const s = value.trim();
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)\s*(Z|[+-]\d{2}:?\d{2})?$/i.exec(s);
  const iso = m ? `${m[1]}T${m[2]}${m[3] ? m[3].toUpperCase() : "Z"}` : /^\d{4}-\d{2}-\d{2}$/.test(s) ? `${s}T00:00:00Z` : s;
  const d = new Date(iso);
  return isNaN(d.getTime()) ? null : d;
}

/**
 * A date-time that may be "zero" (unset), printed in PocketBase's form
 * `2006-01-02 15:04:05.000Z`. `new DateTime()` is now; `new DateTime("")` is zero.
 */
export class DateTime {
  private readonly d: Date | null;

  constructor(value?: unknown) {
    this.d = value === undefined ? new Date() : parse(value);
  }

  /** True when unset. */
  isZero(): boolean {
    return this.d === null;
  }
  /** The JS Date (the Unix epoch when zero). */
  time(): Date {
    return new Date(this.d ? this.d.getTime() : 0);
  }
  /** Unix seconds (0 when zero). */
  unix(): number {
    return this.d ? Math.floor(this.d.getTime() / 1000) : 0;
  }
  /** PocketBase's text form, "" when zero. */
  string(): string {
    return this.d ? format(this.d) : "";
  }
  /** A new DateTime moved by `ms` milliseconds. */
  add(ms: number): DateTime {
    return new DateTime(new Date(this.time().getTime() + Number(ms)));
  }
  /** A new DateTime moved by years, months and days. */
  addDate(years: number, months: number, days: number): DateTime {
    const t = this.time();
    t.setUTCFullYear(t.getUTCFullYear() + years, t.getUTCMonth() + months, t.getUTCDate() + days);
    return new DateTime(t);
  }
  /** True when later than `other`. */
  after(other: DateTime): boolean {
    return this.time().getTime() > other.time().getTime();
  }
  /** True when earlier than `other`. */
  before(other: DateTime): boolean {
    return this.time().getTime() < other.time().getTime();
  }
  /** True when the same instant. */
  equal(other: DateTime): boolean {
    return this.time().getTime() === other.time().getTime();
  }
  /** The text form. */
  toString(): string {
    return this.string();
  }
  /** JSON: the text form. */
  toJSON(): string {
    return this.string();
  }
}
