import { afterAll, describe, expect, test } from "bun:test";
import { Database } from "bun:sqlite";
import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import PocketBase, { ClientResponseError } from "pocketbase";
import { App } from "../src/core/app.ts";
import { VERSION } from "../src/cli/version.ts";
import { cleanupTempDirs, cli, FROM_SOURCE, hasStackTrace, killChildren, startServe, tempDir, type CliResult } from "./helpers/cli-process.ts";

afterAll(async () => {
  await killChildren();
  cleanupTempDirs();
});

/** A clean failure: exit 1, one `Error: …` line on stderr, no stack trace, nothing on stdout. */
function expectUsageError(r: CliResult, fragment: string): void {
  expect(r.code).toBe(1);
  expect(r.stdout).toBe("");
  const lines = r.stderr.trim().split("\n");
  expect(lines).toHaveLength(1);
  expect(lines[0]).toStartWith("Error: ");
  expect(r.stderr).toContain(fragment);
  expect(hasStackTrace(r.stderr)).toBe(false);
}

describe("help and version", () => {
  test("--help, -h, help and no arguments print the commands", async () => {
    for (const args of [["--help"], ["-h"], ["help"], []]) {
      const r = await cli(args);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain("Available Commands:");
      expect(r.stdout).toMatch(/\n\s+serve\s/);
      expect(r.stdout).toMatch(/\n\s+superuser\s/);
      expect(r.stderr).toBe("");
    }
  });

  test("--version and -v print the version", async () => {
    for (const args of [["--version"], ["-v"]]) {
      const r = await cli(args);
      expect(r.code).toBe(0);
      expect(r.stdout.trim()).toBe(`satchel version ${VERSION}`);
    }
  });

  test("serve --help lists every PocketBase serve flag with its default", async () => {
    const r = await cli(["serve", "--help"]);
    expect(r.code).toBe(0);
    for (const flag of ["--http", "--https", "--origins", "--dir", "--dev", "--publicDir", "--hooksDir", "--migrationsDir", "--encryptionEnv", "--queryTimeout", "--automigrate", "--hooksWatch", "--indexFallback"]) {
      expect(r.stdout).toContain(`  ${flag}`);
    }
    expect(r.stdout).toContain('"127.0.0.1:8090"');
  });

  test("superuser --help and a bare superuser print the subcommands", async () => {
    for (const args of [["superuser", "--help"], ["superuser"]]) {
      const r = await cli(args);
      expect(r.code).toBe(0);
      for (const sub of ["create", "upsert", "update", "delete", "otp", "ips"]) expect(r.stdout).toContain(`superuser ${sub}`);
    }
  });
});

describe("bad command lines fail cleanly before touching any data", () => {
  const cases: [string, string[], string, { [k: string]: string }?][] = [
    ["unknown command", ["frobnicate"], 'unknown command "frobnicate"'],
    ["unknown top-level flag", ["--frob"], "unknown flag: --frob"],
    ["global flag before the command", ["--dir=x", "serve"], "flags go after the command"],
    ["unknown serve flag", ["serve", "--nope"], "unknown flag: --nope"],
    ["--http=nonsense", ["serve", "--http=nonsense"], 'Invalid --http address "nonsense"'],
    ["--http port out of range", ["serve", "--http=127.0.0.1:99999"], "Invalid port"],
    ["--http without a value", ["serve", "--http"], "flag needs an argument: --http"],
    ["--queryTimeout=abc", ["serve", "--queryTimeout=abc"], 'invalid value "abc" for flag --queryTimeout'],
    ["--queryTimeout=-1", ["serve", "--queryTimeout=-1"], "--queryTimeout"],
    ["--queryTimeout=1.5", ["serve", "--queryTimeout=1.5"], "whole number"],
    ["--dev=maybe", ["serve", "--dev=maybe"], 'invalid boolean value "maybe" for flag --dev'],
    ["--encryptionEnv naming a missing variable", ["serve", "--encryptionEnv=SATCHEL_TEST_NO_SUCH_VAR"], "SATCHEL_TEST_NO_SUCH_VAR is not set"],
    ["--encryptionEnv naming a short key", ["serve", "--encryptionEnv=SATCHEL_TEST_SHORT_KEY"], "exactly 32 characters (it has 5)", { SATCHEL_TEST_SHORT_KEY: "short" }],
    ["--encryptionEnv naming a long key", ["serve", "--encryptionEnv=SATCHEL_TEST_LONG_KEY"], "exactly 32 characters (it has 33)", { SATCHEL_TEST_LONG_KEY: "x".repeat(33) }],
    ["domain arguments", ["serve", "example.com"], "not supported yet"],
    ["--https", ["serve", "--https=127.0.0.1:8443"], "--https is not supported yet"],
    ["unknown superuser command", ["superuser", "frob"], 'unknown superuser command "frob"'],
    ["superuser create without PASS", ["superuser", "create", "a@b.co"], "missing PASS argument"],
    ["superuser create without arguments", ["superuser", "create"], "missing EMAIL and PASS arguments"],
    ["superuser delete with too many arguments", ["superuser", "delete", "a@b.co", "extra"], "too many arguments"],
    ["superuser ips with a bad CIDR", ["superuser", "ips", "10.0.0.0/33"], 'invalid IP address or CIDR range "10.0.0.0/33"'],
    ["superuser ips with a hostname", ["superuser", "ips", "localhost"], 'invalid IP address or CIDR range "localhost"'],
    ["unknown superuser flag", ["superuser", "create", "a@b.co", "1234567890", "--bogus"], "unknown flag: --bogus"],
  ];
  for (const [name, args, fragment, extraEnv] of cases) {
    test(name, async () => {
      const cwd = tempDir();
      const r = await cli(args, { cwd, env: { ...process.env, ...extraEnv } });
      expectUsageError(r, fragment);
      // the default --dir is ./pb_data when run from source: nothing may have been created
      expect(readdirSync(cwd)).toEqual([]);
    });
  }

  test("a port already in use is a clean error, and the data stays closed", async () => {
    const blocker = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response("busy") });
    try {
      const dir = tempDir();
      const r = await cli(["serve", `--dir=${dir}`, `--http=127.0.0.1:${blocker.port}`]);
      expect(r.code).toBe(1);
      expect(r.stderr).toStartWith(`Error: failed to start the server on 127.0.0.1:${blocker.port}`);
      expect(hasStackTrace(r.stderr)).toBe(false);
      expect(existsSync(join(dir, "data.db-wal"))).toBe(false);
    } finally {
      blocker.stop(true);
    }
  });
});

