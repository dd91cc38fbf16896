/**
 * Probes what multi-process serving breaks: with the bench-only prototype (bench/workers-proto.ts:
 * N uncoordinated processes on one port with reusePort), or with `--serve`, the real
 * `serve --workers=N`, to check that it holds:
 *
 * 1. per-process caches: a collection's listRule is locked through one request; how many later
 *    list requests (each on a new connection) are still answered with the old rule;
 * 2. realtime: a client's SSE stream lives in one process; how many of its subscription POSTs
 *    (new connections) find it, and how many record events reach it;
 * 3. writes: the same concurrent creates against 1 and N processes: errors and p99.
 *
 *   bun bench/workers-probe.ts [--workers=2] [--serve]
 */
import { mkdtempSync, rmSync, cpSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { seedDataSet } from "./seed.ts";
import { startClient, startSatchel, startWorkersPrototype, type ServerProcess } from "./processes.ts";
import { SuiteApi } from "./suite-api.ts";
import { LOREM } from "./schema.ts";

const workers = Number(process.argv.find((a) => a.startsWith("--workers="))?.slice(10) ?? 2);
const real = process.argv.includes("--serve");
/** The server under probe: `serve --workers=n`, or the prototype with n processes. */
const startServer = (dir: string, n: number): Promise<ServerProcess> => (real ? startSatchel(dir, { workers: n }) : startWorkersPrototype(dir, n));
const tmp = mkdtempSync(join(tmpdir(), "satchel-probe-"));
const seedDir = join(tmp, "seed");
seedDataSet(seedDir, { organizations: 5, permissions: 5, users: 20, posts: [{ name: "posts10k", size: 200 }] });

async function fresh(method: string, url: string, token: string, body?: unknown): Promise<number> {
  const headers: { [k: string]: string } = { "content-type": "application/json", authorization: token };
  const res = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), keepalive: false });
  await res.text();
  return res.status;
}

async function staleCacheProbe(server: ServerProcess): Promise<string> {
  const api = new SuiteApi(server.url);
  await api.login();
  await api.patchCollection("posts10k", { listRule: null });
  const statuses: number[] = [];
  for (let i = 0; i < 100; i++) statuses.push(await fresh("GET", `${server.url}/api/collections/posts10k/records?perPage=1`, api.userToken));
  await api.patchCollection("posts10k", { listRule: "" });
  const stale = statuses.filter((s) => s === 200).length;
  return `listRule locked through one request, then 100 list requests on new connections: ${stale} answered 200 with the old rule, ${statuses.filter((s) => s === 403).length} refused (403)`;
}

async function realtimeProbe(server: ServerProcess): Promise<string> {
  const api = new SuiteApi(server.url);
  await api.login();
  const sse = await fetch(`${server.url}/api/realtime`, { headers: { accept: "text/event-stream" } });
  const reader = sse.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  let clientId = "";
  while (!clientId) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value);
    clientId = /"clientId":"([^"]+)"/.exec(buffer)?.[1] ?? "";
  }
  let found = 0;
  for (let i = 0; i < 20; i++) {
    if ((await fresh("POST", `${server.url}/api/realtime`, api.userToken, { clientId, subscriptions: ["posts10k"] })) === 204) found++;
  }
  let events = 0;
  const counting = (async () => {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      events += (decoder.decode(value).match(/event:\s*posts10k/g) ?? []).length;
    }
  })();
  for (let i = 0; i < 20; i++) await fresh("POST", `${server.url}/api/collections/posts10k/records`, api.userToken, { title: `rt${i}` });
  await Bun.sleep(1000);
  await reader.cancel();
  await counting.catch(() => undefined);
  return `SSE client in one process: ${found}/20 subscription requests on new connections found it (the rest 404); ${events}/20 record creates reached it as events`;
}

async function writeProbe(n: number): Promise<string> {
  const dir = join(tmp, `w${n}`);
  cpSync(seedDir, dir, { recursive: true });
  const server = await startServer(dir, n);
  const client = await startClient();
  try {
    const users = await new SuiteApi(server.url).randomIds("users", 1).catch(() => []);
    const requests = Array.from({ length: 2000 }, (_, i) => ({
      method: "POST",
      url: `${server.url}/api/collections/posts10k/records`,
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ title: `w${i}`, description: LOREM, public: true, type: ["a"], author: users[0] ?? "" }),
    }));
    const r = await client.run({ name: "creates", iterations: 2000, concurrency: 500, keepAlive: false, requests });
    return `${n} process(es): 2000 creates @ 500 → ${r.reqPerSec.toFixed(0)} req/s, p50 ${r.p50Ms.toFixed(0)} ms, p99 ${r.p99Ms.toFixed(0)} ms, worst ${r.worstMs.toFixed(0)} ms, errors ${r.errors}${r.firstError ? ` (${r.firstError.slice(0, 100)})` : ""}`;
  } finally {
    await client.stop();
    await server.stop();
  }
}

try {
  const dir = join(tmp, "probe");
  cpSync(seedDir, dir, { recursive: true });
  const server = await startServer(dir, workers);
  try {
    console.log(real ? `serve --workers=${workers}:` : `workers prototype × ${workers}:`);
    console.log(`- caches: ${await staleCacheProbe(server)}`);
    console.log(`- realtime: ${await realtimeProbe(server)}`);
  } finally {
    await server.stop();
  }
  console.log(`- writes: ${await writeProbe(1)}`);
  console.log(`- writes: ${await writeProbe(workers)}`);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
