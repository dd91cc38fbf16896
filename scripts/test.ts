export {};
/**
 * `npm test`: runs every test with `bun test` and ends with the plain line
 * `N passed, N failed[, N skipped]`, keeping bun's exit code. Before the browser tests it checks
 * for Chromium and says how to install it when it is missing.
 */
const args = process.argv.slice(2);
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
