/**
 * Realtime fan-out load check (not part of `npm test`):
 *
 *   ./node_modules/.bin/bun bench/realtime-fanout.ts [--clients 5000] [--rounds 5] [--rule ""]
 *
 * A Satchel server runs in a child process with a `posts` collection. This process opens N raw
 * TCP connections to `GET /api/realtime`, reads each PB_CONNECT, subscribes every client to
 * `posts/*` with `POST /api/realtime`, then creates one record per round (as a superuser) and
 * timestamps the arrival of the event on every socket. It reports the time from sending the
 * create to the last delivery, and the server's RSS per connection (RSS after a forced GC,
 * before and after connecting). `--rule` sets the collection's listRule (default `""`; e.g.
 * `published = true` makes every delivery need a rule check, still one per group).
 *
 * The same client then runs against a bare Bun.serve + bun:sqlite SSE broadcaster (the floor:
 * one INSERT, one shared payload, a per-client `id:` line, no rules or hooks); `--only satchel`
 * or `--only bare` runs one of them.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Socket } from "bun";
import { Database } from "bun:sqlite";
import { readRssKb } from "./proc-stats.ts";

const SUPERUSER = { email: "bench@example.com", password: "1234567890" };

if (process.argv.includes("--server")) await runServer();
else if (process.argv.includes("--bare-server")) runBareServer();
else {
  const only = arg("--only", "");
  if (only !== "bare") await runBench("satchel");
  if (only !== "satchel") await runBench("bare");
}

/** The floor: a bare SSE broadcaster with the same wire format and endpoints the client uses. */
function runBareServer(): void {
  const db = new Database(":memory:");
  db.run("CREATE TABLE posts (id TEXT PRIMARY KEY, title TEXT, published INTEGER)");
  const insert = db.query("INSERT INTO posts (id, title, published) VALUES (?, ?, ?)");
  const enc = new TextEncoder();
  const clients = new Map<string, { ctrl: ReadableStreamDefaultController<Uint8Array>; prefix: Uint8Array }>();
  const srv = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    async fetch(req, server) {
      const path = new URL(req.url).pathname;
      if (req.method === "GET" && path === "/api/realtime") {
        server.timeout(req, 0);
        const id = crypto.randomUUID().replace(/-/g, "").padEnd(40, "x").slice(0, 40);
        const stream = new ReadableStream<Uint8Array>({
          start(ctrl) {
            clients.set(id, { ctrl, prefix: enc.encode(`id:${id}\nevent:posts/*\ndata:`) });
            ctrl.enqueue(enc.encode(`id:${id}\nevent:PB_CONNECT\ndata:{"clientId":"${id}"}\n\n`));
          },
          cancel() {
            clients.delete(id);
          },
        });
        req.signal.addEventListener("abort", () => clients.delete(id));
        return new Response(stream, { headers: { "content-type": "text/event-stream", "cache-control": "no-store" } });
      }
      if (path === "/api/realtime") return new Response(null, { status: 204 });
      if (path.endsWith("/auth-with-password")) return Response.json({ token: "bare" });
      const body = (await req.json()) as { title: string; published: boolean };
      const rec = { id: crypto.randomUUID().slice(0, 15), title: body.title, published: body.published };
      insert.run(rec.id, rec.title, rec.published ? 1 : 0);
      const payload = enc.encode(JSON.stringify({ action: "create", record: { collectionName: "posts", ...rec } }) + "\n\n");
      for (const c of clients.values()) {
        const frame = new Uint8Array(c.prefix.length + payload.length);
        frame.set(c.prefix);
        frame.set(payload, c.prefix.length);
        c.ctrl.enqueue(frame);
      }
      return Response.json(rec);
    },
  });
  process.on("message", (msg: { cmd: string }) => {
    if (msg.cmd === "rss") {
      Bun.gc(true);
      process.send!({ rss: process.memoryUsage().rss });
    }
    if (msg.cmd === "stop") {
      for (const c of clients.values()) c.ctrl.close();
      void srv.stop(true).then(() => process.exit(0));
    }
  });
  process.send!({ url: `http://127.0.0.1:${srv.port}` });
}

