import { mkdtempSync, rmSync, cpSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import PocketBase from "pocketbase";
import { App } from "../../src/core/app.ts";
import { Record } from "../../src/core/records/record.ts";
import { startServer, type RunningServer } from "../../src/http/server.ts";

/** The PocketBase-written fixture shipped in shared/. */
export const FIXTURE_DIR = resolve(import.meta.dir, "../../../shared/fixtures/pocketbase-v0.39-pb_data");

/** A running test server on a random 127.0.0.1 port with its own pb_data. */
export interface TestServer {
  app: App;
  url: string;
  dataDir: string;
  server: RunningServer;
  /** A fresh SDK client (guest). */
  client(): PocketBase;
  /** An SDK client logged in as the test superuser. */
  superuser(): Promise<PocketBase>;
  stop(): Promise<void>;
}

/** The test superuser's credentials (also the fixture's). */
export const SUPERUSER = { email: "test@example.com", password: "1234567890" };

/**
 * Starts a real server: a new pb_data (or a copy of the PocketBase fixture) in a temp folder,
 * with a superuser `test@example.com` / `1234567890`.
 */
export async function startTestServer(opts: { fixture?: boolean } = {}): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), "satchel-test-"));
  if (opts.fixture) cpSync(FIXTURE_DIR, dataDir, { recursive: true });
  const app = new App({ dataDir });
  app.bootstrap();
  if (!opts.fixture) {
    const su = new Record(app.findCollectionByNameOrId("_superusers"));
    su.setEmail(SUPERUSER.email);
    su.setPassword(SUPERUSER.password);
    app.save(su);
  }
  const server = startServer(app, { http: "127.0.0.1:0" });
  const url = server.url;
  return {
    app,
    url,
    dataDir,
    server,
    client: () => new PocketBase(url),
    superuser: () => superuserClient(url),
    async stop() {
      await server.stop();
      app.terminate();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** An SDK client for `url` logged in as the test superuser. */
export async function superuserClient(url: string): Promise<PocketBase> {
  const pb = new PocketBase(url);
  await pb.collection("_superusers").authWithPassword(SUPERUSER.email, SUPERUSER.password);
  return pb;
}

/** Copies the fixture pb_data into a new temp folder and returns its path. */
export function copyFixture(): string {
  const dir = mkdtempSync(join(tmpdir(), "satchel-fixture-"));
  cpSync(FIXTURE_DIR, dir, { recursive: true });
  return dir;
}
