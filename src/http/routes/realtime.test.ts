import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type PocketBase from "pocketbase";
import { startTestServer, type TestServer } from "../../../test/helpers/test-server.ts";
import { buildRouter, handleRequest } from "../server.ts";
import { realtimeBroker } from "../../core/realtime/register-realtime.ts";
import type { RealtimeBroker } from "../../core/realtime/broker.ts";

/** A raw SSE connection read frame by frame. */
interface RawStream {
  clientId: string;
  response: Response;
  /** The next frame, or null when the stream ended or nothing came within `ms`. */
  next(ms?: number): Promise<{ id: string; event: string; data: string } | "end" | null>;
  abort(): void;
}

async function openStream(base: string): Promise<RawStream> {
  const ac = new AbortController();
  const response = await fetch(base + "/api/realtime", { signal: ac.signal });
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buf = "";
  let pending: Promise<{ done: boolean; value?: Uint8Array }> | null = null;
  const next = async (ms = 2000): Promise<{ id: string; event: string; data: string } | "end" | null> => {
    const deadline = Date.now() + ms;
    for (;;) {
      const cut = buf.indexOf("\n\n");
      if (cut >= 0) {
        const block = buf.slice(0, cut);
        buf = buf.slice(cut + 2);
        const f = { id: "", event: "", data: "" };
        for (const line of block.split("\n")) {
          const i = line.indexOf(":");
          (f as { [k: string]: string })[line.slice(0, i)] = line.slice(i + 1);
        }
        return f;
      }
      const left = deadline - Date.now();
      if (left <= 0) return null;
      // a reset connection counts as the end of the stream
      pending ??= reader.read().catch(() => ({ done: true }));
      const r = await Promise.race([pending, Bun.sleep(left).then(() => null)]);
      if (r === null) return null;
      pending = null;
      if (r.done) return "end";
      buf += decoder.decode(r.value, { stream: true });
    }
  };
  const first = await next();
  if (!first || first === "end") throw new Error("no PB_CONNECT");
  expect(first.event).toBe("PB_CONNECT");
  return { clientId: first.id, response, next, abort: () => ac.abort() };
}

let ts: TestServer;
let su: PocketBase;
let broker: RealtimeBroker;
let userToken: { a: string; b: string };

async function post(body: unknown, token = ""): Promise<{ status: number; json: { status?: number; message?: string; data?: { [k: string]: unknown } } | null }> {
  const res = await fetch(ts.url + "/api/realtime", {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: token } : {}) },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null };
}

async function waitFor(cond: () => boolean, ms = 2000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (cond()) return true;
    await Bun.sleep(10);
  }
  return cond();
}

beforeAll(async () => {
  ts = await startTestServer();
  su = await ts.superuser();
  broker = realtimeBroker(ts.app)!;
  await su.collections.create({ name: "notes", type: "base", listRule: "", viewRule: "", fields: [{ name: "title", type: "text" }] });
  const tokens: string[] = [];
  for (const email of ["a@example.com", "b@example.com"]) {
    await su.collection("users").create({ email, password: "1234567890", passwordConfirm: "1234567890" });
    const c = ts.client();
    tokens.push((await c.collection("users").authWithPassword(email, "1234567890")).token);
  }
  userToken = { a: tokens[0]!, b: tokens[1]! };
});
afterAll(async () => {
  await ts.stop();
});