/** The child: a real server on a fresh pb_data, answering `gc` requests over IPC with its RSS. */
async function runServer(): Promise<void> {
  const { App } = await import("../src/core/app.ts");
  const { Record } = await import("../src/core/records/record.ts");
  const { Collection } = await import("../src/core/collections/collection.ts");
  const { startServer } = await import("../src/http/server.ts");
  const dataDir = process.argv[process.argv.indexOf("--server") + 1]!;
  const rule = process.env.BENCH_RULE ?? "";
  const app = new App({ dataDir });
  app.bootstrap();
  const su = new Record(app.findCollectionByNameOrId("_superusers"));
  su.setEmail(SUPERUSER.email);
  su.setPassword(SUPERUSER.password);
  app.save(su);
  app.save(
    new Collection({
      name: "posts",
      listRule: rule,
      viewRule: rule,
      fields: [
        { id: "", name: "title", type: "text", system: false, hidden: false, presentable: false },
        { id: "", name: "published", type: "bool", system: false, hidden: false, presentable: false },
      ],
    }),
  );
  const running = startServer(app, { http: "127.0.0.1:0" });
  process.on("message", (msg: { cmd: string }) => {
    if (msg.cmd === "rss") {
      Bun.gc(true);
      process.send!({ rss: process.memoryUsage().rss });
    }
    if (msg.cmd === "stop") {
      void running.stop().then(() => {
        app.terminate();
        process.exit(0);
      });
    }
  });
  process.send!({ url: running.url });
}

interface Conn {
  socket: Socket<undefined> | null;
  clientId: string;
  buf: string;
  connected: (id: string) => void;
  arrivals: number[];
}

function arg(name: string, def: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1]! : def;
}