describe("superuser commands", () => {
  const dir = tempDir();
  const su = (...args: string[]) => cli(["superuser", ...args, `--dir=${dir}`]);

  test("create, then create again, bad email, short password", async () => {
    let r = await su("create", "a@b.co", "1234567890");
    expect(r).toMatchObject({ code: 0, stderr: "" });
    expect(r.stdout.trim()).toBe('Successfully created new superuser "a@b.co"!');

    expectUsageError(await su("create", "a@b.co", "0987654321"), 'superuser "a@b.co" already exists');
    expectUsageError(await su("create", "not-an-email", "1234567890"), "email: Must be a valid email address.");
    expectUsageError(await su("create", "short@b.co", "1234567"), "password: Must be at least 8 character(s).");
    expectUsageError(await su("upsert", "short@b.co", "123"), "password: Must be at least 8 character(s).");
    // nothing half-written: the failed ones do not exist
    r = await su("delete", "short@b.co");
    expect(r.stdout).toContain('Superuser "short@b.co" is missing or already deleted.');
  });

  test("upsert creates or changes the password; update needs an existing superuser", async () => {
    let r = await su("upsert", "b@b.co", "bbbbbbbbbb");
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe('Successfully saved superuser "b@b.co"!');
    r = await su("upsert", "b@b.co", "cccccccccc");
    expect(r.code).toBe(0);

    expectUsageError(await su("update", "missing@b.co", "1234567890"), 'superuser with email "missing@b.co" doesn\'t exist');
    expectUsageError(await su("update", "a@b.co", "short"), "password: Must be at least 8 character(s).");
    r = await su("update", "a@b.co", "aaaaaaaaaa");
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe('Successfully changed superuser "a@b.co" password!');
  });

  test("delete: a missing email is only a warning; the last superuser stays", async () => {
    let r = await su("delete", "missing@b.co");
    expect(r).toMatchObject({ code: 0, stderr: "" });
    expect(r.stdout.trim()).toBe('Superuser "missing@b.co" is missing or already deleted.');

    r = await su("delete", "b@b.co");
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe('Successfully deleted superuser "b@b.co"!');

    expectUsageError(await su("delete", "a@b.co"), "You can't delete the only existing superuser.");
  });

  test("otp needs OTP enabled, then prints a working one-time password", async () => {
    expectUsageError(await su("otp", "missing@b.co"), 'superuser with email "missing@b.co" doesn\'t exist');
    expectUsageError(await su("otp", "a@b.co"), "OTP auth is not enabled for the _superusers collection");

    const setOtp = (enabled: boolean) => {
      const app = new App({ dataDir: dir });
      app.bootstrap();
      const c = app.findCollectionByNameOrId("_superusers");
      c.otp!.enabled = enabled;
      c.otp!.length = 6;
      c.otp!.duration = 300;
      // NB: OTP on _superusers turns MFA on; switch both back off so later logins need one step
      if (!enabled) c.mfa!.enabled = false;
      app.save(c);
      app.terminate();
    };
    setOtp(true);
    try {
      const r = await su("otp", "a@b.co");
      expect(r.code).toBe(0);
      const m = /^Successfully created OTP for superuser "a@b\.co":\n├─ Id:    (\w{15})\n├─ Pass:  (\d{6})\n└─ Valid: 300s$/.exec(r.stdout.trim());
      expect(m).not.toBeNull();
      const db = new Database(join(dir, "data.db"));
      try {
        const row = db.query("SELECT o.password, s.email FROM _otps o JOIN _superusers s ON s.id = o.recordRef WHERE o.id = ?").get(m![1]!) as { password: string; email: string };
        expect(row.email).toBe("a@b.co");
        expect(await Bun.password.verify(m![2]!, row.password)).toBe(true);
      } finally {
        db.close();
      }
    } finally {
      setOtp(false);
    }
  });

  test("ips sets and clears settings.superuserIPs", async () => {
    let r = await su("ips", "127.0.0.1", "10.0.0.0/8", "::1");
    expect(r.code).toBe(0);
    const read = () => {
      const app = new App({ dataDir: dir });
      app.bootstrap();
      const ips = app.settings().superuserIPs;
      app.terminate();
      return ips;
    };
    expect(read()).toEqual(["127.0.0.1", "10.0.0.0/8", "::1"]);
    r = await su("ips");
    expect(r.code).toBe(0);
    expect(read()).toEqual([]);
  });

  test("the changed password is the one that logs in over the API", async () => {
    const s = await startServe([...FROM_SOURCE, "serve", `--dir=${dir}`, "--http=127.0.0.1:0"]);
    try {
      const pb = new PocketBase(s.url);
      await pb.collection("_superusers").authWithPassword("a@b.co", "aaaaaaaaaa");
      expect(pb.authStore.isSuperuser).toBe(true);
      const bad = new PocketBase(s.url);
      const err = await bad.collection("_superusers").authWithPassword("a@b.co", "1234567890").catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ClientResponseError);
      expect((err as ClientResponseError).status).toBe(400);
      // the superuser deleted above is gone
      const list = await pb.collection("_superusers").getFullList();
      expect(list.map((x) => x.email)).toEqual(["a@b.co"]);
    } finally {
      expect(await s.stop()).toBe(0);
    }
  });
});