describe("GET /api/realtime", () => {
  test("PB_CONNECT in PocketBase's exact frame, with the SSE headers", async () => {
    const res = await fetch(ts.url + "/api/realtime");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/event-stream");
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("x-accel-buffering")).toBe("no");
    const reader = res.body!.getReader();
    const text = new TextDecoder().decode((await reader.read()).value);
    const m = /^id:([A-Za-z0-9]{40})\nevent:PB_CONNECT\ndata:\{"clientId":"([A-Za-z0-9]{40})"\}\n\n$/.exec(text);
    expect(m).not.toBeNull();
    expect(m![1]).toBe(m![2]!);
    expect(broker.clientById(m![1]!)).not.toBeNull();
    await reader.cancel();
    expect(await waitFor(() => broker.clientById(m![1]!) === null)).toBe(true);
  });

  test("a client that disconnects is cleaned up at once", async () => {
    const streams = await Promise.all(Array.from({ length: 20 }, () => openStream(ts.url)));
    for (const s of streams) expect((await post({ clientId: s.clientId, subscriptions: ["notes/*"] })).status).toBe(204);
    expect(broker.subscribersOf("notes/*").length).toBeGreaterThanOrEqual(20);
    for (const s of streams) s.abort();
    expect(await waitFor(() => streams.every((s) => broker.clientById(s.clientId) === null))).toBe(true);
    expect(broker.subscribersOf("notes/*")).toHaveLength(0);
    // a write after the disconnects must not fail
    await su.collection("notes").create({ title: "nobody listens" });
  });

  test("the idle timeout ends the stream; code after e.next() in onRealtimeConnectRequest runs on disconnect", async () => {
    let disconnected = "";
    const id = ts.app.onRealtimeConnectRequest().bindFunc(async (e) => {
      e.idleTimeout = 300;
      await e.next();
      disconnected = e.client.id();
    });
    try {
      const s = await openStream(ts.url);
      expect(await s.next(3000)).toBe("end");
      expect(await waitFor(() => disconnected === s.clientId)).toBe(true);
      expect(broker.clientById(s.clientId)).toBeNull();
    } finally {
      ts.app.onRealtimeConnectRequest().unbind(id);
    }
  });

  test("the lifetime timeout ends even a busy stream", async () => {
    const id = ts.app.onRealtimeConnectRequest().bindFunc(async (e) => {
      e.idleTimeout = 150;
      e.maxTimeout = 600;
      await e.next();
    });
    try {
      const s = await openStream(ts.url);
      expect((await post({ clientId: s.clientId, subscriptions: ["tick"] })).status).toBe(204);
      const ticker = setInterval(() => broker.broadcast("tick", "t"), 50);
      let frames = 0;
      let last: Awaited<ReturnType<RawStream["next"]>> = null;
      try {
        while ((last = await s.next(2000)) !== "end" && last !== null) frames++;
      } finally {
        clearInterval(ticker);
      }
      expect(last).toBe("end");
      // kept alive past the idle timeout by the messages, ended by the lifetime
      expect(frames).toBeGreaterThan(3);
    } finally {
      ts.app.onRealtimeConnectRequest().unbind(id);
    }
  });

  test("a connect hook that does not call e.next() refuses the connection", async () => {
    const id = ts.app.onRealtimeConnectRequest().bindFunc((e) => {
      e.json(403, { refused: true });
    });
    try {
      const before = broker.totalClients();
      const res = await fetch(ts.url + "/api/realtime");
      expect(res.status).toBe(403);
      expect(await res.json()).toEqual({ refused: true });
      expect(broker.totalClients()).toBe(before);
    } finally {
      ts.app.onRealtimeConnectRequest().unbind(id);
    }
  });

  // NB: Bun checks idle timeouts in ~4 s ticks: with idleTimeout 1 an unlifted stream dies after ~4 s
  test("Bun's idle timeout is lifted for SSE (a server with a 1 s idleTimeout keeps the stream 5 s)", async () => {
    const router = buildRouter(ts.app);
    const srv = Bun.serve({
      hostname: "127.0.0.1",
      port: 0,
      idleTimeout: 1,
      fetch: (req, s) => handleRequest(ts.app, router, { http: "127.0.0.1:0" }, req, s.requestIP(req)?.address ?? "", s),
    });
    try {
      const s = await openStream(`http://127.0.0.1:${srv.port}`);
      expect(await s.next(5000)).toBeNull(); // still open after 5 s of silence
      expect((await post({ clientId: s.clientId, subscriptions: ["notes/*"] })).status).toBe(204);
      await su.collection("notes").create({ title: "late" });
      const f = await s.next();
      expect(f && f !== "end" && JSON.parse(f.data).record.title).toBe("late");
      s.abort();
    } finally {
      broker.closeAll();
      await srv.stop(true);
    }
  }, 10_000);

  test("stopping the server ends open streams instead of waiting for them", async () => {
    const other = await startTestServer();
    const s = await openStream(other.url);
    await other.stop();
    expect(await s.next()).toBe("end");
  });
});

