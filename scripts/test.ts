/**
 * `npm test`: runs every test with `bun test` and ends with the plain line
 * `N passed, N failed[, N skipped]`, keeping bun's exit code. Before the browser tests it checks
 * for Chromium and says how to install it when it is missing.
 */
import { existsSync } from "node:fs";

const args = process.argv.slice(2);

// the browser tests drive the dashboard the server embeds: build it when missing or stale
const ui = Bun.spawnSync([process.execPath, "scripts/build-ui.ts", "--if-stale"], { cwd: `${import.meta.dir}/..`, stdout: "inherit", stderr: "inherit" });
if (ui.exitCode !== 0) {
  console.error("Building the dashboard (scripts/build-ui.ts) failed; the browser tests need it.");
  console.log("0 passed, 1 failed");
  process.exit(ui.exitCode || 1);
}
const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
if (!existsSync(chromium)) {
  console.error(
    `NB: Chromium is missing at ${chromium}, so the browser tests (test/ui) will fail. ` +
      "Install it with `apt-get update && apt-get install -y chromium` (as root), or set CHROMIUM_PATH.",
  );
}

const proc = Bun.spawn([process.execPath, "test", "--timeout", "60000", ...args], {
  stdout: "inherit",
  stderr: "pipe",
  env: { ...process.env, FORCE_COLOR: "0" },
});
let tail = "";
const decoder = new TextDecoder();
const reader = proc.stderr.getReader();
for (;;) {
  const { done, value } = await reader.read();
  if (done) break;
  const text = decoder.decode(value, { stream: true });
  process.stderr.write(text);
  tail = (tail + text).slice(-20000);
}
const code = await proc.exited;
const num = (re: RegExp) => Number(re.exec(tail)?.[1] ?? 0);
const passed = num(/^\s*(\d+) pass$/m);
let failed = num(/^\s*(\d+) fail$/m);
const skipped = num(/^\s*(\d+) skip$/m);
if (code !== 0 && failed === 0) failed = 1;
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(code);
