/**
 * In-process micro-benchmark of the hot request paths: `handleRequest` called directly (no TCP,
 * no client), sequentially, on a seeded posts10k data set. Much less noisy than the HTTP suite on
 * a shared machine, so it is the before/after yardstick for framework changes; profile it with
 * `bun --cpu-prof-md --cpu-prof-dir=DIR bench/inproc.ts --only=view`.
 *
 *   bun bench/inproc.ts [--n=2000] [--rounds=5] [--only=view,list,count,pages,create,refresh] [--root=DIR]
 *
 * `--root` loads `src/` from another checkout (e.g. a snapshot from before a change), so a
 * before/after pair can be run alternately in the same time window on a noisy machine.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { seedDataSet } from "./seed.ts";
import { LOREM, PASSWORD } from "./schema.ts";

function flag(name: string): string | undefined {
  const hit = process.argv.find((a) => a.startsWith(`--${name}=`));
  return hit?.slice(name.length + 3);
}

const n = Number(flag("n") ?? 2000);
const only = (flag("only") ?? "").split(",").filter(Boolean);
const root = resolve(flag("root") ?? join(import.meta.dir, ".."));
const { App } = (await import(join(root, "src/core/app.ts"))) as typeof import("../src/core/app.ts");
const { buildRouter, handleRequest } = (await import(join(root, "src/http/server.ts"))) as typeof import("../src/http/server.ts");
const dir = mkdtempSync(join(tmpdir(), "satchel-inproc-"));
seedDataSet(dir, { organizations: 100, permissions: 50, users: 500, posts: [{ name: "posts10k", size: 10_000 }] });
const app = new App({ dataDir: dir });
app.bootstrap();
const router = buildRouter(app);
const opts = { http: "127.0.0.1:0" };
const base = "http://127.0.0.1:8090";
const call = (method: string, path: string, headers: { [k: string]: string } = {}, body?: string): Promise<Response> =>
  handleRequest(app, router, opts, new Request(base + path, { method, headers, body }), "127.0.0.1");

const login = await call("POST", "/api/collections/users/auth-with-password", { "content-type": "application/json" }, JSON.stringify({ identity: "users0@example.com", password: PASSWORD }));
const { token, record } = (await login.json()) as { token: string; record: { id: string } };
const auth = { authorization: token };
const users = app.findAllRecords("users").map((u) => u.id);

const cases: { [k: string]: (i: number) => Promise<Response> } = {
  view: () => call("GET", `/api/collections/users/records/${record.id}`, auth),
  list: () => call("GET", "/api/collections/posts10k/records?perPage=20&skipTotal=1", auth),
  count: () => call("GET", "/api/collections/posts10k/records?perPage=20", auth),
  // a client paging through a list: 30 distinct SQL texts (LIMIT/OFFSET are inlined)
  pages: (i) => call("GET", `/api/collections/posts10k/records?perPage=20&skipTotal=1&page=${(i % 30) + 1}`, auth),
  create: (i) =>
    call("POST", "/api/collections/posts10k/records", { "content-type": "application/json" }, JSON.stringify({ title: `x${i}`, description: LOREM, public: i % 2 === 0, type: ["a", "c"], author: users[i % users.length] })),
  refresh: () => call("POST", "/api/collections/users/auth-refresh", auth),
};

const rounds = Number(flag("rounds") ?? 5);
console.log(`in-process handleRequest (${root}): ${rounds} rounds of ${n} sequential calls; median per call, wall and process CPU time (Bun ${Bun.version})`);
for (const [name, fn] of Object.entries(cases)) {
  if (only.length && !only.includes(name)) continue;
  for (let i = 0; i < 1000; i++) await (await fn(i)).text(); // warm-up
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    for (let i = 0; i < n; i++) {
      const res = await fn(r * n + i);
      await res.text();
      if (res.status !== 200) throw new Error(`${name}: ${res.status}`);
    }
    wall.push(((performance.now() - t0) * 1000) / n);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / n);
  }
  const med = (xs: number[]): number => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const w = med(wall);
  const c = med(cpu);
  // NB: under interference from other processes the minimum is the better estimate of the intrinsic cost
  console.log(`  ${name.padEnd(8)} ${w.toFixed(1).padStart(7)} µs/op wall  ${c.toFixed(1).padStart(7)} µs/op cpu  min ${wall[0]!.toFixed(1)} wall ${cpu[0]!.toFixed(1)} cpu  ${(1e6 / w).toFixed(0).padStart(6)} ops/s`);
}
app.terminate();
rmSync(dir, { recursive: true, force: true });
