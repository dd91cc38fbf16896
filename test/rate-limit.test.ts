import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import type PocketBase from "pocketbase";
import { ClientResponseError } from "pocketbase";
import { startTestServer, type TestServer } from "./helpers/test-server.ts";
import { apiError } from "./helpers/api-error.ts";
import { LocalRateLimitCounter, setRateLimitCounter } from "../src/core/rate-limit/rate-limit-counter.ts";
import { defaultSettings, type RateLimitRule } from "../src/core/settings/settings-defaults.ts";

let ts: TestServer;
let su: PocketBase;
let user: PocketBase;
let fileUrl: string;

const TOO_MANY = { status: 429, message: "Too Many Requests.", data: {} };

beforeAll(async () => {
  ts = await startTestServer();
  su = await ts.superuser();
  const open = { listRule: "", viewRule: "", createRule: "", updateRule: "", deleteRule: "" };
  await su.collections.create({ name: "posts", type: "base", ...open, fields: [{ name: "title", type: "text" }, { name: "doc", type: "file", maxSelect: 1 }] });
  await su.collections.create({ name: "comments", type: "base", ...open, fields: [{ name: "body", type: "text" }] });
  await su.collection("users").create({ email: "u@example.com", password: "1234567890", passwordConfirm: "1234567890" });
  user = ts.client();
  await user.collection("users").authWithPassword("u@example.com", "1234567890");
  const form = new FormData();
  form.append("title", "with file");
  form.append("doc", new Blob(["hello"], { type: "text/plain" }), "hello.txt");
  const rec = await su.collection("posts").create(form);
  fileUrl = su.files.getURL(rec, rec.doc as string);
});
afterAll(async () => {
  await ts.stop();
});
beforeEach(() => {
  // every test starts with fresh counts (all requests come from 127.0.0.1)
  setRateLimitCounter(ts.app, new LocalRateLimitCounter());
});

const rule = (label: string, maxRequests: number, audience = "", duration = 60): RateLimitRule => ({ label, audience, duration, maxRequests });

/** Sets the rate limits through the settings API (as the superuser, who is never limited). */
async function limits(rules: RateLimitRule[], extra: { enabled?: boolean; excludedIPs?: string[]; trustedProxy?: { headers: string[]; useLeftmostIP: boolean } } = {}): Promise<void> {
  const { trustedProxy = { headers: [], useLeftmostIP: false }, ...rl } = extra;
  await su.settings.update({ rateLimits: { enabled: true, excludedIPs: [], rules, ...rl }, trustedProxy });
}

/** How many of `n` calls succeed before the first 429 (and that every later call is a 429 too). */
async function allowed(call: () => Promise<unknown>, n = 6): Promise<number> {
  let ok = 0;
  for (let i = 0; i < n; i++) {
    try {
      await call();
      if (ok !== i) throw new Error(`call ${i} succeeded after a 429`);
      ok++;
    } catch (err) {
      if (!(err instanceof ClientResponseError) || err.status !== 429) throw err;
    }
  }
  return ok;
}

const listPosts = (pb: PocketBase = ts.client()) => () => pb.collection("posts").getList(1, 1, { requestKey: null });
const listComments = () => ts.client().collection("comments").getList(1, 1, { requestKey: null });
const createPost = () => ts.client().collection("posts").create({ title: "x" }, { requestKey: null });
const createComment = () => ts.client().collection("comments").create({ body: "x" }, { requestKey: null });
const health = (headers: { [k: string]: string } = {}) => () => ts.client().health.check({ headers, requestKey: null });

