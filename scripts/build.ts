/**
 * `npm run build`: compiles Satchel into the single executable `dist/satchel` with everything
 * embedded (no node_modules, no native files needed beside it). The dashboard is built first
 * (`scripts/build-ui.ts --if-stale`, when that script exists); a failing dashboard build fails
 * the whole build.
 *
 * The build is skipped when `dist/satchel` was made from the same inputs (the sources, the
 * package manifests, this script and the Bun version, hashed into `dist/satchel.inputs`);
 * `--force` rebuilds anyway. Usage: `bun scripts/build.ts [--force] [--outfile=path]`.
 * NB: the binary is written to a temporary file and renamed into place, so a concurrent build or
 * a test running the old binary never sees a half-written file.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

const ROOT = resolve(import.meta.dir, "..");

/** Directories never read for the input hash. */
const SKIP_DIRS = new Set(["node_modules", "dist", ".git"]);

function walk(dir: string, out: string[]): void {
  if (!existsSync(dir)) return;
  for (const ent of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, ent.name);
    if (ent.isDirectory()) {
      if (!SKIP_DIRS.has(ent.name)) walk(p, out);
    } else if (ent.isFile() && !ent.name.endsWith(".test.ts")) out.push(p);
  }
}

/** The files whose content decides the binary. */
function inputFiles(): string[] {
  const files: string[] = [];
  walk(join(ROOT, "src"), files);
  walk(join(ROOT, "ui"), files);
  for (const f of ["package.json", "package-lock.json", "tsconfig.json", "scripts/build.ts"]) if (existsSync(join(ROOT, f))) files.push(join(ROOT, f));
  return files.sort();
}

/** A hash of every input file's path and content, and of the Bun version. */
function inputsHash(): string {
  const h = new Bun.CryptoHasher("sha256");
  h.update(`bun ${Bun.version} ${Bun.revision}\n`);
  for (const f of inputFiles()) {
    h.update(relative(ROOT, f) + "\0");
    h.update(readFileSync(f));
    h.update("\0");
  }
  return h.digest("hex");
}

// the dashboard is built from ui/ first (when stale) and embedded through a generated module in src/
if (existsSync(join(ROOT, "scripts/build-ui.ts"))) {
  const ui = Bun.spawn([process.execPath, "scripts/build-ui.ts", "--if-stale"], { cwd: ROOT, stdout: "inherit", stderr: "inherit" });
  const uiCode = await ui.exited;
  if (uiCode !== 0) process.exit(uiCode);
}

const args = process.argv.slice(2);
const force = args.includes("--force");
const outArg = args.find((a) => a.startsWith("--outfile="));
const outfile = resolve(ROOT, outArg ? outArg.slice("--outfile=".length) : "dist/satchel");
const stampFile = `${outfile}.inputs`;
const hash = inputsHash();

if (!force && existsSync(outfile) && existsSync(stampFile) && readFileSync(stampFile, "utf8").trim() === hash) {
  console.log(`${relative(process.cwd(), outfile)}: up to date (${(Bun.file(outfile).size / 1024 / 1024).toFixed(1)} MB)`);
  process.exit(0);
}

mkdirSync(dirname(outfile), { recursive: true });
const tmp = `${outfile}.tmp-${process.pid}`;
const started = performance.now();
const proc = Bun.spawn([process.execPath, "build", "--compile", "--minify", "--sourcemap=none", "src/main.ts", "--outfile", tmp], {
  cwd: ROOT,
  stdout: "inherit",
  stderr: "inherit",
});
const code = await proc.exited;
if (code !== 0) {
  rmSync(tmp, { force: true });
  process.exit(code);
}
renameSync(tmp, outfile);
writeFileSync(stampFile, hash + "\n");
console.log(`${relative(process.cwd(), outfile)}: ${(Bun.file(outfile).size / 1024 / 1024).toFixed(1)} MB, built in ${((performance.now() - started) / 1000).toFixed(1)} s`);
