import { describe, expect, test } from "bun:test";
import type { RateLimitRule } from "../settings/settings-defaults.ts";
import { defaultSettings } from "../settings/settings-defaults.ts";
import { findRateLimitRule, isExcludedIP, rateLimitAudiences, rateLimitKey, rateLimitLabels, validateRateLimits } from "./rate-limit-rules.ts";

const rule = (label: string, audience = "", maxRequests = 1, duration = 1): RateLimitRule => ({ label, audience, duration, maxRequests });
const GUEST = rateLimitAudiences(false);
const AUTH = rateLimitAudiences(true);

describe("rateLimitLabels", () => {
  test("a collection endpoint: collection tags, wildcard tags, then the path labels", () => {
    expect(rateLimitLabels("POST", "/api/collections/users/auth-with-password", "users", ["authWithPassword", "auth"])).toEqual([
      "users:authWithPassword",
      "users:auth",
      "*:authWithPassword",
      "*:auth",
      "POST /api/collections/users/auth-with-password",
      "/api/collections/users/auth-with-password",
    ]);
  });
  test("any other request: METHOD /path, then /path", () => {
    expect(rateLimitLabels("GET", "/api/health")).toEqual(["GET /api/health", "/api/health"]);
  });
});

describe("findRateLimitRule", () => {
  const labels = rateLimitLabels("POST", "/api/collections/posts/records", "posts", ["create"]);

  test("lookup order: collection tag, wildcard tag, METHOD /path, /path, prefix", () => {
    const all = [rule("/api/"), rule("/api/collections/posts/records"), rule("POST /api/collections/posts/records"), rule("*:create"), rule("posts:create")];
    const order: string[] = [];
    let rules = all;
    while (rules.length) {
      const r = findRateLimitRule(rules, labels, GUEST)!;
      order.push(r.label);
      rules = rules.filter((x) => x !== r);
    }
    expect(order).toEqual(["posts:create", "*:create", "POST /api/collections/posts/records", "/api/collections/posts/records", "/api/"]);
  });

  test("another collection's tag does not match", () => {
    expect(findRateLimitRule([rule("comments:create")], labels, GUEST)).toBeNull();
  });

  test("prefix rules: a trailing slash matches the path and everything under it, not siblings", () => {
    expect(findRateLimitRule([rule("/api/collections/posts/")], labels, GUEST)?.label).toBe("/api/collections/posts/");
    expect(findRateLimitRule([rule("/api/collections/posts/records/")], labels, GUEST)?.label).toBe("/api/collections/posts/records/");
    expect(findRateLimitRule([rule("/api/collections/post/")], labels, GUEST)).toBeNull();
    expect(findRateLimitRule([rule("/api/collections/posts/records")], rateLimitLabels("GET", "/api/collections/posts/records/abc"), GUEST)).toBeNull();
  });

  test("a METHOD prefix applies to that method only", () => {
    const r = [rule("POST /api/")];
    expect(findRateLimitRule(r, labels, GUEST)?.label).toBe("POST /api/");
    expect(findRateLimitRule(r, rateLimitLabels("GET", "/api/health"), GUEST)).toBeNull();
  });

  test("the first of several matching prefix rules wins; an exact label beats every prefix", () => {
    expect(findRateLimitRule([rule("/api/", "", 5), rule("/api/collections/", "", 7)], labels, GUEST)?.maxRequests).toBe(5);
    expect(findRateLimitRule([rule("/api/"), rule("/api/collections/posts/records", "", 9)], labels, GUEST)?.maxRequests).toBe(9);
  });

  test("audience: @guest rules only for guests, @auth only for authenticated, '' for both", () => {
    const r = [rule("/api/", "@guest", 1), rule("/api/", "@auth", 2)];
    expect(findRateLimitRule(r, labels, GUEST)?.maxRequests).toBe(1);
    expect(findRateLimitRule(r, labels, AUTH)?.maxRequests).toBe(2);
    expect(findRateLimitRule([rule("*:create", "@auth")], labels, GUEST)).toBeNull();
    expect(findRateLimitRule([rule("*:create", "@auth"), rule("/api/")], labels, GUEST)?.label).toBe("/api/");
    expect(findRateLimitRule([rule("*:create")], labels, AUTH)?.label).toBe("*:create");
  });

  test("the default rules", () => {
    const rules = defaultSettings().rateLimits.rules;
    const auth = rateLimitLabels("POST", "/api/collections/users/auth-with-password", "users", ["authWithPassword", "auth"]);
    expect(findRateLimitRule(rules, auth, GUEST)?.label).toBe("*:auth");
    expect(findRateLimitRule(rules, labels, GUEST)?.label).toBe("*:create");
    expect(findRateLimitRule(rules, rateLimitLabels("POST", "/api/batch"), GUEST)?.label).toBe("/api/batch");
    expect(findRateLimitRule(rules, rateLimitLabels("GET", "/api/health"), GUEST)?.label).toBe("/api/");
    expect(findRateLimitRule(rules, rateLimitLabels("GET", "/_/"), GUEST)).toBeNull();
  });
});

