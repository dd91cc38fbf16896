import { describe, expect, test } from "bun:test";
import { createHmac } from "node:crypto";
import { decodeJwtUnverified, signJwt, verifyJwt } from "./jwt.ts";

const NOW = 1_700_000_000;
const SECRET = "s3cr3t-key";

function b64url(text: string): string {
  return Buffer.from(text, "utf8").toString("base64url");
}

/** Builds a token the way an arbitrary library might (any header, any JSON spacing). */
function handMade(headerJson: string, payloadJson: string, secret: string): string {
  const input = `${b64url(headerJson)}.${b64url(payloadJson)}`;
  return `${input}.${createHmac("sha256", secret).update(input).digest("base64url")}`;
}

describe("signJwt / verifyJwt", () => {
  test("round trip", () => {
    const payload = { id: "abc", type: "auth", collectionId: "pbc_1", exp: NOW + 60 };
    const token = signJwt(payload, SECRET);
    expect(token.split(".")).toHaveLength(3);
    expect(verifyJwt(token, SECRET, NOW)).toEqual(payload);
    expect(decodeJwtUnverified(token)).toEqual({ header: { alg: "HS256", typ: "JWT" }, payload });
  });

  test("matches the well-known jwt.io example byte for byte", () => {
    const token = signJwt({ sub: "1234567890", name: "John Doe", iat: 1516239022 }, "your-256-bit-secret");
    expect(token).toBe(
      "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
    );
    // Valid signature but no exp: PocketBase requires exp.
    expect(verifyJwt(token, "your-256-bit-secret", NOW)).toBeNull();
  });

  test("accepts a token built with another library's conventions", () => {
    const token = handMade(
      '{ "typ": "JWT", "alg": "HS256", "kid": "k1" }',
      `{\n  "exp": ${NOW + 5},\n  "id": "x\u00e9"\n}`,
      SECRET,
    );
    expect(verifyJwt(token, SECRET, NOW)).toEqual({ exp: NOW + 5, id: "x\u00e9" });
    // No typ at all is fine too.
    const bare = handMade('{"alg":"HS256"}', `{"exp":${NOW + 5}}`, SECRET);
    expect(verifyJwt(bare, SECRET, NOW)).toEqual({ exp: NOW + 5 });
  });

  test("rejects alg none, other algs and a missing alg", () => {
    const payload = `{"exp":${NOW + 60}}`;
    const none = `${b64url('{"alg":"none","typ":"JWT"}')}.${b64url(payload)}.`;
    expect(verifyJwt(none, SECRET, NOW)).toBeNull();
    const noneSigned = handMade('{"alg":"none"}', payload, SECRET);
    expect(verifyJwt(noneSigned, SECRET, NOW)).toBeNull();
    const hs512Header = handMade('{"alg":"HS512","typ":"JWT"}', payload, SECRET);
    expect(verifyJwt(hs512Header, SECRET, NOW)).toBeNull();
    const lower = handMade('{"alg":"hs256"}', payload, SECRET);
    expect(verifyJwt(lower, SECRET, NOW)).toBeNull();
    const missing = handMade('{"typ":"JWT"}', payload, SECRET);
    expect(verifyJwt(missing, SECRET, NOW)).toBeNull();
  });

  test("rejects the wrong key and an empty key", () => {
    const token = signJwt({ exp: NOW + 60 }, SECRET);
    expect(verifyJwt(token, SECRET + "x", NOW)).toBeNull();
    expect(verifyJwt(token, "", NOW)).toBeNull();
  });

  test("rejects a tampered payload or signature", () => {
    const token = signJwt({ id: "a", exp: NOW + 60 }, SECRET);
    const [h, , s] = token.split(".");
    const forged = `${h}.${b64url(JSON.stringify({ id: "b", exp: NOW + 60 }))}.${s}`;
    expect(verifyJwt(forged, SECRET, NOW)).toBeNull();
    const flipped = token.slice(0, -2) + (token.endsWith("AA") ? "BB" : "AA");
    expect(verifyJwt(flipped, SECRET, NOW)).toBeNull();
    expect(verifyJwt(`${token}=`, SECRET, NOW)).toBeNull();
    expect(verifyJwt(token.slice(0, -1), SECRET, NOW)).toBeNull();
  });

  test("expiry: exp required, no leeway, nbf honoured", () => {
    const token = signJwt({ exp: NOW }, SECRET);
    expect(verifyJwt(token, SECRET, NOW - 0.001)).not.toBeNull();
    expect(verifyJwt(token, SECRET, NOW)).toBeNull();
    expect(verifyJwt(token, SECRET, NOW + 1)).toBeNull();
    expect(verifyJwt(signJwt({ id: "x" }, SECRET), SECRET, NOW)).toBeNull();
    expect(verifyJwt(signJwt({ exp: String(NOW + 60) }, SECRET), SECRET, NOW)).toBeNull();
    const future = signJwt({ exp: NOW + 60, nbf: NOW + 10 }, SECRET);
    expect(verifyJwt(future, SECRET, NOW)).toBeNull();
    expect(verifyJwt(future, SECRET, NOW + 10)).not.toBeNull();
    // Default clock: a token that expired in 1970 is rejected.
    expect(verifyJwt(signJwt({ exp: 1 }, SECRET), SECRET)).toBeNull();
    expect(verifyJwt(signJwt({ exp: Date.now() / 1000 + 60 }, SECRET), SECRET)).not.toBeNull();
  });

  test("garbage never throws", () => {
    const garbage = [
      "",
      ".",
      "..",
      "a.b.c",
      "a.b",
      "a.b.c.d",
      "eyJhbGciOiJIUzI1NiJ9",
      "%%%.%%%.%%%",
      `${b64url("[1,2]")}.${b64url("{}")}.x`,
      `${b64url('{"alg":"HS256"}')}.${b64url("null")}.x`,
      `${b64url('{"alg":"HS256"}')}.${b64url("not json")}.x`,
      "Bearer abc.def.ghi",
      "\u0000.\u0000.\u0000",
    ];
    for (const g of garbage) {
      expect(verifyJwt(g, SECRET, NOW)).toBeNull();
      expect(decodeJwtUnverified(g)).toBeNull();
    }
    expect(verifyJwt(undefined as unknown as string, SECRET, NOW)).toBeNull();
    expect(decodeJwtUnverified(42 as unknown as string)).toBeNull();
  });

  test("decodeJwtUnverified ignores the signature", () => {
    const token = handMade('{"alg":"HS256"}', '{"collectionId":"c1"}', "whatever");
    expect(decodeJwtUnverified(token)?.payload).toEqual({ collectionId: "c1" });
    const unsigned = `${b64url('{"alg":"none"}')}.${b64url('{"a":1}')}.`;
    expect(decodeJwtUnverified(unsigned)).toEqual({ header: { alg: "none" }, payload: { a: 1 } });
  });
});
