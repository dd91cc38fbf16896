/**
 * The datetime macros (`@now`, `@todayStart`, `@month`, …), all in UTC and bound as parameters.
 */
import { formatDate } from "../../tools/dates.ts";

const DAY = 24 * 60 * 60 * 1000;

function utc(y: number, m: number, d: number, h = 0, min = 0, s = 0, ms = 0): Date {
  return new Date(Date.UTC(y, m, d, h, min, s, ms));
}

/** The value of macro `name` (with its `@`) at time `now`, or undefined when it is not a macro. */
export function macroValue(name: string, now: Date): string | number | undefined {
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth();
  const d = now.getUTCDate();
  switch (name) {
    case "@now":
      return formatDate(now);
    case "@yesterday":
      return formatDate(new Date(now.getTime() - DAY));
    case "@tomorrow":
      return formatDate(new Date(now.getTime() + DAY));
    case "@todayStart":
      return formatDate(utc(y, m, d));
    case "@todayEnd":
      return formatDate(utc(y, m, d, 23, 59, 59, 999));
    case "@monthStart":
      return formatDate(utc(y, m, 1));
    case "@monthEnd":
      return formatDate(utc(y, m + 1, 0, 23, 59, 59, 999));
    case "@yearStart":
      return formatDate(utc(y, 0, 1));
    case "@yearEnd":
      return formatDate(utc(y, 11, 31, 23, 59, 59, 999));
    case "@second":
      return now.getUTCSeconds();
    case "@minute":
      return now.getUTCMinutes();
    case "@hour":
      return now.getUTCHours();
    case "@weekday":
      return now.getUTCDay();
    case "@day":
      return d;
    case "@month":
      return m + 1;
    case "@year":
      return y;
    default:
      return undefined;
  }
}