async function runBench(kind: "satchel" | "bare"): Promise<void> {
  const n = Number(arg("--clients", "5000"));
  const rounds = Number(arg("--rounds", "5"));
  const rule = arg("--rule", "");
  const dataDir = mkdtempSync(join(tmpdir(), "satchel-rt-bench-"));
  let onMsg: (m: { url?: string; rss?: number }) => void = () => {};
  const child = Bun.spawn([process.execPath, import.meta.path, kind === "bare" ? "--bare-server" : "--server", dataDir], {
    env: { ...process.env, BENCH_RULE: rule },
    stdout: "inherit",
    stderr: "inherit",
    ipc: (m: { url?: string; rss?: number }) => onMsg(m),
  });
  const nextMsg = () => new Promise<{ url?: string; rss?: number }>((r) => (onMsg = r));
  const { url } = await nextMsg();
  const rss = async () => {
    const p = nextMsg();
    child.send({ cmd: "rss" });
    return (await p).rss!;
  };
  try {
    const { hostname, port } = new URL(url!);
    const rss0 = await rss();
    const t0 = performance.now();
    const conns = await openAll(hostname, Number(port), n);
    const connectMs = performance.now() - t0;

    const t1 = performance.now();
    await forEachLimited(conns, 64, async (c) => {
      const res = await fetch(`${url}/api/realtime`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ clientId: c.clientId, subscriptions: ["posts/*"] }) });
      if (res.status !== 204) throw new Error(`subscribe failed: ${res.status} ${await res.text()}`);
    });
    const subscribeMs = performance.now() - t1;
    const rss1 = await rss();

    const auth = await (await fetch(`${url}/api/collections/_superusers/auth-with-password`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ identity: SUPERUSER.email, password: SUPERUSER.password }) })).json();
    const results: { lastMs: number; p50Ms: number; writeMs: number }[] = [];
    for (let r = 0; r < rounds; r++) {
      for (const c of conns) c.arrivals.length = 0;
      const start = performance.now();
      const res = await fetch(`${url}/api/collections/posts/records`, { method: "POST", headers: { "content-type": "application/json", authorization: auth.token }, body: JSON.stringify({ title: `round ${r}`, published: true }) });
      const writeMs = performance.now() - start;
      if (res.status !== 200) throw new Error(`create failed: ${res.status}`);
      const deadline = Date.now() + 10_000;
      while (conns.some((c) => c.arrivals.length === 0) && Date.now() < deadline) await Bun.sleep(1);
      const times = conns.map((c) => (c.arrivals[0] ?? Number.NaN) - start).sort((a, b) => a - b);
      const missing = times.filter(Number.isNaN).length;
      if (missing) throw new Error(`${missing} clients got no event in round ${r}`);
      results.push({ lastMs: times[times.length - 1]!, p50Ms: times[Math.floor(times.length / 2)]!, writeMs });
      await Bun.sleep(200);
    }

    const serverRssKb = readRssKb(child.pid);
    const fmt = (x: number) => x.toFixed(1);
    const what = kind === "bare" ? "bare Bun.serve broadcaster (floor)" : `Satchel, posts listRule ${JSON.stringify(rule)}`;
    console.log(`\nrealtime fan-out: ${n} idle SSE clients on one server process — ${what}, Bun ${Bun.version}`);
    console.log(`connect all: ${fmt(connectMs)} ms; subscribe all (POST /api/realtime, 64 in flight): ${fmt(subscribeMs)} ms`);
    console.log(`server RSS after GC: ${fmt(rss0 / 1048576)} MB idle → ${fmt(rss1 / 1048576)} MB with ${n} subscribed clients = ${fmt((rss1 - rss0) / n / 1024)} KB per client (VmRSS now ${fmt(serverRssKb / 1024)} MB)`);
    for (const [i, r] of results.entries()) {
      console.log(`round ${i + 1}: create answered in ${fmt(r.writeMs)} ms; event at every client after ${fmt(r.lastMs)} ms (p50 ${fmt(r.p50Ms)} ms)`);
    }
    for (const c of conns) c.socket?.end();
  } finally {
    child.send({ cmd: "stop" });
    await Promise.race([child.exited, Bun.sleep(5000)]);
    child.kill();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Opens `n` raw SSE connections (in batches) and waits for each PB_CONNECT. */
async function openAll(host: string, port: number, n: number): Promise<Conn[]> {
  const conns: Conn[] = [];
  const batch = 250;
  for (let i = 0; i < n; i += batch) {
    const part = await Promise.all(Array.from({ length: Math.min(batch, n - i) }, () => openOne(host, port)));
    conns.push(...part);
  }
  return conns;
}

function openOne(host: string, port: number): Promise<Conn> {
  return new Promise((resolve, reject) => {
    const conn: Conn = { socket: null, clientId: "", buf: "", connected: () => {}, arrivals: [] };
    conn.connected = () => resolve(conn);
    Bun.connect({
      hostname: host,
      port,
      socket: {
        open(s) {
          conn.socket = s;
          s.write(`GET /api/realtime HTTP/1.1\r\nHost: ${host}:${port}\r\nAccept: text/event-stream\r\n\r\n`);
        },
        data(_s, chunk) {
          const now = performance.now();
          const text = chunk.toString();
          if (!conn.clientId) {
            conn.buf += text;
            const m = /id:([A-Za-z0-9]{40})\nevent:PB_CONNECT/.exec(conn.buf);
            if (m) {
              conn.clientId = m[1]!;
              conn.buf = "";
              conn.connected(conn.clientId);
            }
            return;
          }
          if (text.includes("event:posts/*")) conn.arrivals.push(now);
        },
        error(_s, err) {
          reject(err);
        },
      },
    }).catch(reject);
  });
}

async function forEachLimited<T>(items: T[], limit: number, fn: (x: T) => Promise<void>): Promise<void> {
  let i = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (i < items.length) await fn(items[i++]!);
    }),
  );
}
