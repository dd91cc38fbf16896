import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Subprocess } from "bun";

/** The repository root. */
export const REPO = resolve(import.meta.dir, "../..");
/** The CLI entry point, run from source. */
export const MAIN = join(REPO, "src/main.ts");
/** The Bun running the tests (the pinned one from node_modules). */
export const BUN = process.execPath;
/** `bun src/main.ts`: prefix of a command line that runs the CLI from source. */
export const FROM_SOURCE = [BUN, MAIN];

/** A finished CLI run. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Where and how to run a child. */
export interface SpawnOptions {
  cwd?: string;
  /** The whole environment of the child (default: this process's). */
  env?: { [k: string]: string | undefined };
}

const children = new Set<Subprocess>();

/** Runs a command line to completion and collects its output. */
export async function run(cmd: string[], opts: SpawnOptions = {}): Promise<CliResult> {
  const proc = Bun.spawn(cmd, { cwd: opts.cwd ?? REPO, env: opts.env ?? process.env, stdin: "ignore", stdout: "pipe", stderr: "pipe" });
  children.add(proc);
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  children.delete(proc);
  return { code, stdout, stderr };
}

/** Runs `bun src/main.ts …args`. */
export function cli(args: string[], opts: SpawnOptions = {}): Promise<CliResult> {
  return run([...FROM_SOURCE, ...args], opts);
}

/** A `serve` child process that has printed its start banner. */
export interface ServeProcess {
  proc: Subprocess<"ignore", "pipe", "pipe">;
  /** The base URL from the banner, e.g. `http://127.0.0.1:41234`. */
  url: string;
  /** Everything written to stdout / stderr so far. */
  stdout(): string;
  stderr(): string;
  /** Sends a signal and waits for the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number>;
}

function collect(stream: ReadableStream<Uint8Array>, sink: { text: string }): Promise<void> {
  const decoder = new TextDecoder();
  return (async () => {
    for await (const chunk of stream) sink.text += decoder.decode(chunk, { stream: true });
  })();
}

/**
 * Spawns a command line that runs `serve` and waits (at most `timeoutMs`) until it prints
 * "Server started at <url>". Throws with the output when it exits or times out first.
 */
export async function startServe(cmd: string[], opts: SpawnOptions & { timeoutMs?: number } = {}): Promise<ServeProcess> {
  const proc = Bun.spawn(cmd, { cwd: opts.cwd ?? REPO, env: opts.env ?? process.env, stdin: "ignore", stdout: "pipe", stderr: "pipe" });
  children.add(proc);
  void proc.exited.then(() => children.delete(proc));
  const out = { text: "" };
  const err = { text: "" };
  void collect(proc.stdout, out);
  void collect(proc.stderr, err);
  const deadline = Date.now() + (opts.timeoutMs ?? 10_000);
  let url = "";
  while (!url) {
    const m = /Server started at (http:\/\/\S+)/.exec(out.text);
    if (m) {
      url = m[1]!;
      break;
    }
    if (proc.exitCode !== null || Date.now() > deadline) {
      proc.kill("SIGKILL");
      throw new Error(`serve did not start (exit ${proc.exitCode}):\n${out.text}\n${err.text}`);
    }
    await Bun.sleep(10);
  }
  // the installer link, when there is one, is printed right after the banner
  await Bun.sleep(30);
  return {
    proc,
    url,
    stdout: () => out.text,
    stderr: () => err.text,
    async stop(signal: NodeJS.Signals = "SIGTERM") {
      proc.kill(signal);
      return await proc.exited;
    },
  };
}

/** Kills every child still running (call it in `afterAll`). */
export async function killChildren(): Promise<void> {
  for (const p of children) p.kill("SIGKILL");
  await Promise.all([...children].map((p) => p.exited));
  children.clear();
}

/** A new empty temporary folder; `cleanup()` removes every folder made so far. */
export function tempDir(prefix = "satchel-cli-"): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  made.push(d);
  return d;
}
const made: string[] = [];

/** Removes the folders made by `tempDir`. */
export function cleanupTempDirs(): void {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** True when the text holds a JavaScript stack frame line (`    at fn (file:1:2)`). */
export function hasStackTrace(text: string): boolean {
  return /^\s+at\s/m.test(text);
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freePort(): number {
  const s = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response() });
  const port = s.port!;
  s.stop(true);
  return port;
}
