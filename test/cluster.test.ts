/**
 * `serve --workers=2`: one primary and two worker processes on one port and one pb_data, driven
 * over real HTTP (a new connection per request, so the kernel spreads them over the workers) and
 * with the official SDK.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import PocketBase from "pocketbase";
import { EventSource } from "eventsource";
import { FROM_SOURCE, cli, freePort, startServe, type ServeProcess } from "./helpers/cli-process.ts";
import { SUPERUSER, superuserClient } from "./helpers/test-server.ts";
import { eventually } from "./helpers/eventually.ts";

// NB: Bun 1.4 has no global EventSource; the SDK needs one
if (typeof (globalThis as { EventSource?: unknown }).EventSource === "undefined") {
  (globalThis as { EventSource?: unknown }).EventSource = EventSource;
}

// NB: busy_timeout = 0 in every process: if two workers ever wrote at the same time, a write
// would fail with SQLITE_BUSY at once (a 4xx/5xx in the tests below) instead of waiting, frozen,
// in SQLite's busy handler. The write turns must make that impossible.
const HOOKS = `
onBootstrap((e) => {
  e.next();
  $app.db().newQuery("PRAGMA busy_timeout = 0").execute();
});
routerAdd("GET", "/api/test/who", (e) => e.json(200, { pid: process.pid, cron: $app.cron().hasStarted(), value: $app.store().get("shared") ?? null }));
// changes a password, but only in a worker other than \`notSlot\` (to act on another worker than a client's)
routerAdd("POST", "/api/test/password", (e) => {
  const body = e.requestInfo().body;
  if (String(body.notSlot) === process.env.SATCHEL_WORKER_SLOT) return e.json(200, { changed: false });
  const record = $app.findRecordById("readers", body.id);
  record.setPassword(body.password);
  $app.save(record);
  return e.json(200, { changed: true });
});
routerAdd("POST", "/api/test/store", (e) => {
  $app.store().set("shared", e.requestInfo().body.value);
  return e.json(200, { pid: process.pid });
});
`;

let dir = "";
let server: ServeProcess;
let url = "";

/** A request on a connection of its own (so consecutive requests may reach different workers). */
function fresh(path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set("connection", "close");
  return fetch(url + path, { ...init, headers });
}

/** The pids of the primary's children. */
function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** The TCP ports a process listens on (its socket inodes matched against /proc/net/tcp). */
function listeningPorts(pid: number): number[] {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m) inodes.add(m[1]!);
    } catch {
      // closed meanwhile
    }
  }
  const ports: number[] = [];
  for (const line of readFileSync("/proc/net/tcp", "utf8").split("\n").slice(1)) {
    const cols = line.trim().split(/\s+/);
    // cols: sl local_address rem_address st ... inode (index 9); st 0A = LISTEN
    if (cols[3] === "0A" && inodes.has(cols[9]!)) ports.push(parseInt(cols[1]!.split(":")[1]!, 16));
  }
  return ports;
}

async function whoAnswers(n: number): Promise<Set<number>> {
  const pids = new Set<number>();
  for (let i = 0; i < n; i++) {
    const res = await fresh("/api/test/who");
    pids.add(((await res.json()) as { pid: number }).pid);
  }
  return pids;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "satchel-cluster-"));
  const dataDir = join(dir, "pb_data");
  mkdirSync(join(dir, "pb_hooks"));
  writeFileSync(join(dir, "pb_hooks", "test.pb.js"), HOOKS);
  const created = await cli(["superuser", "upsert", SUPERUSER.email, SUPERUSER.password, "--dir", dataDir]);
  expect(created.code).toBe(0);
  server = await startServe([...FROM_SOURCE, "serve", "--dir", dataDir, "--hooksDir", join(dir, "pb_hooks"), "--http", `127.0.0.1:${freePort()}`, "--workers=2"], { timeoutMs: 30_000 });
  url = server.url;
  const pb = await superuserClient(url);
  await pb.collections.create({ name: "posts", type: "base", listRule: "", viewRule: "", createRule: "", fields: [{ name: "title", type: "text" }] });
});

afterAll(async () => {
  if (server) await server.stop("SIGINT");
  rmSync(dir, { recursive: true, force: true });
});

