/**
 * Bench-only prototype of `serve --workers=N`, to measure what the feature gains and where naive
 * sharing breaks (bench/workers-probe.ts). A primary process starts N worker processes of this
 * script and restarts one that crashes; each worker has its own App (own SQLite connection, own
 * collection cache, its own copy of the pb_data's `pb_hooks`) on the same pb_data, all listening
 * on one port with `reusePort` (Linux SO_REUSEPORT spreads the connections). Nothing is
 * coordinated between the workers: no single writer, no cache invalidation, no realtime bus —
 * exactly the gaps the measurements are meant to show. The harness treats it like
 * `serve --workers=N`: one process tree, ready when N processes listen.
 *
 *   bun bench/workers-proto.ts --workers=N <pb_data dir> <port>   (the primary)
 *   bun bench/workers-proto.ts --worker <pb_data dir> <port>      (one worker; the primary starts them)
 */
import { join } from "node:path";
import type { Subprocess } from "bun";
import { hooksDirOf } from "./hook-files.ts";

const args = process.argv.slice(2);
const [dataDir, portArg] = args.filter((a) => !a.startsWith("--"));
const workersArg = args.find((a) => a.startsWith("--workers="));
if (!dataDir || !portArg || (!workersArg && !args.includes("--worker"))) {
  console.error("usage: bun bench/workers-proto.ts --workers=N <pb_data dir> <port>");
  process.exit(2);
}

if (workersArg) await runPrimary(Math.max(1, Number(workersArg.slice(10)) || 1), dataDir, portArg);
else await runWorker(dataDir, portArg);

/** Starts `n` workers, restarts any that exits while serving, and stops them all on SIGTERM. */
async function runPrimary(n: number, dir: string, port: string): Promise<void> {
  let stopping = false;
  const workers = new Set<Subprocess>();
  const spawnWorker = (): void => {
    const proc = Bun.spawn({ cmd: [process.execPath, import.meta.path, "--worker", dir, port], stdin: "ignore", stdout: "inherit", stderr: "inherit" });
    workers.add(proc);
    void proc.exited.then((code) => {
      workers.delete(proc);
      if (stopping) return;
      console.error(`[workers-proto] worker ${proc.pid} exited with code ${code}; restarting it`);
      spawnWorker();
    });
  };
  for (let i = 0; i < n; i++) spawnWorker();
  await new Promise<void>((done) => {
    process.on("SIGTERM", () => {
      stopping = true;
      const all = [...workers];
      for (const w of all) w.kill("SIGTERM");
      void Promise.all(all.map((w) => w.exited)).then(() => done());
    });
  });
  process.exit(0);
}

/**
 * One worker: the App with the pb_data's hooks, the router, Bun.serve with reusePort.
 * NB: Satchel is imported here, not at the top, so that the primary stays a small process.
 */
async function runWorker(dir: string, port: string): Promise<void> {
  const { App } = await import("../src/core/app.ts");
  const { Jsvm } = await import("../src/jsvm/jsvm.ts");
  const { buildRouter, handleRequest } = await import("../src/http/server.ts");
  const { errorResponse, toApiError } = await import("../src/http/error-response.ts");
  const app = new App({ dataDir: dir });
  await Jsvm.load(app, { hooksDir: hooksDirOf(dir), migrationsDir: join(dir, "pb_migrations") });
  app.bootstrap();
  const router = buildRouter(app);
  const opts = { http: `127.0.0.1:${port}` };
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: Number(port),
    reusePort: true,
    maxRequestBodySize: 1 << 30,
    fetch(req, srv) {
      return handleRequest(app, router, opts, req, srv.requestIP(req)?.address ?? "", srv);
    },
    error(err) {
      return errorResponse(toApiError(err, false));
    },
  });
  // the pb_hooks routes (routerAdd, onServe handlers) join the router here, as in `serve`
  await app.hooks.serve.triggerAsync({ app, server, router, next: () => undefined });
  process.on("SIGTERM", () => {
    void server.stop(true).then(() => {
      app.terminate();
      process.exit(0);
    });
  });
}