describe("serve", () => {
  test("the first start without a superuser prints the banner and a working installer link", async () => {
    const dir = tempDir();
    const s = await startServe([...FROM_SOURCE, "serve", `--dir=${dir}`, "--http=127.0.0.1:0"]);
    let token = "";
    try {
      const out = s.stdout();
      expect(out).toMatch(/^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d Server started at http:\/\/127\.0\.0\.1:\d+\n/);
      expect(out).toContain(`├─ REST API:  ${s.url}/api/\n`);
      expect(out).toContain(`└─ Dashboard: ${s.url}/_/\n`);
      expect(out).toContain("(!) Launch the URL below in the browser if it hasn't been open already to create your first superuser account:");
      expect(out).toContain("superuser upsert EMAIL PASS");
      const m = new RegExp(`${s.url.replace(/[.]/g, "\\.")}/_/#/pbinstall/([\\w-]+\\.[\\w-]+\\.[\\w-]+)\\n`).exec(out);
      expect(m).not.toBeNull();
      token = m![1]!;

      // the link's token is a superuser token: the dashboard's install page uses it
      const pb = new PocketBase(s.url);
      pb.authStore.save(token);
      const settings = await pb.settings.getAll();
      expect(settings.meta).toBeDefined();
      const health = await fetch(`${s.url}/api/health`);
      expect(health.status).toBe(200);
    } finally {
      expect(await s.stop()).toBe(0);
    }

    // a real superuser replaces the installer placeholder: no link on the next start
    const r = await cli(["superuser", "upsert", "real@b.co", "1234567890", `--dir=${dir}`]);
    expect(r.code).toBe(0);
    const s2 = await startServe([...FROM_SOURCE, "serve", `--dir=${dir}`, "--http=127.0.0.1:0"]);
    try {
      expect(s2.stdout()).toContain("Server started at");
      expect(s2.stdout()).not.toContain("pbinstall");
      expect(s2.stdout()).not.toContain("(!)");
      const pb = new PocketBase(s2.url);
      await pb.collection("_superusers").authWithPassword("real@b.co", "1234567890");
      const list = await pb.collection("_superusers").getFullList();
      expect(list.map((x) => x.email)).toEqual(["real@b.co"]);
      // the installer token died with its placeholder
      const old = new PocketBase(s2.url);
      old.authStore.save(token);
      const err = await old.settings.getAll().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ClientResponseError);
      expect([401, 403]).toContain((err as ClientResponseError).status);
    } finally {
      expect(await s2.stop()).toBe(0);
    }
  });

  test("run from source, --dir and --publicDir default to ./pb_data and ./pb_public", async () => {
    const cwd = tempDir();
    mkdirSync(join(cwd, "pb_public"));
    writeFileSync(join(cwd, "pb_public", "hello.txt"), "hello from pb_public");
    const r = await cli(["superuser", "upsert", "a@b.co", "1234567890"], { cwd });
    expect(r.code).toBe(0);
    expect(existsSync(join(cwd, "pb_data", "data.db"))).toBe(true);
    const s = await startServe([...FROM_SOURCE, "serve", "--http=127.0.0.1:0"], { cwd });
    try {
      expect(s.stdout()).not.toContain("pbinstall");
      const res = await fetch(`${s.url}/hello.txt`);
      expect(res.status).toBe(200);
      expect(await res.text()).toBe("hello from pb_public");
    } finally {
      expect(await s.stop()).toBe(0);
    }
  });

  test("every PocketBase flag is accepted; --origins and --publicDir take effect", async () => {
    const dir = tempDir();
    const pub = tempDir();
    writeFileSync(join(pub, "index.html"), "<h1>public</h1>");
    const s = await startServe([
      ...FROM_SOURCE, "serve", `--dir=${dir}`, "--http", "127.0.0.1:0", "--dev", "--origins=https://a.example, https://b.example",
      `--publicDir=${pub}`, `--hooksDir=${join(dir, "hooks")}`, `--migrationsDir=${join(dir, "migrations")}`, "--queryTimeout=5",
      "--hooksWatch=false", "--hooksPool=2", "--automigrate=false", "--indexFallback=false",
    ]);
    try {
      const res = await fetch(`${s.url}/`);
      expect(await res.text()).toBe("<h1>public</h1>");
      const ok = await fetch(`${s.url}/api/health`, { headers: { origin: "https://b.example" } });
      expect(ok.headers.get("access-control-allow-origin")).toBe("https://b.example");
      const other = await fetch(`${s.url}/api/health`, { headers: { origin: "https://evil.example" } });
      expect(other.headers.get("access-control-allow-origin")).toBeNull();
    } finally {
      expect(await s.stop()).toBe(0);
    }
    expect(s.stderr()).toBe("");
  });
});

