import { describe, expect, test } from "bun:test";
import { formatDate, normalizeDateString, parseDate } from "./dates.ts";

/** The slow path the fast path must agree with: parse, then format. */
function viaDate(v: unknown): string {
  const d = parseDate(v);
  return d ? formatDate(d) : "";
}

describe("normalizeDateString", () => {
  test("keeps canonical dates and normalises other forms", () => {
    expect(normalizeDateString("2024-01-02 03:04:05.678Z")).toBe("2024-01-02 03:04:05.678Z");
    expect(normalizeDateString("2024-01-02T03:04:05.678Z")).toBe("2024-01-02 03:04:05.678Z");
    expect(normalizeDateString("2024-01-02 03:04:05")).toBe("2024-01-02 03:04:05.000Z");
    expect(normalizeDateString("2024-01-02")).toBe("2024-01-02 00:00:00.000Z");
    expect(normalizeDateString(" 2024-01-02 03:04:05.678Z ")).toBe("2024-01-02 03:04:05.678Z");
    expect(normalizeDateString("")).toBe("");
    expect(normalizeDateString("not a date")).toBe("");
    expect(normalizeDateString(null)).toBe("");
  });

  test("the canonical fast path agrees with parsing for out-of-range components", () => {
    // Date rolls these over (Feb 30 → March, 24:00 → next day) or rejects them
    const edge = [
      "2024-02-29 23:59:59.999Z", "2023-02-29 00:00:00.000Z", "1900-02-29 00:00:00.000Z", "2000-02-29 00:00:00.000Z",
      "2024-02-30 00:00:00.000Z", "2024-04-31 00:00:00.000Z", "2024-12-31 24:00:00.000Z", "2024-12-31 23:60:00.000Z",
      "2024-12-31 23:59:60.000Z", "2024-00-10 00:00:00.000Z", "2024-13-10 00:00:00.000Z", "2024-01-00 00:00:00.000Z",
      "0000-01-01 00:00:00.000Z", "9999-12-31 23:59:59.999Z", "2024-0a-01 00:00:00.000Z", "2024-01-01 00:00:00.00aZ",
    ];
    for (const s of edge) expect([s, normalizeDateString(s)]).toEqual([s, viaDate(s)]);
    const p = (n: number) => String(n).padStart(2, "0");
    for (const year of [1900, 2000, 2023, 2024]) {
      for (let month = 0; month <= 13; month++) {
        for (const day of [0, 1, 28, 29, 30, 31, 32]) {
          const s = `${year}-${p(month)}-${p(day)} 12:00:00.000Z`;
          expect([s, normalizeDateString(s)]).toEqual([s, viaDate(s)]);
        }
      }
    }
  });
});