describe("POST /api/realtime", () => {
  test("validation errors in PocketBase's envelope", async () => {
    const missing = await post({ subscriptions: [] });
    expect(missing.status).toBe(400);
    expect(missing.json!.message).toBe("Something went wrong while processing your request.");
    expect(missing.json!.data).toEqual({ clientId: { code: "validation_required", message: "Cannot be blank." } });

    const longId = await post({ clientId: "x".repeat(256) });
    expect(longId.status).toBe(400);
    expect(longId.json!.data).toEqual({ clientId: { code: "validation_length_out_of_range", message: "The length must be between 1 and 255.", params: { max: 255, min: 1 } } });

    const s = await openStream(ts.url);
    const tooMany = await post({ clientId: s.clientId, subscriptions: Array.from({ length: 1001 }, (_, i) => `notes/${i}`) });
    expect(tooMany.status).toBe(400);
    expect(tooMany.json!.data).toEqual({ subscriptions: { code: "validation_length_too_long", message: "The length must be no more than 1000.", params: { max: 1000, min: 0 } } });

    const tooLong = await post({ clientId: s.clientId, subscriptions: ["notes/*", "n".repeat(2501)] });
    expect(tooLong.status).toBe(400);
    expect(tooLong.json!.data).toEqual({ subscriptions: { "1": { code: "validation_length_too_long", message: "The length must be no more than 2500.", params: { max: 2500, min: 0 } } } });

    expect((await post({ clientId: s.clientId, subscriptions: Array.from({ length: 1000 }, (_, i) => `notes/${i}`.padEnd(2500, "x")) })).status).toBe(204);
    s.abort();
  });

  test("a body of the wrong shape is a 400", async () => {
    for (const body of [{ clientId: 5 }, { clientId: "abc", subscriptions: "notes/*" }, { clientId: "abc", subscriptions: [1] }, "[1,2]"]) {
      const r = await post(body);
      expect(r.status).toBe(400);
      expect(r.json!.data).toEqual({});
    }
    expect((await post("{not json")).status).toBe(400);
  });

  test("an unknown client id is a 404", async () => {
    const r = await post({ clientId: "unknown-client", subscriptions: ["notes/*"] });
    expect(r.status).toBe(404);
    expect(r.json!.message).toBe("Missing or invalid client id.");
  });

  test("a subscribe request from another IP than the connection's is refused", async () => {
    const s = await openStream(ts.url);
    const router = buildRouter(ts.app);
    const req = new Request(ts.url + "/api/realtime", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ clientId: s.clientId, subscriptions: ["notes/*"] }),
    });
    const res = await handleRequest(ts.app, router, { http: "127.0.0.1:0" }, req, "10.1.2.3");
    expect(res.status).toBe(400);
    expect((await res.json()).message).toBe("Invalid realtime client.");
    s.abort();
  });

  test("auth binding: guest → user allowed, then another user or a guest is a 403", async () => {
    const s = await openStream(ts.url);
    expect((await post({ clientId: s.clientId, subscriptions: ["notes/*"] })).status).toBe(204);
    expect((await post({ clientId: s.clientId, subscriptions: ["notes/*"] }, userToken.a)).status).toBe(204);
    expect(broker.clientById(s.clientId)!.auth()!.email()).toBe("a@example.com");
    const other = await post({ clientId: s.clientId, subscriptions: [] }, userToken.b);
    expect(other.status).toBe(403);
    expect(other.json!.message).toBe("The current and the previous request authorization don't match.");
    expect((await post({ clientId: s.clientId, subscriptions: [] })).status).toBe(403);
    // nothing changed by the refused requests
    expect(broker.clientById(s.clientId)!.subscriptions()).toEqual(["notes/*"]);
    expect((await post({ clientId: s.clientId, subscriptions: ["notes"] }, `Bearer ${userToken.a}`)).status).toBe(204);
    s.abort();
  });

  test("malformed options and unknown collections are accepted silently, as PocketBase does", async () => {
    const s = await openStream(ts.url);
    const subs = ["notes/*?options=%7Bbroken", "missing_collection/*", "", "custom-topic"];
    expect((await post({ clientId: s.clientId, subscriptions: subs })).status).toBe(204);
    expect(broker.clientById(s.clientId)!.subscriptions().sort()).toEqual(["custom-topic", "missing_collection/*", "notes/*?options=%7Bbroken"]);
    const rec = await su.collection("notes").create({ title: "x" });
    const f = await s.next();
    expect(f && f !== "end" && f.event).toBe("notes/*?options=%7Bbroken");
    expect(f && f !== "end" && JSON.parse(f.data)).toEqual({ action: "create", record: expect.objectContaining({ id: rec.id }) });
    // PocketBase's key order: record first
    expect(f && f !== "end" && f.data.startsWith('{"record":{') && f.data.endsWith(',"action":"create"}')).toBe(true);
    expect(await s.next(200)).toBeNull();
    s.abort();
  });

  test("onRealtimeSubscribeRequest sees and may change the subscriptions", async () => {
    const id = ts.app.onRealtimeSubscribeRequest().bindFunc(async (e) => {
      e.subscriptions = e.subscriptions.filter((x) => !x.startsWith("secret"));
      await e.next();
    });
    try {
      const s = await openStream(ts.url);
      expect((await post({ clientId: s.clientId, subscriptions: ["notes/*", "secret/*"] })).status).toBe(204);
      expect(broker.clientById(s.clientId)!.subscriptions()).toEqual(["notes/*"]);
      s.abort();
    } finally {
      ts.app.onRealtimeSubscribeRequest().unbind(id);
    }
  });
});
