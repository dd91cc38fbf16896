import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import PocketBase from "pocketbase";
import type { Subprocess } from "bun";
import { VERSION } from "../src/cli/version.ts";
import { BUN, cleanupTempDirs, FROM_SOURCE, freePort, hasStackTrace, killChildren, REPO, run, tempDir } from "./helpers/cli-process.ts";

/**
 * The single executable, tested the way a user runs it: built by `npm run build` (cached between
 * runs by scripts/build.ts), copied alone into an empty folder with no node_modules anywhere above
 * it, run there with a minimal environment.
 */

const BINARY = join(REPO, "dist/satchel");
let appDir = "";
let exe = "";
/** Nothing but a PATH: no BUN_* or NODE_* variables, no HOME with caches. */
let env: { [k: string]: string } = {};
const spawned: Subprocess[] = [];

beforeAll(async () => {
  const r = await run([BUN, "scripts/build.ts"]);
  if (r.code !== 0) throw new Error(`build failed:\n${r.stdout}\n${r.stderr}`);
  appDir = join(tempDir("satchel-bin-"), "app");
  mkdirSync(appDir);
  exe = join(appDir, "satchel");
  copyFileSync(BINARY, exe);
  chmodSync(exe, 0o755);
  env = { PATH: "/usr/local/bin:/usr/bin:/bin", HOME: appDir };
}, 120_000);

afterAll(async () => {
  for (const p of spawned) p.kill("SIGKILL");
  await killChildren();
  cleanupTempDirs();
});

/** Runs the copied executable with the minimal environment. */
function satchel(args: string[], cwd = appDir) {
  return run([exe, ...args], { cwd, env });
}