describe("rateLimitKey and isExcludedIP", () => {
  test("the key holds the rule label, the audience, the scope and the IP", () => {
    const a = rateLimitKey(rule("/api/", "@guest"), "", "10.0.0.1");
    expect(a).toContain("/api/");
    expect(a).toContain("@guest");
    expect(a).toContain("10.0.0.1");
    expect(rateLimitKey(rule("/api/", "@auth"), "", "10.0.0.1")).not.toBe(a);
    expect(rateLimitKey(rule("/api/", "@guest"), "", "10.0.0.2")).not.toBe(a);
    expect(rateLimitKey(rule("/api/", "@guest"), "c1 list", "10.0.0.1")).not.toBe(a);
  });
  test("excluded IPs match exactly", () => {
    expect(isExcludedIP(["10.0.0.1"], "10.0.0.1")).toBe(true);
    expect(isExcludedIP(["10.0.0.1"], "10.0.0.10")).toBe(false);
    expect(isExcludedIP([], "10.0.0.1")).toBe(false);
    expect(isExcludedIP(undefined, "10.0.0.1")).toBe(false);
  });
});

describe("validateRateLimits", () => {
  const cfg = (rules: unknown[], extra: object = {}) => ({ enabled: false, excludedIPs: [], rules, ...extra });

  test("the defaults and every label form are valid", () => {
    expect(validateRateLimits(defaultSettings().rateLimits)).toBeNull();
    const labels = ["GET /api/x", "POST /api/collections/", "/", "/api/my-route", "posts:list", "*:authWithPassword", "custom_tag"];
    expect(validateRateLimits(cfg(labels.map((l) => rule(l))))).toBeNull();
  });

  test("bad labels, numbers and audiences, per rule", () => {
    const errors = validateRateLimits(cfg([rule(""), rule("GET api"), { label: "/a", audience: "@admin", duration: 0, maxRequests: -1 }, { label: "/b", audience: "", duration: 1.5, maxRequests: "3" }]));
    expect(errors).toEqual({
      rules: {
        "0": { label: { code: "validation_required", message: "Cannot be blank." } },
        "1": { label: { code: "validation_match_invalid", message: "Must be in a valid format." } },
        "2": {
          audience: { code: "validation_in_invalid", message: "Must be a valid value." },
          duration: { code: "validation_required", message: "Cannot be blank." },
          maxRequests: { code: "validation_min_greater_equal_than_required", message: "Must be no less than 1.", params: { threshold: 1 } },
        },
        "3": {
          duration: { code: "validation_invalid_value", message: "Must be a whole number." },
          maxRequests: { code: "validation_invalid_value", message: "Must be a whole number." },
        },
      },
    } as never);
  });

  test("a label repeated for an overlapping audience conflicts; @guest and @auth may share one", () => {
    expect(validateRateLimits(cfg([rule("/api/", "@guest"), rule("/api/", "@auth")]))).toBeNull();
    for (const [a, b] of [["", ""], ["", "@auth"], ["@guest", ""], ["@auth", "@auth"]]) {
      const errors = validateRateLimits(cfg([rule("/x"), rule("/api/", a), rule("/api/", b)])) as unknown as { rules: { [k: string]: { label: { code: string } } } };
      expect(Object.keys(errors.rules)).toEqual(["2"]);
      expect(errors.rules["2"]!.label.code).toBe("validation_conflicting_rate_limit_rule");
    }
  });

  test("enabled needs at least one rule; rules must be a list; excluded IPs must be IPs", () => {
    expect(validateRateLimits(cfg([], { enabled: true }))).toEqual({ rules: { code: "validation_required", message: "Cannot be blank." } });
    expect(validateRateLimits(cfg([]))).toBeNull();
    expect(validateRateLimits({ enabled: false, rules: "x" })).toEqual({ rules: { code: "validation_required", message: "Must be a list." } });
    expect(validateRateLimits(cfg([], { excludedIPs: ["127.0.0.1", "::1", "10.0.0.0/8", "nope", 5] }))).toEqual({
      excludedIPs: {
        "2": { code: "validation_is_ip", message: "Must be a valid IP address." },
        "3": { code: "validation_is_ip", message: "Must be a valid IP address." },
        "4": { code: "validation_is_ip", message: "Must be a valid IP address." },
      },
    });
  });
});
