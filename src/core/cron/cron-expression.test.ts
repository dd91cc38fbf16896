import { expect, test } from "bun:test";
import { CronSchedule, cronMoment } from "./cron-expression.ts";
import { CronScheduler } from "./cron-scheduler.ts";

const at = (iso: string) => cronMoment(new Date(iso));

test("5-field expressions: lists, ranges, steps", () => {
  const s = CronSchedule.parse("*/15 9-17 * * 1-5");
  expect(s.matches(at("2026-11-23T09:30:00Z"))).toBe(true); // Monday
  expect(s.matches(at("2026-11-23T09:31:00Z"))).toBe(false);
  expect(s.matches(at("2026-11-22T09:30:00Z"))).toBe(false); // Sunday
  expect(s.matches(at("2026-11-23T18:00:00Z"))).toBe(false);
  const l = CronSchedule.parse("0,30 0 1,15 */2 *");
  expect(l.matches(at("2026-01-15T00:30:00Z"))).toBe(true);
  expect(l.matches(at("2026-02-15T00:30:00Z"))).toBe(false);
  expect(CronSchedule.parse("10-40/10 * * * *").matches(at("2026-01-01T00:30:00Z"))).toBe(true);
});

test("macros", () => {
  expect(CronSchedule.parse("@daily").matches(at("2026-11-24T00:00:00Z"))).toBe(true);
  expect(CronSchedule.parse("@midnight").matches(at("2026-11-24T00:01:00Z"))).toBe(false);
  expect(CronSchedule.parse("@hourly").matches(at("2026-11-24T13:00:00Z"))).toBe(true);
  expect(CronSchedule.parse("@weekly").matches(at("2026-11-22T00:00:00Z"))).toBe(true);
  expect(CronSchedule.parse("@monthly").matches(at("2026-12-01T00:00:00Z"))).toBe(true);
  expect(CronSchedule.parse("@yearly").matches(at("2027-01-01T00:00:00Z"))).toBe(true);
  expect(CronSchedule.parse("@annually").matches(at("2027-01-02T00:00:00Z"))).toBe(false);
});

test("PocketBase parity: day of month AND day of week; UTC by default; time zones", () => {
  // the 13th only when it is a Friday (POSIX cron would fire on every 13th and every Friday)
  const s = CronSchedule.parse("0 12 13 * 5");
  expect(s.matches(at("2026-02-13T12:00:00Z"))).toBe(true); // Friday the 13th
  expect(s.matches(at("2026-04-13T12:00:00Z"))).toBe(false); // the 13th, a Monday
  expect(s.matches(at("2026-02-20T12:00:00Z"))).toBe(false); // a Friday, not the 13th
  const m = cronMoment(new Date("2026-06-01T22:30:00Z"), "Europe/Sofia");
  expect(m).toEqual({ minute: 30, hour: 1, day: 2, month: 6, weekday: 2 });
});

test("invalid expressions are rejected with the bad field named", () => {
  for (const [expr, msg] of [
    ["* * * *", "expected 5 space-separated fields"],
    ["* * * * * *", "expected 5 space-separated fields"],
    ["60 * * * *", 'minute "60" is out of range'],
    ["* 24 * * *", 'hour "24" is out of range'],
    ["* * 0 * *", 'day of month "0" is out of range'],
    ["* * * 13 *", 'month "13" is out of range'],
    ["* * * * 7", 'day of week "7" is out of range'],
    ["* * * JAN *", 'month "JAN" is not a number'],
    ["5/10 * * * *", "has a step without * or a range"],
    ["*/0 * * * *", "invalid step"],
    ["5-1 * * * *", "out of range"],
    ["@often", "expected 5 space-separated fields"],
  ] as const) {
    expect(() => CronSchedule.parse(expr)).toThrow(msg);
  }
});

test("scheduler: add replaces by id, jobs sorted with __pb ids last, run on demand, failures logged", async () => {
  const cron = new CronScheduler();
  const ran: string[] = [];
  cron.add("__pbInternal__", "@hourly", () => void ran.push("internal"));
  cron.add("b", "* * * * *", () => void ran.push("b1"));
  cron.add("b", "0 * * * *", () => void ran.push("b2"));
  cron.add("a", "0 0 * * *", async () => {
    await Bun.sleep(1);
    throw new Error("job failure");
  });
  expect(cron.jobs().map((j) => j.toJSON())).toEqual([
    { id: "a", expression: "0 0 * * *" },
    { id: "b", expression: "0 * * * *" },
    { id: "__pbInternal__", expression: "@hourly" },
  ]);
  const errors: unknown[] = [];
  const orig = console.error;
  console.error = (...a: unknown[]) => void errors.push(a);
  try {
    await cron.run("a");
  } finally {
    console.error = orig;
  }
  expect(errors).toHaveLength(1);
  cron.tick(new Date("2026-11-24T10:00:00Z"));
  expect(ran.sort()).toEqual(["b2", "internal"]);
  expect(() => cron.run("missing")).toThrow("unknown job");
  expect(() => cron.add("x", "bad", () => {})).toThrow("invalid cron expression");
  cron.remove("b");
  expect(cron.total()).toBe(2);
  cron.start();
  expect(cron.hasStarted()).toBe(true);
  cron.stop();
  expect(cron.hasStarted()).toBe(false);
});
