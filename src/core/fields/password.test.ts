import { describe, expect, test } from "bun:test";
import type { FieldOptionsContext, FieldValidateContext, PasswordValue } from "./field-kind.ts";
import { hashPasswordValue, passwordField } from "./password.ts";
import { newField } from "./field-defaults.ts";

const ctx: FieldValidateContext = { isNew: true, original: { hash: "" }, countExisting: () => 0 };
const optCtx: FieldOptionsContext = { collectionType: "auth", findCollection: () => null, previous: null };
// Low cost keeps the tests fast.
const f = newField("password", "password", { required: true, min: 8, cost: 4, hidden: true, system: true });

describe("password values", () => {
  test("normalize, fromDb, toDb, toJSON", () => {
    expect(passwordField.normalize(f, "secret123")).toEqual({ hash: "", plain: "secret123" });
    expect(passwordField.normalize(f, null)).toEqual({ hash: "", plain: "" });
    expect(passwordField.normalize(f, { hash: "$2a$x" })).toEqual({ hash: "", plain: "" });
    expect(passwordField.fromDb(f, "$2a$10$abc")).toEqual({ hash: "$2a$10$abc" });
    expect(passwordField.fromDb(f, null)).toEqual({ hash: "" });
    expect(passwordField.toDb(f, { hash: "$2a$10$abc" })).toBe("$2a$10$abc");
    expect(passwordField.toJSON(f, { hash: "$2a$10$abc", plain: "x" })).toBeUndefined();
    expect(passwordField.columnType(f)).toBe("TEXT DEFAULT '' NOT NULL");
  });

  test("prepare hashes with bcrypt and drops the plain text", () => {
    const out = passwordField.prepare!(f, { hash: "", plain: "secret123" }, { isNew: true, now: "" }) as PasswordValue;
    expect(out.plain).toBeUndefined();
    expect(out.hash).toMatch(/^\$2[aby]\$04\$/);
    expect(Bun.password.verifySync("secret123", out.hash)).toBe(true);
  });

  test("default cost is 10", () => {
    const out = passwordField.prepare!(newField("password", "p"), { hash: "", plain: "x" }, { isNew: true, now: "" }) as PasswordValue;
    expect(out.hash).toMatch(/^\$2[aby]\$10\$/);
  });

  test("prepare leaves an already-hashed value alone", async () => {
    const pre = await hashPasswordValue(f, { hash: "", plain: "secret123" });
    expect(pre.plain).toBe("secret123");
    expect(Bun.password.verifySync("secret123", pre.hash)).toBe(true);
    expect(passwordField.prepare!(f, pre, { isNew: true, now: "" })).toEqual({ hash: pre.hash });
    expect(passwordField.prepare!(f, { hash: "$2a$10$stored" }, { isNew: false, now: "" })).toEqual({ hash: "$2a$10$stored" });
    expect(await hashPasswordValue(f, { hash: "$2a$10$stored" })).toEqual({ hash: "$2a$10$stored" });
  });

  test("toDb hashes a plain value that was never prepared", () => {
    const stored = passwordField.toDb(f, { hash: "", plain: "secret123" }) as string;
    expect(Bun.password.verifySync("secret123", stored)).toBe(true);
  });

  test("verifies a Go-style $2a$ hash", () => {
    const hash = Bun.password.hashSync("123456789", { algorithm: "bcrypt", cost: 4 }).replace(/^\$2b\$/, "$2a$");
    expect(Bun.password.verifySync("123456789", hash)).toBe(true);
  });
});

describe("password validation", () => {
  test("required: a plain value or a stored hash", () => {
    expect(passwordField.validateValue(f, { hash: "" }, ctx)?.code).toBe("validation_required");
    expect(passwordField.validateValue(f, { hash: "", plain: "" }, ctx)?.code).toBe("validation_required");
    expect(passwordField.validateValue(f, { hash: "$2a$10$x" }, ctx)).toBeNull();
    expect(passwordField.validateValue(newField("password", "p"), { hash: "" }, ctx)).toBeNull();
    expect(passwordField.validateValue(f, "plain", ctx)?.code).toBe("validation_invalid_value");
  });

  test("length in bytes, max 0 → 71", () => {
    expect(passwordField.validateValue(f, { hash: "", plain: "1234567" }, ctx)).toEqual({
      code: "validation_min_text_constraint", message: "Must be at least 8 character(s).", params: { min: 8 },
    });
    expect(passwordField.validateValue(f, { hash: "", plain: "12345678" }, ctx)).toBeNull();
    expect(passwordField.validateValue(f, { hash: "", plain: "x".repeat(71) }, ctx)).toBeNull();
    expect(passwordField.validateValue(f, { hash: "", plain: "x".repeat(72) }, ctx)).toEqual({
      code: "validation_max_text_constraint", message: "Must be less than 71 character(s).", params: { max: 71 },
    });
    expect(passwordField.validateValue(f, { hash: "", plain: "é".repeat(36) }, ctx)?.code).toBe("validation_max_text_constraint");
    expect(passwordField.validateValue(f, { hash: "", plain: "x".repeat(10_000_000) }, ctx)?.code).toBe("validation_max_text_constraint");
    const custom = newField("password", "p", { max: 10 });
    expect(passwordField.validateValue(custom, { hash: "", plain: "x".repeat(11) }, ctx)?.params).toEqual({ max: 10 });
  });

  test("pattern", () => {
    const p = newField("password", "p", { pattern: "[0-9]" });
    expect(passwordField.validateValue(p, { hash: "", plain: "abc" }, ctx)).toEqual({ code: "validation_invalid_format", message: "Invalid value format." });
    expect(passwordField.validateValue(p, { hash: "", plain: "abc1" }, ctx)).toBeNull();
  });

  test("options", () => {
    expect(passwordField.validateOptions(f, optCtx)).toBeNull();
    expect(passwordField.validateOptions(newField("password", "p"), optCtx)).toBeNull();
    expect(passwordField.validateOptions(newField("password", "p", { cost: 3 }), optCtx)!.cost?.code).toBe("validation_min_greater_equal_than_required");
    expect(passwordField.validateOptions(newField("password", "p", { cost: 32 }), optCtx)!.cost?.code).toBe("validation_max_less_equal_than_required");
    expect(passwordField.validateOptions(newField("password", "p", { max: 72 }), optCtx)!.max?.code).toBe("validation_max_less_equal_than_required");
    expect(passwordField.validateOptions(newField("password", "p", { min: 10, max: 5 }), optCtx)!.max?.code).toBe("validation_min_greater_equal_than_required");
    expect(passwordField.validateOptions(newField("password", "p", { min: 72 }), optCtx)!.min?.code).toBe("validation_max_less_equal_than_required");
    expect(passwordField.validateOptions(newField("password", "p", { pattern: "(" }), optCtx)!.pattern?.code).toBe("validation_invalid_regex");
  });
});