describe("enabled / disabled", () => {
  test("disabled (the default): nothing is limited", async () => {
    expect((await su.settings.getAll()).rateLimits.enabled).toBe(false);
    await limits([rule("/api/", 1)], { enabled: false });
    expect(await allowed(health(), 4)).toBe(4);
  });

  test("enabled: the 429 envelope through the SDK", async () => {
    await limits([rule("/api/health", 2)]);
    expect(await allowed(health(), 2)).toBe(2);
    const err = await apiError(ts.client().health.check());
    expect(err.status).toBe(429);
    expect(err.response).toEqual(TOO_MANY);
    const res = await fetch(`${ts.url}/api/health`);
    expect(res.status).toBe(429);
    expect(await res.json()).toEqual(TOO_MANY);
    // PocketBase's other global middlewares still ran
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
  });

  test("settings changes take effect at once", async () => {
    await limits([rule("/api/health", 1)]);
    expect(await allowed(health(), 3)).toBe(1);
    await limits([rule("/api/health", 3)]);
    expect(await allowed(health(), 3)).toBe(2); // 1 of 3 already used in this window
    await limits([rule("/api/health", 3)], { enabled: false });
    expect(await allowed(health(), 3)).toBe(3);
  });

  test("the hourly cleanup cron job is listed once the limiter is used", async () => {
    await limits([rule("/api/health", 5)]);
    await ts.client().health.check();
    const jobs = await su.crons.getFullList();
    expect(jobs).toContainEqual({ id: "__pbRateLimitersCleanup__", expression: "2 * * * *" });
  });
});

describe("label forms", () => {
  test("METHOD /path: only that method", async () => {
    await limits([rule("GET /api/collections/posts/records", 1)]);
    expect(await allowed(listPosts(), 3)).toBe(1);
    expect(await allowed(createPost, 3)).toBe(3);
  });

  test("/path: exact, any method (counted per collection endpoint)", async () => {
    await limits([rule("/api/collections/posts/records", 2)]);
    expect(await allowed(listPosts(), 3)).toBe(2);
    expect(await allowed(createPost, 3)).toBe(2);
    expect(await allowed(listComments, 3)).toBe(3);
  });

  test("/prefix/: everything under it, shared by non-collection paths", async () => {
    await limits([rule("/api/", 3)]);
    expect(await allowed(health(), 2)).toBe(2);
    const realtime = await fetch(`${ts.url}/api/realtime`, { method: "POST", body: "{}", headers: { "content-type": "application/json" } });
    expect(realtime.status).toBe(400); // counted (3rd): a bad subscription, not a 429
    expect(await allowed(health(), 1)).toBe(0);
    expect((await fetch(`${ts.url}/_/`)).status).not.toBe(429);
  });

  test("<collection>:<tag>: that collection only", async () => {
    await limits([rule("posts:list", 1)]);
    expect(await allowed(listPosts(), 3)).toBe(1);
    expect(await allowed(listComments, 3)).toBe(3);
    expect(await allowed(createPost, 2)).toBe(2);
  });

  test("*:<tag>: every collection, each counted apart", async () => {
    await limits([rule("*:create", 1)]);
    expect(await allowed(createPost, 3)).toBe(1);
    expect(await allowed(createComment, 3)).toBe(1);
    expect(await allowed(listPosts(), 2)).toBe(2);
  });

  test("record view, update and delete tags", async () => {
    await limits([rule("*:view", 1), rule("posts:update", 1), rule("*:delete", 1)]);
    const a = await su.collection("posts").create({ title: "a" });
    const b = await su.collection("posts").create({ title: "b" });
    const pb = ts.client();
    expect(await allowed(() => pb.collection("posts").getOne(a.id, { requestKey: null }), 2)).toBe(1);
    expect(await allowed(() => pb.collection("posts").update(a.id, { title: "c" }, { requestKey: null }), 2)).toBe(1);
    await pb.collection("posts").delete(a.id);
    const err = await apiError(pb.collection("posts").delete(b.id));
    expect(err.status).toBe(429);
    expect((await su.collection("posts").getOne(b.id)).title).toBe("b"); // nothing was deleted
  });

  test("auth endpoints: their own tag and the extra `auth` tag of the sign-in endpoints", async () => {
    await limits([rule("users:auth", 1), rule("*:listAuthMethods", 2), rule("*:requestPasswordReset", 1)]);
    const pb = ts.client();
    await pb.collection("users").authWithPassword("u@example.com", "1234567890");
    expect((await apiError(pb.collection("users").authWithPassword("u@example.com", "1234567890"))).status).toBe(429);
    // a wrong password is counted the same (brute force)
    expect((await apiError(ts.client().collection("users").authWithPassword("u@example.com", "wrong"))).status).toBe(429);
    // other auth endpoints are not `auth`-tagged
    expect(await allowed(() => ts.client().collection("users").listAuthMethods({ requestKey: null }), 3)).toBe(2);
    expect(await allowed(() => ts.client().collection("users").requestPasswordReset("u@example.com", { requestKey: null }), 2)).toBe(1);
    // superusers are another collection: `users:auth` does not apply to them
    await ts.client().collection("_superusers").authWithPassword("test@example.com", "1234567890");
    await ts.client().collection("_superusers").authWithPassword("test@example.com", "1234567890");
  });

  test("the default `*:auth` rule: 2 sign-ins per 3 s", async () => {
    await limits(defaultSettings().rateLimits.rules);
    const signIn = () => ts.client().collection("users").authWithPassword("u@example.com", "1234567890", { requestKey: null });
    expect(await allowed(signIn, 4)).toBe(2);
  });

  test("file downloads: the `file` tag", async () => {
    await limits([rule("*:file", 2)]);
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await fetch(fileUrl);
      statuses.push(res.status);
      if (res.status === 200) expect(await res.text()).toBe("hello");
      else expect(await res.json()).toEqual(TOO_MANY);
    }
    expect(statuses).toEqual([200, 200, 429]);
  });
});

