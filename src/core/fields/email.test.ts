import { describe, expect, test } from "bun:test";
import type { FieldOptionsContext, FieldValidateContext } from "./field-kind.ts";
import { emailField, isDomainName, isEmailAddress } from "./email.ts";
import { newField } from "./field-defaults.ts";

const ctx: FieldValidateContext = { isNew: true, original: "", countExisting: () => 0 };
const optCtx: FieldOptionsContext = { collectionType: "base", findCollection: () => null, previous: null };

describe("email format", () => {
  test("valid addresses", () => {
    for (const v of [
      "test@example.com", "a.b+c@sub.example.co.uk", "USER@EXAMPLE.COM", "x_y-z@a-b.io", "o'neil@example.org",
      "test@example.com.", "ü@bücher.de", '"quoted name"@example.com',
    ]) expect(isEmailAddress(v)).toBe(true);
  });

  test("invalid addresses", () => {
    for (const v of [
      "", "plain", "@example.com", "test@", "test@localhost", "a@b", "a@@b.com", "a b@example.com", "a..b@example.com",
      ".a@example.com", "a.@example.com", "a@-example.com", "a@example.123", "a@example.c0m0", "a@.com", "😀@example.com",
      "a@exa mple.com", "a@example..com.",
    ]) expect(isEmailAddress(v)).toBe(false);
  });

  test("long input is linear", () => {
    const start = performance.now();
    expect(isEmailAddress("a".repeat(5_000_000) + "@")).toBe(false);
    expect(isEmailAddress("a@" + "b.".repeat(1_000_000) + "-")).toBe(false);
    expect(performance.now() - start).toBeLessThan(1000);
  });

  test("domain names", () => {
    expect(isDomainName("example.com")).toBe(true);
    expect(isDomainName("sub.Example.org")).toBe(true);
    expect(isDomainName("xn--80ak6aa92e.com")).toBe(true);
    expect(isDomainName("localhost")).toBe(false);
    expect(isDomainName("exa mple.com")).toBe(false);
    expect(isDomainName("-a.com")).toBe(false);
    expect(isDomainName("https://example.com")).toBe(false);
  });
});

describe("email field", () => {
  test("normalise and store as string", () => {
    const f = newField("email", "e");
    expect(emailField.normalize(f, null)).toBe("");
    expect(emailField.normalize(f, 5)).toBe("5");
    expect(emailField.fromDb(f, null)).toBe("");
    expect(emailField.toDb(f, "a@b.co")).toBe("a@b.co");
    expect(emailField.columnType(f)).toBe("TEXT DEFAULT '' NOT NULL");
  });

  test("validation", () => {
    const f = newField("email", "e");
    expect(emailField.validateValue(f, "", ctx)).toBeNull();
    expect(emailField.validateValue(newField("email", "e", { required: true }), "", ctx)?.code).toBe("validation_required");
    expect(emailField.validateValue(f, "nope", ctx)).toEqual({ code: "validation_is_email", message: "Must be a valid email address." });
    expect(emailField.validateValue(f, "a@example.com", ctx)).toBeNull();
    expect(emailField.validateValue(f, 5, ctx)?.code).toBe("validation_invalid_value");
  });

  test("domain lists", () => {
    const only = newField("email", "e", { onlyDomains: ["example.com"] });
    expect(emailField.validateValue(only, "a@example.com", ctx)).toBeNull();
    expect(emailField.validateValue(only, "a@sub.example.com", ctx)).toEqual({
      code: "validation_email_domain_not_allowed", message: "Email domain is not allowed.",
    });
    const except = newField("email", "e", { exceptDomains: ["spam.com"] });
    expect(emailField.validateValue(except, "a@spam.com", ctx)?.code).toBe("validation_email_domain_not_allowed");
    expect(emailField.validateValue(except, "a@example.com", ctx)).toBeNull();
  });

  test("options", () => {
    expect(emailField.validateOptions(newField("email", "e"), optCtx)).toBeNull();
    expect(emailField.validateOptions(newField("email", "e", { onlyDomains: [], exceptDomains: [] }), optCtx)).toBeNull();
    const both = emailField.validateOptions(newField("email", "e", { onlyDomains: ["a.com"], exceptDomains: ["b.com"] }), optCtx)!;
    expect(both.onlyDomains?.code).toBe("validation_empty");
    expect(both.exceptDomains?.code).toBe("validation_empty");
    const bad = emailField.validateOptions(newField("email", "e", { onlyDomains: ["a.com", "not a domain"] }), optCtx)!;
    expect(bad.onlyDomains).toEqual({ code: "validation_is_domain", message: "Item 1: must be a valid domain.", params: { index: 1 } });
    expect(emailField.validateOptions(newField("email", "e", { onlyDomains: "a.com" }), optCtx)!.onlyDomains?.code).toBe("validation_invalid_value");
  });
});