describe("serve --workers=2", () => {
  test("two worker processes answer on one port; the primary serves no requests", async () => {
    const workers = childPids(server.proc.pid);
    expect(workers.length).toBe(2);
    const pids = await whoAnswers(40);
    expect([...pids].sort()).toEqual([...workers].sort());
    expect(pids.has(server.proc.pid)).toBe(false);
  });

  test("cron jobs are scheduled in the primary only, not in the workers", async () => {
    for (let i = 0; i < 10; i++) {
      const res = await fresh("/api/test/who");
      expect(((await res.json()) as { cron: boolean }).cron).toBe(false);
    }
  });

  test("concurrent creates on both workers all land, with batches among them", async () => {
    const creates = Array.from({ length: 200 }, (_, i) =>
      fresh("/api/collections/posts/records", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ title: `p${i}` }) }),
    );
    const batches = Array.from({ length: 10 }, (_, i) =>
      fresh("/api/batch", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ requests: [{ method: "POST", url: "/api/collections/posts/records", body: { title: `b${i}a` } }, { method: "POST", url: "/api/collections/posts/records", body: { title: `b${i}b` } }] }),
      }),
    );
    const statuses = await Promise.all([...creates, ...batches].map(async (p) => (await p).status));
    const pb = await superuserClient(url);
    const batchEnabled = (await pb.settings.getAll()).batch?.enabled;
    expect(statuses.slice(0, 200).every((s) => s === 200)).toBe(true);
    // the batch API is off by default: then each batch is refused cleanly, else it lands whole
    for (const s of statuses.slice(200)) expect(s).toBe(batchEnabled ? 200 : 403);
    const list = await pb.collection("posts").getList(1, 1);
    expect(list.totalItems).toBe(200 + (batchEnabled ? 20 : 0));
  });

  test("batches and creates together, with the batch API on", async () => {
    const pb = await superuserClient(url);
    await pb.settings.update({ batch: { enabled: true, maxRequests: 50, timeout: 3, maxBodySize: 0 } });
    const before = (await pb.collection("posts").getList(1, 1)).totalItems;
    const batch = (i: number) =>
      fresh("/api/batch", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ requests: [{ method: "POST", url: "/api/collections/posts/records", body: { title: `b${i}a` } }, { method: "POST", url: "/api/collections/posts/records", body: { title: `b${i}b` } }] }),
      });
    const all = [...Array.from({ length: 20 }, (_, i) => batch(i)), ...Array.from({ length: 100 }, (_, i) => fresh("/api/collections/posts/records", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ title: `c${i}` }) }))];
    const statuses = await Promise.all(all.map(async (p) => (await p).status));
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    expect((await pb.collection("posts").getList(1, 1)).totalItems).toBe(before + 140);
  });

  test("a rule change answered by one worker is in force in every worker for the next request", async () => {
    const pb = await superuserClient(url);
    for (const [rule, expected] of [[null, 403], ["", 200], ["title = 'nothing'", 200]] as const) {
      await pb.collections.update("posts", { listRule: rule });
      const statuses = await Promise.all(Array.from({ length: 40 }, async () => (await fresh("/api/collections/posts/records?perPage=1")).status));
      expect(new Set(statuses)).toEqual(new Set([expected]));
    }
    const filtered = (await (await fresh("/api/collections/posts/records?perPage=1")).json()) as { totalItems: number };
    expect(filtered.totalItems).toBe(0);
    await pb.collections.update("posts", { listRule: "" });
  });

  test("realtime: events from writes on any worker reach a client on either worker", async () => {
    const pb = new PocketBase(url);
    const seen: string[] = [];
    const unsubscribe = await pb.collection("posts").subscribe("*", (e) => seen.push(e.record.title as string));
    const titles = Array.from({ length: 20 }, (_, i) => `rt${i}`);
    for (const title of titles) {
      const res = await fresh("/api/collections/posts/records", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ title }) });
      expect(res.status).toBe(200);
    }
    await eventually(() => seen.length >= titles.length, "20 realtime events");
    expect(seen.sort()).toEqual([...titles].sort());
    await unsubscribe();
  });

  test("realtime: a subscription request reaching the other worker is forwarded to the client's worker", async () => {
    const ctrl = new AbortController();
    const res = await fetch(url + "/api/realtime", { signal: ctrl.signal });
    const reader = res.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    const clientId = /"clientId":"([^"]+)"/.exec(first)![1]!;
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      const r = await fresh("/api/realtime", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ clientId, subscriptions: [`posts?i=${i}`] }) });
      statuses.push(r.status);
    }
    expect(new Set(statuses)).toEqual(new Set([204]));
    // an unknown client is still a 404 on every worker; peer headers from outside are ignored
    // (honoured, the forged IP would not match the client's and the answer would be a 400)
    const unknown = await fresh("/api/realtime", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ clientId: "x".repeat(38) + "01", subscriptions: [] }) });
    expect(unknown.status).toBe(404);
    const forged = await fresh("/api/realtime", { method: "POST", headers: { "content-type": "application/json", "x-satchel-peer-secret": "guess", "x-satchel-peer-remote-ip": "10.0.0.1" }, body: JSON.stringify({ clientId, subscriptions: [] }) });
    expect(forged.status).toBe(204);
    ctrl.abort();
  });

  test("the OAuth2 redirect reaching the other worker is forwarded to the waiting client", async () => {
    const ctrl = new AbortController();
    const res = await fetch(url + "/api/realtime", { signal: ctrl.signal });
    const reader = res.body!.getReader();
    let text = "";
    void (async () => {
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          text += new TextDecoder().decode(value);
        }
      } catch {
        // aborted
      }
    })();
    await eventually(() => text.includes("clientId"), "PB_CONNECT");
    const clientId = /"clientId":"([^"]+)"/.exec(text)![1]!;
    for (let i = 0; i < 8; i++) {
      const sub = await fresh("/api/realtime", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ clientId, subscriptions: ["@oauth2"] }) });
      expect(sub.status).toBe(204);
      const redirect = await fresh(`/api/oauth2-redirect?state=${clientId}&code=code${i}`, { redirect: "manual" });
      expect(redirect.status).toBe(307);
      expect(redirect.headers.get("location")).toContain("oauth2-redirect-success");
      await eventually(() => text.includes(`"code":"code${i}"`), `the @oauth2 message ${i}`);
    }
    ctrl.abort();
  });

  test("an auth record changed in one worker updates realtime clients in the others", async () => {
    const pb = await superuserClient(url);
    await pb.collections.create({ name: "readers", type: "auth", fields: [] });
    await pb.collections.create({ name: "notes", type: "base", listRule: "@request.auth.collectionName = 'readers'", viewRule: "@request.auth.collectionName = 'readers'", createRule: "", fields: [{ name: "title", type: "text" }] });
    const reader = await pb.collection("readers").create({ email: "r@example.com", password: "1234567890", passwordConfirm: "1234567890" });
    const client = new PocketBase(url);
    await client.collection("readers").authWithPassword("r@example.com", "1234567890");
    const seen: string[] = [];
    const unsubscribe = await client.collection("notes").subscribe("*", (e) => seen.push(e.record.title as string));
    const create = async (title: string) => expect((await fresh("/api/collections/notes/records", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ title }) })).status).toBe(200);
    await create("before");
    await eventually(() => seen.includes("before"), "the event before the password change");
    // a new password rotates the record's tokenKey: the client's realtime auth ends, even when the
    // change is made in a worker other than the one holding the client's stream
    const ownerSlot = Number(client.realtime.clientId.slice(-2));
    let changed = false;
    for (let i = 0; i < 50 && !changed; i++) {
      const r = await fresh("/api/test/password", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ id: reader.id, password: "abcdefgh10", notSlot: ownerSlot }) });
      changed = ((await r.json()) as { changed: boolean }).changed;
    }
    expect(changed).toBe(true);
    for (let i = 0; i < 6; i++) await create(`after${i}`);
    await Bun.sleep(200);
    expect(seen).toEqual(["before"]);
    await unsubscribe().catch(() => undefined);
  });

  test("a worker's private listener refuses requests without the workers' secret", async () => {
    const publicPort = Number(new URL(url).port);
    const ports = childPids(server.proc.pid).flatMap((pid) => listeningPorts(pid)).filter((p) => p !== publicPort);
    expect(ports.length).toBe(2);
    for (const port of ports) {
      const none = await fetch(`http://127.0.0.1:${port}/api/health`);
      expect(none.status).toBe(403);
      expect(((await none.json()) as { status: number }).status).toBe(403);
      const wrong = await fetch(`http://127.0.0.1:${port}/api/health`, { headers: { "x-satchel-peer-secret": "x".repeat(40), "x-satchel-peer-remote-ip": "10.0.0.1" } });
      expect(wrong.status).toBe(403);
    }
  });

  test("$app.store() values set in one worker are seen by the others", async () => {
    const set = await fresh("/api/test/store", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ value: "hello" }) });
    expect(set.status).toBe(200);
    await Bun.sleep(50);
    const values = await Promise.all(Array.from({ length: 20 }, async () => ((await (await fresh("/api/test/who")).json()) as { value: unknown }).value));
    expect(new Set(values)).toEqual(new Set(["hello"]));
  });

  test("rate limits count the requests of every worker together", async () => {
    const pb = await superuserClient(url);
    await pb.settings.update({ rateLimits: { enabled: true, rules: [{ label: "/api/test/who", audience: "", duration: 60, maxRequests: 10 }] } });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 30; i++) statuses.push((await fresh("/api/test/who")).status);
      expect(statuses.filter((s) => s === 200).length).toBe(10);
      expect(statuses.filter((s) => s === 429).length).toBe(20);
    } finally {
      await pb.settings.update({ rateLimits: { enabled: false, rules: [] } });
    }
  });

  test("OTP attempts are counted across workers", async () => {
    const pb = await superuserClient(url);
    await pb.collections.create({ name: "members", type: "auth", otp: { enabled: true, duration: 180, length: 6 }, fields: [] });
    await pb.collection("members").create({ email: "m@example.com", password: "1234567890", passwordConfirm: "1234567890" });
    const { otpId } = await new PocketBase(url).collection("members").requestOTP("m@example.com");
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      const r = await fresh("/api/collections/members/auth-with-otp", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ otpId, password: "000000" }) });
      statuses.push(r.status);
    }
    expect(statuses).toEqual([400, 400, 400, 400, 400, 429, 429, 429]);
  });

  test("a worker that dies is restarted, and the others keep answering meanwhile", async () => {
    const [victim, survivor] = childPids(server.proc.pid);
    process.kill(victim!, "SIGKILL");
    // NB: connections already queued on the dead worker's socket are reset by the kernel; once
    // its socket is gone, new connections go to the survivor
    await eventually(() => !childPids(server.proc.pid).includes(victim!), "the worker's exit");
    for (let i = 0; i < 10; i++) expect((await fresh("/api/health")).status).toBe(200);
    await eventually(() => childPids(server.proc.pid).length === 2 && !childPids(server.proc.pid).includes(victim!), "a new worker");
    const now = childPids(server.proc.pid);
    expect(now).toContain(survivor!);
    for (let i = 0; i < 200; i++) {
      const pids = await whoAnswers(10);
      if (pids.size === 2) break;
      await Bun.sleep(20);
    }
    expect(await whoAnswers(30)).toEqual(new Set(now));
    expect(server.stderr()).toContain("restarting it");
  });

  test("SIGINT stops the primary and every worker", async () => {
    const workers = childPids(server.proc.pid);
    const code = await server.stop("SIGINT");
    server = undefined as unknown as ServeProcess;
    expect(code).toBe(0);
    for (const pid of workers) expect(() => process.kill(pid, 0)).toThrow();
  });
});

describe("serve --workers: bad input", () => {
  test("a port held by another program stops the start with a clear message", async () => {
    const other = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response("other") });
    const dataDir = mkdtempSync(join(tmpdir(), "satchel-cluster-busy-"));
    try {
      const r = await cli(["serve", "--dir", dataDir, "--http", `127.0.0.1:${other.port}`, "--workers=2"]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain("failed to start");
      expect(await (await fetch(`http://127.0.0.1:${other.port}/`)).text()).toBe("other");
    } finally {
      other.stop(true);
      rmSync(dataDir, { recursive: true, force: true });
    }
  });


  test("a bad --workers value or a random port is refused with a clear message", async () => {
    for (const args of [["--workers=0"], ["--workers=abc"], ["--workers=65"], ["--workers=2", "--http", "127.0.0.1:0"]]) {
      const r = await cli(["serve", "--dir", join(tmpdir(), "satchel-never"), ...args]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/workers|port/);
    }
  });
});
