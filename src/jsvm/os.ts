import * as fs from "node:fs";
import * as path from "node:path";
import { tmpdir } from "node:os";
import { dirFS } from "./apis.ts";

function fileInfo(p: string, st: fs.Stats) {
  return {
    name: () => path.basename(p),
    size: () => st.size,
    isDir: () => st.isDirectory(),
    mode: () => st.mode,
    modTime: () => st.mtime,
  };
}

function bytes(data: unknown): Uint8Array | string {
  if (typeof data === "string" || data instanceof Uint8Array) return data;
  if (Array.isArray(data)) return Uint8Array.from(data as number[]);
  return String(data ?? "");
}

/**
 * PocketBase's `$os`: files, directories and environment. `cmd(name, ...args)` runs a program
 * synchronously (`.output()`, `.combinedOutput()`, `.run()`), as Go's `exec.Cmd` does.
 */
export const os = {
  args: process.argv.slice(1),
  getenv: (key: string) => process.env[String(key)] ?? "",
  exit: (code = 0) => process.exit(Number(code) || 0),
  getwd: () => process.cwd(),
  tempDir: () => tmpdir(),
  dirFS,
  readFile: (p: string) => new Uint8Array(fs.readFileSync(String(p))),
  writeFile: (p: string, data: unknown, perm = 0o644) => fs.writeFileSync(String(p), bytes(data), { mode: perm }),
  readDir: (p: string) =>
    fs.readdirSync(String(p), { withFileTypes: true }).map((d) => ({ name: () => d.name, isDir: () => d.isDirectory(), type: () => (d.isDirectory() ? "dir" : "file") })),
  stat: (p: string) => fileInfo(String(p), fs.statSync(String(p))),
  mkdir: (p: string, perm = 0o755) => fs.mkdirSync(String(p), { mode: perm }),
  mkdirAll: (p: string, perm = 0o755) => void fs.mkdirSync(String(p), { recursive: true, mode: perm }),
  rename: (from: string, to: string) => fs.renameSync(String(from), String(to)),
  remove: (p: string) => fs.rmSync(String(p)),
  removeAll: (p: string) => fs.rmSync(String(p), { recursive: true, force: true }),
  truncate: (p: string, size = 0) => fs.truncateSync(String(p), Number(size) || 0),
  cmd: (name: string, ...args: string[]) => {
    const run = () => Bun.spawnSync([String(name), ...args.map(String)], { stdout: "pipe", stderr: "pipe" });
    return {
      output: () => {
        const r = run();
        if (r.exitCode !== 0) throw new Error(`exit status ${r.exitCode}: ${r.stderr.toString().trim()}`);
        return new Uint8Array(r.stdout);
      },
      combinedOutput: () => {
        const r = run();
        return new Uint8Array(Buffer.concat([r.stdout, r.stderr]));
      },
      run: () => {
        const r = run();
        if (r.exitCode !== 0) throw new Error(`exit status ${r.exitCode}`);
      },
    };
  },
};

/** PocketBase's `$filepath` (Go's path/filepath) over node:path. */
export const filepath = {
  base: (p: string) => path.basename(String(p)) || ".",
  clean: (p: string) => path.normalize(String(p)).replace(/(.)\/$/, "$1"),
  dir: (p: string) => path.dirname(String(p)),
  ext: (p: string) => path.extname(String(p)),
  isAbs: (p: string) => path.isAbsolute(String(p)),
  join: (...parts: string[]) => path.join(...parts.map(String)),
  rel: (base: string, target: string) => path.relative(String(base), String(target)),
  split: (p: string) => {
    const s = String(p);
    const i = s.lastIndexOf("/");
    return [s.slice(0, i + 1), s.slice(i + 1)];
  },
  toSlash: (p: string) => String(p).split(path.sep).join("/"),
  fromSlash: (p: string) => String(p).split("/").join(path.sep),
  match: (pattern: string, name: string) => new Bun.Glob(String(pattern)).match(String(name)),
  glob: (pattern: string) => [...new Bun.Glob(path.basename(String(pattern))).scanSync({ cwd: path.dirname(String(pattern)), absolute: true })],
};
