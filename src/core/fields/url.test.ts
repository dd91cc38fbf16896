import { describe, expect, test } from "bun:test";
import type { FieldOptionsContext, FieldValidateContext } from "./field-kind.ts";
import { isUrl, urlField, urlHostname } from "./url.ts";
import { newField } from "./field-defaults.ts";

const ctx: FieldValidateContext = { isNew: true, original: "", countExisting: () => 0 };
const optCtx: FieldOptionsContext = { collectionType: "base", findCollection: () => null, previous: null };

describe("url format", () => {
  test("valid urls", () => {
    for (const v of [
      "https://example.com", "http://example.com/path?q=1#frag", "https://sub.example.co.uk:8080/a/b", "example.com",
      "example.com/path", "localhost:8090", "http://localhost", "ws://example.com/socket", "ftp://files.example.com",
      "https://user:pass@example.com/", "http://127.0.0.1:8090/_/", "http://[::1]:80/", "https://bücher.de",
    ]) expect(isUrl(v)).toBe(true);
  });

  test("invalid urls", () => {
    for (const v of [
      "", "abc", "abcd", ".example.com", "https://", "http://exa mple.com", "javascript:alert(1)x", "ex ample.com",
      "https://example.com/a b", "HTTP://EXAMPLE.COM", "gopher://example.com", "x".repeat(3000) + ".com",
    ]) expect(isUrl(v)).toBe(false);
  });

  test("hostname", () => {
    expect(urlHostname("https://user@Example.com:8080/x")).toBe("Example.com");
    expect(urlHostname("http://[::1]:80/")).toBe("::1");
    expect(urlHostname("example.com/path")).toBe("");
  });
});

describe("url field", () => {
  test("validation", () => {
    const f = newField("url", "u");
    expect(urlField.validateValue(f, "", ctx)).toBeNull();
    expect(urlField.validateValue(newField("url", "u", { required: true }), "", ctx)?.code).toBe("validation_required");
    expect(urlField.validateValue(f, "not a url", ctx)).toEqual({ code: "validation_invalid_url", message: "Must be a valid url." });
    expect(urlField.validateValue(f, "https://example.com", ctx)).toBeNull();
    expect(urlField.normalize(f, null)).toBe("");
  });

  test("domain lists compare the exact host", () => {
    const only = newField("url", "u", { onlyDomains: ["example.com"] });
    expect(urlField.validateValue(only, "https://example.com/x", ctx)).toBeNull();
    expect(urlField.validateValue(only, "https://www.example.com/x", ctx)).toEqual({
      code: "validation_url_domain_not_allowed", message: "Url domain is not allowed.",
    });
    expect(urlField.validateValue(only, "example.com/x", ctx)?.code).toBe("validation_url_domain_not_allowed");
    const except = newField("url", "u", { exceptDomains: ["bad.com"] });
    expect(urlField.validateValue(except, "http://bad.com:81", ctx)?.code).toBe("validation_url_domain_not_allowed");
    expect(urlField.validateValue(except, "http://good.com", ctx)).toBeNull();
  });

  test("options", () => {
    expect(urlField.validateOptions(newField("url", "u", { onlyDomains: ["example.com"] }), optCtx)).toBeNull();
    expect(urlField.validateOptions(newField("url", "u", { onlyDomains: ["a.com"], exceptDomains: ["b.com"] }), optCtx)).not.toBeNull();
  });
});
