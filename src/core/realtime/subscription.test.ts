import { describe, expect, test } from "bun:test";
import { parseSubscription, recordTopics } from "./subscription.ts";
import { encodeFramePrefix, encodePayload, assembleFrame, decodeFrame } from "./sse-frame.ts";

/** The key the SDK builds for `subscribe(topic, cb, {query, headers})`. */
function sdkKey(topic: string, options: { query?: unknown; headers?: unknown }): string {
  return topic + "?options=" + encodeURIComponent(JSON.stringify(options));
}

describe("parseSubscription", () => {
  test("a plain topic has no options", () => {
    const s = parseSubscription("posts/*");
    expect(s.topic).toBe("posts/*");
    expect(s.raw).toBe("posts/*");
    expect(s.options).toEqual({ query: {}, headers: {} });
    expect(s.optionsKey).toBe("");
  });

  test("the SDK's options suffix: query values stringified, header names snake_cased", () => {
    const raw = sdkKey("posts/abc", { query: { filter: "title = 'x'", expand: "author", perPage: 5, flag: true, obj: { a: 1 } }, headers: { "X-Token": "t", XApiKey: "k", num: 1 } });
    const s = parseSubscription(raw);
    expect(s.raw).toBe(raw);
    expect(s.topic).toBe("posts/abc");
    expect(s.options.query).toEqual({ filter: "title = 'x'", expand: "author", perPage: "5", flag: "true", obj: "" });
    // PocketBase parity: an upper-case letter after an upper-case one starts no new word
    expect(s.options.headers).toEqual({ x_token: "t", xapi_key: "k" });
  });

  test("equal options in another key order share the options key", () => {
    const a = parseSubscription(sdkKey("posts/*", { query: { a: "1", b: "2" } }));
    const b = parseSubscription(sdkKey("posts", { query: { b: "2", a: "1" } }));
    expect(a.optionsKey).toBe(b.optionsKey);
    expect(a.optionsKey).not.toBe(parseSubscription(sdkKey("posts", { query: { a: "2" } })).optionsKey);
  });

  test("PocketBase parity: malformed options are ignored, the subscription is kept", () => {
    for (const raw of ["posts/*?options=%7Bnot-json", "posts/*?options=[1,2]", "posts/*?options=%zz", "posts/*?other=1", "posts/*?options="]) {
      const s = parseSubscription(raw);
      expect(s.topic).toBe("posts/*");
      expect(s.options).toEqual({ query: {}, headers: {} });
    }
    const wrongTypes = parseSubscription(sdkKey("posts", { query: "x", headers: ["a"] }));
    expect(wrongTypes.options).toEqual({ query: {}, headers: {} });
  });

  test("an SDK key appended with & after an existing query is read too", () => {
    const s = parseSubscription("posts/*?x=1&options=" + encodeURIComponent(JSON.stringify({ query: { fields: "id" } })));
    expect(s.topic).toBe("posts/*");
    expect(s.options.query).toEqual({ fields: "id" });
  });
});

describe("recordTopics", () => {
  test("name and id forms with their rules, the bare collection topic included", () => {
    expect(recordTopics("posts", "pbc_1", "r1")).toEqual([
      { topic: "posts/r1", rule: "view" },
      { topic: "posts/*", rule: "list" },
      { topic: "posts", rule: "list" },
      { topic: "pbc_1/r1", rule: "view" },
      { topic: "pbc_1/*", rule: "list" },
      { topic: "pbc_1", rule: "list" },
    ]);
  });
});

describe("SSE frames", () => {
  test("PocketBase's frame: id, event, data, blank line; no retry line", () => {
    const frame = assembleFrame(encodeFramePrefix("CID", "PB_CONNECT"), encodePayload('{"clientId":"CID"}'));
    expect(decodeFrame(frame)).toBe('id:CID\nevent:PB_CONNECT\ndata:{"clientId":"CID"}\n\n');
  });

  test("line breaks in custom data become extra data fields", () => {
    const frame = assembleFrame(encodeFramePrefix("C", "chat"), encodePayload("a\nb\r\nc"));
    expect(decodeFrame(frame)).toBe("id:C\nevent:chat\ndata:a\ndata:b\ndata:c\n\n");
  });
});