describe("the compiled single executable", () => {
  test("sits alone in its folder with no node_modules reachable", () => {
    expect(readdirSync(appDir)).toEqual(["satchel"]);
    for (let d = appDir; ; d = dirname(d)) {
      expect(existsSync(join(d, "node_modules"))).toBe(false);
      if (dirname(d) === d) break;
    }
    const size = statSync(exe).size;
    console.log(`  binary size: ${(size / 1024 / 1024).toFixed(1)} MB (${size} bytes)`);
    expect(size).toBeGreaterThan(1024 * 1024);
  });

  test("--version, --help and a bad flag behave as from source", async () => {
    let r = await satchel(["--version"]);
    expect(r).toMatchObject({ code: 0, stdout: `satchel version ${VERSION}\n` });
    r = await satchel(["--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Available Commands:");
    r = await satchel(["serve", "--http=nonsense"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toStartWith('Error: Invalid --http address "nonsense"');
    expect(hasStackTrace(r.stderr)).toBe(false);
    expect(readdirSync(appDir)).toEqual(["satchel"]); // a bad command line writes nothing
  });

  test("superuser upsert writes pb_data beside the executable, whatever the working directory", async () => {
    let r = await satchel(["superuser", "upsert", "a@b.co", "1234567890"]);
    expect(r).toMatchObject({ code: 0, stderr: "" });
    expect(r.stdout.trim()).toBe('Successfully saved superuser "a@b.co"!');
    expect(existsSync(join(appDir, "pb_data", "data.db"))).toBe(true);

    const elsewhere = tempDir("satchel-cwd-");
    r = await satchel(["superuser", "upsert", "c@d.co", "0987654321"], elsewhere);
    expect(r.code).toBe(0);
    expect(readdirSync(elsewhere)).toEqual([]);
    expect(readdirSync(appDir).sort()).toEqual(["pb_data", "satchel"]);
  });

  test("serve answers /api/health and the superusers log in through the SDK", async () => {
    const port = freePort();
    const url = `http://127.0.0.1:${port}`;
    const t0 = performance.now();
    const proc = Bun.spawn([exe, "serve", `--http=127.0.0.1:${port}`], { cwd: appDir, env, stdin: "ignore", stdout: "pipe", stderr: "pipe" });
    spawned.push(proc);
    const stdout = new Response(proc.stdout).text();
    const stderr = new Response(proc.stderr).text();
    let healthy: Response | null = null;
    while (!healthy && proc.exitCode === null && performance.now() - t0 < 10_000) {
      try {
        const res = await fetch(`${url}/api/health`);
        if (res.status === 200) healthy = res;
      } catch {
        await Bun.sleep(5);
      }
    }
    const startup = performance.now() - t0;
    expect(healthy).not.toBeNull();
    expect(await healthy!.json()).toMatchObject({ code: 200, message: "API is healthy." });
    const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${proc.pid}/status`, "utf8"))?.[1];
    console.log(`  binary start-up (spawn → first healthy /api/health): ${startup.toFixed(0)} ms, RSS ${rss ? (Number(rss) / 1024).toFixed(0) : "?"} MB`);

    for (const [email, pass] of [["a@b.co", "1234567890"], ["c@d.co", "0987654321"]]) {
      const pb = new PocketBase(url);
      const auth = await pb.collection("_superusers").authWithPassword(email!, pass!);
      expect(auth.record.email).toBe(email!);
      expect(pb.authStore.isSuperuser).toBe(true);
    }

    proc.kill("SIGTERM");
    expect(await proc.exited).toBe(0);
    const out = await stdout;
    expect(out).toContain(`Server started at ${url}`);
    expect(out).toContain(`├─ REST API:  ${url}/api/`);
    expect(out).not.toContain("pbinstall"); // a superuser exists
    expect(await stderr).toBe("");
    expect(existsSync(join(appDir, "pb_data", "data.db-wal")) && statSync(join(appDir, "pb_data", "data.db-wal")).size > 0).toBe(false);
  });

  test("serve --workers=2 starts two workers from the executable itself", async () => {
    const port = freePort();
    const url = `http://127.0.0.1:${port}`;
    const proc = Bun.spawn([exe, "serve", `--http=127.0.0.1:${port}`, "--workers=2"], { cwd: appDir, env, stdin: "ignore", stdout: "pipe", stderr: "pipe" });
    spawned.push(proc);
    let out = "";
    const reading = (async () => {
      for await (const chunk of proc.stdout) out += new TextDecoder().decode(chunk);
    })();
    // the banner comes once every worker listens
    const t0 = performance.now();
    while (!out.includes("Server started") && proc.exitCode === null && performance.now() - t0 < 15_000) await Bun.sleep(20);
    expect(out).toContain(`Server started at ${url}`);
    expect((await fetch(`${url}/api/health`, { headers: { connection: "close" } })).status).toBe(200);
    const children = () => readFileSync(`/proc/${proc.pid}/task/${proc.pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
    const workers = children();
    expect(workers.length).toBe(2);
    // the workers are the executable itself, not a Bun install
    for (const pid of workers) expect(readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0")[0]).toBe(exe);
    proc.kill("SIGTERM");
    expect(await proc.exited).toBe(0);
    await reading;
    for (const pid of workers) expect(() => process.kill(pid, 0)).toThrow();
  });

  test("for comparison: start-up from source (bun src/main.ts serve)", async () => {
    const dir = tempDir();
    const port = freePort();
    const t0 = performance.now();
    const proc = Bun.spawn([...FROM_SOURCE, "serve", `--dir=${dir}`, `--http=127.0.0.1:${port}`], { cwd: REPO, stdin: "ignore", stdout: "ignore", stderr: "ignore" });
    spawned.push(proc);
    let ok = false;
    while (!ok && proc.exitCode === null && performance.now() - t0 < 10_000) {
      ok = await fetch(`http://127.0.0.1:${port}/api/health`).then((r) => r.status === 200, () => false);
      if (!ok) await Bun.sleep(5);
    }
    expect(ok).toBe(true);
    console.log(`  source start-up (spawn → first healthy /api/health): ${(performance.now() - t0).toFixed(0)} ms`);
    proc.kill("SIGTERM");
    expect(await proc.exited).toBe(0);
  });
});
