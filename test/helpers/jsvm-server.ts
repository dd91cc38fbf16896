import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import PocketBase from "pocketbase";
import { App } from "../../src/core/app.ts";
import { Record } from "../../src/core/records/record.ts";
import { startServer, type RunningServer } from "../../src/http/server.ts";
import { Jsvm } from "../../src/jsvm/jsvm.ts";
import { appCron } from "../../src/core/cron/app-cron.ts";
import { SUPERUSER, superuserClient } from "./test-server.ts";

/** A running server with pb_hooks / pb_migrations loaded, as `serve` starts it. */
export interface JsvmTestServer {
  app: App;
  jsvm: Jsvm;
  url: string;
  /** The temp folder holding pb_data, pb_hooks and pb_migrations. */
  root: string;
  hooksDir: string;
  migrationsDir: string;
  server: RunningServer;
  client(): PocketBase;
  superuser(): Promise<PocketBase>;
  stop(): Promise<void>;
}

/** Writes `files` (name → content) into a folder. */
export function writeFiles(dir: string, files: { [name: string]: string }): void {
  mkdirSync(dir, { recursive: true });
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
}

/**
 * Starts a real server on a random 127.0.0.1 port the way `serve` does: the JS files load before
 * bootstrap, pending migrations run, the server starts and `onServe` fires with the router.
 * A superuser `test@example.com` / `1234567890` exists. The cron scheduler is not started
 * (tests run jobs on demand).
 */
export async function startJsvmServer(opts: { hooks?: { [name: string]: string }; migrations?: { [name: string]: string } } = {}): Promise<JsvmTestServer> {
  const root = mkdtempSync(join(tmpdir(), "satchel-jsvm-"));
  const dataDir = join(root, "pb_data");
  const hooksDir = join(root, "pb_hooks");
  const migrationsDir = join(root, "pb_migrations");
  writeFiles(hooksDir, opts.hooks ?? {});
  writeFiles(migrationsDir, opts.migrations ?? {});
  const app = new App({ dataDir });
  let jsvm: Jsvm;
  try {
    jsvm = await Jsvm.load(app, { hooksDir, migrationsDir });
  } catch (err) {
    rmSync(root, { recursive: true, force: true });
    throw err;
  }
  app.bootstrap();
  jsvm.migrateUp();
  const su = new Record(app.findCollectionByNameOrId("_superusers"));
  su.setEmail(SUPERUSER.email);
  su.setPassword(SUPERUSER.password);
  app.save(su);
  const server = startServer(app, { http: "127.0.0.1:0" });
  await app.hooks.serve.triggerAsync({ app, server: server.server, router: server.router, next: () => undefined });
  const url = server.url;
  return {
    app,
    jsvm,
    url,
    root,
    hooksDir,
    migrationsDir,
    server,
    client: () => new PocketBase(url),
    superuser: () => superuserClient(url),
    async stop() {
      appCron(app).stop();
      await server.stop();
      app.terminate();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
