/**
 * Cron expressions with PocketBase's semantics: 5 space-separated fields (minute, hour, day of
 * month, month, day of week), each a comma list of `*`, `n`, `a-b`, `*∕s` or `a-b/s`, plus the
 * `@yearly`-style macros.
 *
 * NB: Bun ships `Bun.cron` / `Bun.cron.parse`, but they follow POSIX cron (day of month and day
 * of week ORed, month/weekday names, `7` = Sunday, the local time zone). PocketBase ANDs the two
 * day fields, rejects names and ticks in UTC, so expressions are parsed here.
 */

/** PocketBase parity: the macros and the expressions they stand for. */
export const CRON_MACROS: Readonly<{ [macro: string]: string }> = {
  "@yearly": "0 0 1 1 *",
  "@annually": "0 0 1 1 *",
  "@monthly": "0 0 1 * *",
  "@weekly": "0 0 * * 0",
  "@daily": "0 0 * * *",
  "@midnight": "0 0 * * *",
  "@hourly": "0 * * * *",
};

const FIELD_RANGES: readonly (readonly [number, number, string])[] = [
  [0, 59, "minute"],
  [0, 23, "hour"],
  [1, 31, "day of month"],
  [1, 12, "month"],
  [0, 6, "day of week"],
];

/** The wall-clock parts of a moment that a schedule is matched against. */
export interface CronMoment {
  minute: number;
  hour: number;
  day: number;
  month: number;
  weekday: number;
}

/** A parsed schedule. */
export class CronSchedule {
  /** The expression as given (macros unexpanded). */
  readonly expression: string;
  private readonly sets: readonly ReadonlySet<number>[];

  private constructor(expression: string, sets: ReadonlySet<number>[]) {
    this.expression = expression;
    this.sets = sets;
  }

  /** Parses an expression; throws an Error naming the bad field. */
  static parse(expression: string): CronSchedule {
    const raw = String(expression ?? "").trim();
    const expanded = CRON_MACROS[raw.toLowerCase()] ?? raw;
    const parts = expanded.split(/\s+/).filter((p) => p !== "");
    if (parts.length !== 5) throw new Error(`invalid cron expression "${raw}": expected 5 space-separated fields (minute hour day month weekday) or a macro such as @daily`);
    const sets = parts.map((part, i) => parseField(part, FIELD_RANGES[i]!, raw));
    return new CronSchedule(raw, sets);
  }

  /** True when the schedule fires at the given wall-clock minute (day fields ANDed, as PocketBase). */
  matches(m: CronMoment): boolean {
    const [mi, h, d, mo, wd] = this.sets as [ReadonlySet<number>, ReadonlySet<number>, ReadonlySet<number>, ReadonlySet<number>, ReadonlySet<number>];
    return mi.has(m.minute) && h.has(m.hour) && d.has(m.day) && mo.has(m.month) && wd.has(m.weekday);
  }
}

function parseField(text: string, [min, max, name]: readonly [number, number, string], expr: string): Set<number> {
  const out = new Set<number>();
  const bad = (why: string) => new Error(`invalid cron expression "${expr}": ${name} "${text}" ${why}`);
  for (const item of text.split(",")) {
    const m = /^(\*|\d+(?:-\d+)?)(?:\/(\d+))?$/.exec(item);
    if (!m) throw bad(`is not a number, a range, * or a step`);
    const [, base, stepText] = m;
    let from = min;
    let to = max;
    if (base !== "*") {
      const [a, b] = base!.split("-").map(Number) as [number, number | undefined];
      from = a;
      to = b ?? a;
      // PocketBase parity: a step needs `*` or a range (`5/10` is invalid)
      if (stepText !== undefined && b === undefined) throw bad("has a step without * or a range");
    }
    const step = stepText === undefined ? 1 : Number(stepText);
    if (from < min || to > max || from > to) throw bad(`is out of range (${min}-${max})`);
    if (!Number.isInteger(step) || step < 1) throw bad("has an invalid step");
    for (let v = from; v <= to; v += step) out.add(v);
  }
  return out;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The wall-clock parts of `date` in a time zone (UTC by default). Throws for an unknown zone. */
export function cronMoment(date: Date, timeZone = "UTC"): CronMoment {
  if (timeZone === "UTC") {
    return { minute: date.getUTCMinutes(), hour: date.getUTCHours(), day: date.getUTCDate(), month: date.getUTCMonth() + 1, weekday: date.getUTCDay() };
  }
  let fmt = formatters.get(timeZone);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", minute: "numeric", hour: "numeric", day: "numeric", month: "numeric", weekday: "short" });
    formatters.set(timeZone, fmt);
  }
  const parts: { [k: string]: string } = {};
  for (const p of fmt.formatToParts(date)) parts[p.type] = p.value;
  const weekday = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"].indexOf(parts.weekday ?? "");
  return { minute: Number(parts.minute), hour: Number(parts.hour) % 24, day: Number(parts.day), month: Number(parts.month), weekday };
}
