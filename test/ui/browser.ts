/**
 * Shared setup of the dashboard's browser tests: builds the UI when it is missing or stale,
 * launches Debian's headless Chromium through playwright-core, starts servers (also one with no
 * superuser, for the installer), logs in, and saves light + dark screenshots.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { App } from "../../src/core/app.ts";
import { startServer, type RunningServer } from "../../src/http/server.ts";
import { SUPERUSER } from "../helpers/test-server.ts";

/** Where the Debian package puts Chromium. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
/** Screenshots of key screens (gitignored). */
export const SHOTS_DIR = resolve(import.meta.dir, "../../test-output/screenshots");
const ROOT = resolve(import.meta.dir, "../..");

let uiChecked = false;

/** Builds `ui/dist` + its manifest when missing or older than the sources (once per process). */
export function ensureUiBuilt(): void {
  if (uiChecked) return;
  uiChecked = true;
  const res = Bun.spawnSync([process.execPath, "scripts/build-ui.ts", "--if-stale"], { cwd: ROOT, stdout: "pipe", stderr: "pipe" });
  if (res.exitCode !== 0) throw new Error(`Building the dashboard failed:\n${res.stderr.toString()}`);
}

/** Launches headless Chromium, or fails with a message saying how to install it. */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium was not found at ${CHROMIUM}. The browser tests need Debian's chromium: ` +
        "run `apt-get update && apt-get install -y chromium` (as root), or set CHROMIUM_PATH.",
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic"],
  });
}

/** A new page at 1280×800 (or another viewport) that fails the test on uncaught page errors. */
export async function newPage(browser: Browser, viewport = { width: 1280, height: 800 }): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport, colorScheme: "light" });
  const page = await context.newPage();
  page.setDefaultTimeout(8000);
  const errors: string[] = [];
  page.on("pageerror", (err) => errors.push(err.message));
  return { context, page, errors };
}

/** A server on 127.0.0.1 with a fresh pb_data and no superuser at all (for the installer). */
export interface BareServer {
  app: App;
  url: string;
  server: RunningServer;
  stop(): Promise<void>;
}

/** Starts a server with a fresh pb_data and no superuser. */
export function startBareServer(): BareServer {
  const dataDir = mkdtempSync(join(tmpdir(), "satchel-ui-"));
  const app = new App({ dataDir });
  app.bootstrap();
  const server = startServer(app, { http: "127.0.0.1:0" });
  return {
    app,
    url: server.url,
    server,
    async stop() {
      await server.stop();
      app.terminate();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Logs in through the login form as the test superuser and waits for the collections page. */
export async function login(page: Page, baseUrl: string, creds = SUPERUSER): Promise<void> {
  await page.goto(`${baseUrl}/_/#/login`);
  await page.waitForSelector("#login-email, [data-testid=nav-collections]");
  if (await page.locator("[data-testid=nav-collections]").count()) return; // already signed in
  await page.fill("#login-email", creds.email);
  await page.fill("#login-password", creds.password);
  await page.click("[data-testid=login-submit]");
  await page.waitForSelector("[data-testid=nav-collections]");
}

/** Saves `<name>-light.png` and `<name>-dark.png` of the current page. */
export async function screenshots(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS_DIR, { recursive: true });
  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.waitForTimeout(30);
    await page.screenshot({ path: join(SHOTS_DIR, `${name}-${scheme}.png`), animations: "disabled", caret: "hide" });
  }
  await page.emulateMedia({ colorScheme: "light" });
}

/** An SDK client logged in as the test superuser (the shared helper, re-exported for these tests). */
export { superuserClient } from "../helpers/test-server.ts";
