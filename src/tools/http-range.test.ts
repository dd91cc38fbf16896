import { describe, expect, test } from "bun:test";
import { evaluatePreconditions, ifRangeAllows, parseRange } from "./http-range.ts";

describe("parseRange", () => {
  test("single ranges", () => {
    expect(parseRange("bytes=0-4", 10)).toEqual({ start: 0, end: 4 });
    expect(parseRange("bytes=5-", 10)).toEqual({ start: 5, end: 9 });
    expect(parseRange("bytes=-3", 10)).toEqual({ start: 7, end: 9 });
    expect(parseRange("bytes=-30", 10)).toEqual({ start: 0, end: 9 });
    expect(parseRange("bytes=3-100", 10)).toEqual({ start: 3, end: 9 });
  });
  test("unsatisfiable, ignored and malformed", () => {
    expect(parseRange("bytes=10-", 10)).toBe("unsatisfiable");
    expect(parseRange("bytes=-0", 10)).toBe("unsatisfiable");
    expect(parseRange(null, 10)).toBeNull();
    expect(parseRange("bytes=0-1,3-4", 10)).toBeNull();
    expect(parseRange("items=0-1", 10)).toBeNull();
    expect(parseRange("bytes=5-2", 10)).toBeNull();
    expect(parseRange("bytes=abc", 10)).toBeNull();
  });
});

describe("preconditions", () => {
  const etag = '"abc"';
  const mod = new Date("2026-01-02T03:04:05Z");
  const h = (init: { [k: string]: string }) => new Headers(init);
  test("If-None-Match and If-Modified-Since", () => {
    expect(evaluatePreconditions(h({ "if-none-match": '"abc"' }), etag, mod)).toBe("not-modified");
    expect(evaluatePreconditions(h({ "if-none-match": 'W/"abc", "x"' }), etag, mod)).toBe("not-modified");
    expect(evaluatePreconditions(h({ "if-none-match": '"x"', "if-modified-since": mod.toUTCString() }), etag, mod)).toBe("ok");
    expect(evaluatePreconditions(h({ "if-modified-since": mod.toUTCString() }), etag, mod)).toBe("not-modified");
    expect(evaluatePreconditions(h({ "if-modified-since": new Date(mod.getTime() - 5000).toUTCString() }), etag, mod)).toBe("ok");
  });
  test("If-Match and If-Unmodified-Since", () => {
    expect(evaluatePreconditions(h({ "if-match": '"x"' }), etag, mod)).toBe("precondition-failed");
    expect(evaluatePreconditions(h({ "if-match": "*" }), etag, mod)).toBe("ok");
    expect(evaluatePreconditions(h({ "if-unmodified-since": new Date(mod.getTime() - 5000).toUTCString() }), etag, mod)).toBe("precondition-failed");
  });
  test("If-Range", () => {
    expect(ifRangeAllows(h({}), etag, mod)).toBe(true);
    expect(ifRangeAllows(h({ "if-range": '"abc"' }), etag, mod)).toBe(true);
    expect(ifRangeAllows(h({ "if-range": '"old"' }), etag, mod)).toBe(false);
    expect(ifRangeAllows(h({ "if-range": mod.toUTCString() }), etag, mod)).toBe(true);
  });
});
