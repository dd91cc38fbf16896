import { afterAll, describe, expect, test } from "bun:test";
import { Database } from "bun:sqlite";
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import PocketBase from "pocketbase";
import { App } from "../src/core/app.ts";
import { startServer } from "../src/http/server.ts";
import { handleShutdownSignals } from "../src/cli/graceful-shutdown.ts";
import { cleanupTempDirs, cli, FROM_SOURCE, killChildren, startServe, tempDir, type ServeProcess } from "./helpers/cli-process.ts";

afterAll(async () => {
  await killChildren();
  cleanupTempDirs();
});

const enc = new TextEncoder();

/**
 * A request body that arrives slowly: `{"title":"` first, then `chunks` pieces of `a`s every
 * `delayMs`, then `"}`. `started` resolves once the first piece has been handed to fetch.
 */
function slowBody(chunks: number, delayMs: number, stall = false): { body: ReadableStream<Uint8Array>; started: Promise<void>; length: number } {
  let markStarted!: () => void;
  const started = new Promise<void>((r) => (markStarted = r));
  let sent = -1;
  const body = new ReadableStream<Uint8Array>({
    async pull(c) {
      if (sent === -1) {
        sent = 0;
        c.enqueue(enc.encode('{"title":"'));
        markStarted();
        return;
      }
      await Bun.sleep(delayMs);
      if (stall) return new Promise<void>(() => undefined); // never finishes
      if (sent < chunks) {
        c.enqueue(enc.encode("a".repeat(100)));
        sent++;
        return;
      }
      c.enqueue(enc.encode('"}'));
      c.close();
    },
  });
  return { body, started, length: chunks * 100 };
}

/** data.db and auxiliary.db are intact and their WAL was checkpointed away on close. */
function expectCleanDatabases(dir: string): void {
  for (const name of ["data.db", "auxiliary.db"]) {
    const wal = join(dir, `${name}-wal`);
    // a WAL that still holds frames means the database was not closed cleanly
    if (existsSync(wal)) expect(statSync(wal).size).toBe(0);
    const db = new Database(join(dir, name));
    try {
      expect(db.query("PRAGMA integrity_check").get()).toEqual({ integrity_check: "ok" });
    } finally {
      db.close();
    }
  }
}

/** A fresh pb_data with a superuser and a `notes` collection anyone may create records in, served by `bun src/main.ts serve`. */
async function serveWithNotes(): Promise<{ dir: string; s: ServeProcess }> {
  const dir = tempDir("satchel-shutdown-");
  expect((await cli(["superuser", "upsert", "a@b.co", "1234567890", `--dir=${dir}`])).code).toBe(0);
  const s = await startServe([...FROM_SOURCE, "serve", `--dir=${dir}`, "--http=127.0.0.1:0"]);
  const pb = new PocketBase(s.url);
  await pb.collection("_superusers").authWithPassword("a@b.co", "1234567890");
  await pb.collections.create({ name: "notes", type: "base", createRule: "", fields: [{ name: "title", type: "text", max: 100000 }] });
  return { dir, s };
}

/** True when a new TCP connection to the server's port is refused. */
async function refusesConnections(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  try {
    const sock = await Bun.connect({ hostname, port: Number(port), socket: { data() {} } });
    sock.end();
    return false;
  } catch {
    return true;
  }
}

describe("graceful shutdown of `serve`", () => {
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    test(`${signal}: an in-flight request completes, the process exits 0, the databases close cleanly`, async () => {
      const { dir, s } = await serveWithNotes();
      const { body, started, length } = slowBody(6, 80);
      const inFlight = fetch(`${s.url}/api/collections/notes/records`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
        duplex: "half",
      } as RequestInit);
      await started;
      await Bun.sleep(100); // the request has reached the server and its body is still arriving
      s.proc.kill(signal);
      await Bun.sleep(50);
      expect(await refusesConnections(s.url)).toBe(true); // no new connections once the signal arrived

      const res = await inFlight;
      expect(res.status).toBe(200);
      const rec = (await res.json()) as { id: string; title: string };
      expect(rec.title).toHaveLength(length);

      expect(await s.proc.exited).toBe(0);
      expect(s.stderr()).toBe("");
      expectCleanDatabases(dir);
      const db = new Database(join(dir, "data.db"), { readonly: true });
      try {
        expect(db.query("SELECT length(title) AS n FROM notes WHERE id = ?").get(rec.id)).toEqual({ n: length });
      } finally {
        db.close();
      }
    });
  }

  test("a second signal stops waiting for a request that never finishes", async () => {
    const { dir, s } = await serveWithNotes();
    const { body, started } = slowBody(1, 50, true);
    const stalled = fetch(`${s.url}/api/collections/notes/records`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
      duplex: "half",
    } as RequestInit).then(
      (r) => r.status,
      () => "aborted",
    );
    await started;
    await Bun.sleep(100);
    const t0 = performance.now();
    s.proc.kill("SIGTERM");
    await Bun.sleep(150);
    expect(s.proc.exitCode).toBeNull(); // still waiting for the stalled request
    s.proc.kill("SIGINT");
    expect(await s.proc.exited).toBe(0);
    const waited = performance.now() - t0;
    expect(await stalled).toBe("aborted");
    expectCleanDatabases(dir);
    console.log(`  forced shutdown after a second signal: ${waited.toFixed(0)} ms`);
  });

  test("after the grace period the remaining connections are closed and the app terminates", async () => {
    const dir = tempDir("satchel-grace-");
    const app = new App({ dataDir: dir });
    app.bootstrap();
    const running = startServer(app, { http: "127.0.0.1:0" });
    let terminated = 0;
    app.onTerminate().bindFunc((e) => {
      terminated++;
      return e.next();
    });
    const signalListeners = process.listenerCount("SIGTERM");
    const handle = handleShutdownSignals(app, running, 200);
    expect(process.listenerCount("SIGTERM")).toBe(signalListeners + 1);
    const { body, started } = slowBody(1, 50, true);
    const stalled = fetch(`${running.url}/api/collections/notes/records`, { method: "POST", body, duplex: "half" } as RequestInit).then(
      (r) => r.status,
      () => "aborted",
    );
    await started;
    await Bun.sleep(50);
    // NB: not a real signal: the test runner must not receive SIGTERM itself
    handle.shutdown("SIGTERM");
    expect(await handle.exited).toBe(0);
    expect(terminated).toBe(1);
    expect(await stalled).toBe("aborted");
    expect(process.listenerCount("SIGTERM")).toBe(signalListeners);
    expectCleanDatabases(dir);
  });
});
