import { afterAll, beforeAll, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Subprocess } from "bun";
import { appCron } from "../src/core/cron/app-cron.ts";
import { startJsvmServer, type JsvmTestServer } from "./helpers/jsvm-server.ts";

// a separate process to call with $http (a synchronous send blocks this process's event loop)
const ECHO_SERVER = `
const s = Bun.serve({ hostname: "127.0.0.1", port: 0, async fetch(req) {
  const body = await req.text();
  return Response.json({ method: req.method, path: new URL(req.url).pathname, body, auth: req.headers.get("x-auth") }, { status: 201, headers: { "set-cookie": "sid=abc; Path=/" } });
} });
console.log(s.port);
`;

const HOOKS = `
const lib = require(\`\${__hooks}/lib.js\`);
let booted = 0;
onBootstrap((e) => { booted++; e.next(); });
const sent = [];
onMailerSend((e) => { sent.push(e.message.subject + " -> " + e.message.to[0].address); /* no e.next(): not delivered */ });

routerAdd("GET", "/api/runtime", async (e) => {
  const target = $os.getenv("SATCHEL_ECHO_URL");
  const sync = $http.send({ url: target + "/sync", method: "POST", data: { a: 1 }, headers: { "X-Auth": "t" }, timeout: 5 });
  const asyncRes = await $http.sendAsync({ url: target + "/async", method: "PUT", body: "raw" });
  let failed = "";
  try { $http.send({ url: "http://127.0.0.1:1/nothing", timeout: 2 }); } catch (err) { failed = "failed"; }
  await $app.newMailClient().send(new MailerMessage({ to: [{ address: "x@example.com" }], subject: "Hi", html: "<p>hi</p>" }));
  return e.json(200, {
    sync: { status: sync.statusCode, json: sync.json, cookie: sync.cookies.sid.value, type: sync.headers["Content-Type"][0] },
    async: { status: asyncRes.statusCode, method: asyncRes.json.method, body: asyncRes.json.body, raw: typeof asyncRes.raw },
    failed, booted, sent, lib: lib.greet("x"),
  });
});

routerAdd("GET", "/api/version", (e) => e.json(200, { version: 1 }));
cronAdd("tick", "@hourly", () => {});
cronAdd("gone", "@hourly", () => {});
cronRemove("gone");
`;

let srv: JsvmTestServer;
let echo: Subprocess<"ignore", "pipe", "inherit">;

beforeAll(async () => {
  echo = Bun.spawn([process.execPath, "-e", ECHO_SERVER], { stdout: "pipe" });
  const reader = echo.stdout.getReader();
  const { value } = await reader.read();
  reader.releaseLock();
  process.env.SATCHEL_ECHO_URL = `http://127.0.0.1:${new TextDecoder().decode(value).trim()}`;
  srv = await startJsvmServer({ hooks: { "main.pb.js": HOOKS, "lib.js": "module.exports = { greet: (n) => 'hello ' + n };" } });
});

afterAll(async () => {
  await srv?.stop();
  echo?.kill();
  await echo?.exited;
});

test("$http.send (synchronous) and $http.sendAsync; require from __hooks; onBootstrap; onMailerSend", async () => {
  const r = await srv.client().send("/api/runtime", {});
  expect(r).toEqual({
    sync: { status: 201, json: { method: "POST", path: "/sync", body: '{"a":1}', auth: "t" }, cookie: "abc", type: "application/json;charset=utf-8" },
    async: { status: 201, method: "PUT", body: "raw", raw: "string" },
    failed: "failed",
    booted: 1,
    sent: ["Hi -> x@example.com"],
    lib: "hello x",
  });
});

test("cronAdd / cronRemove register with the app's scheduler", () => {
  const ids = appCron(srv.app).jobs().map((j) => j.id());
  expect(ids).toContain("tick");
  expect(ids).not.toContain("gone");
});

test("a change in pb_hooks reloads the hooks (routes, crons) without a restart", async () => {
  srv.jsvm.watch();
  try {
    writeFileSync(join(srv.hooksDir, "main.pb.js"), `routerAdd("GET", "/api/version", (e) => e.json(200, { version: 2 }));\nrouterAdd("GET", "/api/new", (e) => e.string(200, "new"));\n`);
    let version = 1;
    for (let i = 0; i < 200 && version !== 2; i++) {
      await Bun.sleep(10);
      const body = await (await fetch(`${srv.url}/api/version`)).json();
      version = body.version;
    }
    expect(version).toBe(2);
    expect(await (await fetch(`${srv.url}/api/new`)).text()).toBe("new");
    // routes and cron jobs of the old file are gone
    expect((await fetch(`${srv.url}/api/runtime`)).status).toBe(404);
    expect(appCron(srv.app).jobs().map((j) => j.id())).not.toContain("tick");
  } finally {
    srv.jsvm.close();
  }
});