describe("lookup order", () => {
  test("collection tag beats *:tag beats METHOD /path beats /path beats a prefix", async () => {
    const all = [rule("/api/", 6), rule("/api/collections/posts/records", 5), rule("GET /api/collections/posts/records", 4), rule("*:list", 3), rule("posts:list", 2)];
    // each step drops the winning rule; its successor starts with its own count
    for (let n = 2; n <= 6; n++) {
      await limits(all.filter((r) => r.maxRequests >= n));
      expect(await allowed(listPosts(), 7)).toBe(n);
    }
  });
});

describe("audience", () => {
  test("@guest rules for guests, @auth rules for authenticated users", async () => {
    await limits([rule("/api/collections/posts/records", 1, "@guest"), rule("/api/collections/posts/records", 3, "@auth")]);
    expect(await allowed(listPosts(), 4)).toBe(1);
    expect(await allowed(listPosts(user), 4)).toBe(3);
  });

  test("an @auth-only rule leaves guests to the next matching rule", async () => {
    await limits([rule("posts:list", 1, "@auth"), rule("/api/", 2)]);
    expect(await allowed(listPosts(user), 3)).toBe(1);
    expect(await allowed(listPosts(), 3)).toBe(2);
  });

  test("superusers are never limited", async () => {
    await limits([rule("/api/", 1), rule("*:list", 1)]);
    expect(await allowed(() => su.collection("posts").getList(1, 1, { requestKey: null }), 5)).toBe(5);
    expect(await allowed(() => su.health.check({ requestKey: null }), 5)).toBe(5);
    expect(await allowed(listPosts(), 2)).toBe(1);
  });
});

describe("client IP", () => {
  const xff = (ip: string) => health({ "X-Forwarded-For": ip });

  test("excludedIPs are never limited", async () => {
    await limits([rule("/api/health", 1)], { excludedIPs: ["127.0.0.1"] });
    expect(await allowed(health(), 4)).toBe(4);
    await limits([rule("/api/health", 1)], { excludedIPs: ["10.0.0.9"], trustedProxy: { headers: ["X-Forwarded-For"], useLeftmostIP: false } });
    expect(await allowed(xff("10.0.0.9"), 4)).toBe(4);
    expect(await allowed(xff("10.0.0.8"), 2)).toBe(1);
  });

  test("the real IP from settings.trustedProxy keys the counts", async () => {
    // without a trusted header the header is ignored: every request is 127.0.0.1
    await limits([rule("/api/health", 1)]);
    expect(await allowed(xff("1.1.1.1"), 2)).toBe(1);
    expect(await allowed(xff("2.2.2.2"), 2)).toBe(0);

    await limits([rule("/api/health", 1)], { trustedProxy: { headers: ["X-Forwarded-For"], useLeftmostIP: false } });
    expect(await allowed(xff("1.1.1.1"), 2)).toBe(1);
    expect(await allowed(xff("2.2.2.2"), 2)).toBe(1);
    // the right-most valid IP is the client; the left part can be forged
    expect(await allowed(xff("9.9.9.9, 1.1.1.1"), 1)).toBe(0);
    expect(await allowed(xff("3.3.3.3, nonsense"), 1)).toBe(1);

    await limits([rule("/api/health", 1)], { trustedProxy: { headers: ["X-Forwarded-For"], useLeftmostIP: true } });
    expect(await allowed(xff("2.2.2.2, 4.4.4.4"), 1)).toBe(0);
    expect(await allowed(xff("5.5.5.5, 2.2.2.2"), 1)).toBe(1);
  });
});