describe("--encryptionEnv", () => {
  const KEY = "0123456789abcdefghijklmnopqrstuv";
  const env = { ...process.env, SATCHEL_TEST_KEY: KEY };

  test("settings are stored encrypted and read back by serve", async () => {
    const dir = tempDir();
    const flags = [`--dir=${dir}`, "--encryptionEnv=SATCHEL_TEST_KEY"];
    expect((await cli(["superuser", "upsert", "a@b.co", "1234567890", ...flags], { env })).code).toBe(0);

    let s = await startServe([...FROM_SOURCE, "serve", ...flags, "--http=127.0.0.1:0"], { env });
    try {
      const pb = new PocketBase(s.url);
      await pb.collection("_superusers").authWithPassword("a@b.co", "1234567890");
      const saved = await pb.settings.update({ meta: { appName: "Encrypted Satchel" } });
      expect(saved.meta.appName).toBe("Encrypted Satchel");
    } finally {
      expect(await s.stop()).toBe(0);
    }

    // on disk: not plain JSON, and the app name is nowhere in it
    const db = new Database(join(dir, "data.db"), { readonly: true });
    const row = db.query("SELECT CAST(value AS TEXT) AS v FROM _params WHERE id = 'settings'").get() as { v: string };
    db.close();
    expect(row.v).not.toContain("Encrypted Satchel");
    expect(row.v).not.toContain("appName");
    let parsed: unknown = null;
    try {
      parsed = JSON.parse(row.v);
    } catch {
      parsed = null;
    }
    expect(parsed === null || typeof parsed === "string").toBe(true);

    // a restart with the key reads it back
    s = await startServe([...FROM_SOURCE, "serve", ...flags, "--http=127.0.0.1:0"], { env });
    try {
      const pb = new PocketBase(s.url);
      await pb.collection("_superusers").authWithPassword("a@b.co", "1234567890");
      expect((await pb.settings.getAll()).meta.appName).toBe("Encrypted Satchel");
    } finally {
      expect(await s.stop()).toBe(0);
    }

    // without the key, or with another one, serve refuses cleanly instead of starting on defaults
    const without = await cli(["serve", `--dir=${dir}`, "--http=127.0.0.1:0"], { env });
    expectUsageError(without, `Error: cannot open the data directory ${dir}`);
    const wrong = await cli(["serve", `--dir=${dir}`, "--http=127.0.0.1:0", "--encryptionEnv=OTHER_KEY"], { env: { ...env, OTHER_KEY: "v".repeat(32) } });
    expectUsageError(wrong, "(is $OTHER_KEY the key the settings were encrypted with?)");
  });
});