describe("window", () => {
  test("a window of `duration` seconds: the count starts afresh after it", async () => {
    await limits([rule("/api/health", 2, "", 1)]);
    expect(await allowed(health(), 3)).toBe(2);
    await Bun.sleep(1050);
    expect(await allowed(health(), 3)).toBe(2);
  });
});

describe("batch", () => {
  test("sub-requests count against the collection rules; the batch rolls back with the 429 inside", async () => {
    await su.settings.update({ batch: { enabled: true, maxRequests: 10, timeout: 3 } });
    await limits([rule("comments:create", 2)]);
    const before = (await su.collection("comments").getList(1, 1)).totalItems;
    const batch = ts.client().createBatch();
    for (let i = 0; i < 3; i++) batch.collection("comments").create({ body: `b${i}` });
    const err = await apiError(batch.send());
    expect(err.status).toBe(400);
    expect(err.response.message).toBe("Batch transaction failed.");
    expect(err.response.data.requests["2"].response).toEqual(TOO_MANY);
    expect((await su.collection("comments").getList(1, 1)).totalItems).toBe(before);
  });

  test("the batch request itself counts under /api/batch", async () => {
    await limits([rule("/api/batch", 1)]);
    const send = () => {
      const b = ts.client().createBatch();
      b.collection("comments").create({ body: "x" });
      return b.send({ requestKey: null });
    };
    expect(await allowed(send, 2)).toBe(1);
  });
});

describe("bad input", () => {
  test("invalid rules are refused by the settings API and nothing is saved", async () => {
    await limits([rule("/api/health", 5)], { enabled: false });
    const before = await su.settings.getAll();
    const cases: [unknown, string, string][] = [
      [{ rules: [{ label: "", audience: "", duration: 1, maxRequests: 1 }] }, "rules.0.label", "validation_required"],
      [{ rules: [{ label: "GET api/x", audience: "", duration: 1, maxRequests: 1 }] }, "rules.0.label", "validation_match_invalid"],
      [{ rules: [{ label: "/a", audience: "@admins", duration: 1, maxRequests: 1 }] }, "rules.0.audience", "validation_in_invalid"],
      [{ rules: [{ label: "/a", audience: "", duration: 0, maxRequests: 1 }] }, "rules.0.duration", "validation_required"],
      [{ rules: [{ label: "/a", audience: "", duration: 1, maxRequests: -2 }] }, "rules.0.maxRequests", "validation_min_greater_equal_than_required"],
      [{ rules: [rule("/a", 1), rule("/a", 2, "@guest")] }, "rules.1.label", "validation_conflicting_rate_limit_rule"],
      [{ enabled: true, rules: [] }, "rules", "validation_required"],
      [{ excludedIPs: ["10.0.0.0/8"] }, "excludedIPs.0", "validation_is_ip"],
    ];
    for (const [rateLimits, path, code] of cases) {
      const err = await apiError(su.settings.update({ rateLimits }));
      expect(err.status).toBe(400);
      expect(err.response.message).toBe("An error occurred while saving the new settings.");
      const leaf = path.split(".").reduce((o: { [k: string]: unknown }, k) => o?.[k] as { [k: string]: unknown }, err.response.data.rateLimits);
      expect({ path, code: leaf?.code }).toEqual({ path, code });
    }
    expect(await su.settings.getAll()).toEqual(before);
  });
});
