import { writeFileSync } from "node:fs";

/**
 * A counter in a small memory-mapped file shared by every process of `serve --workers=N`: a
 * process that changed collections or settings bumps it right after the commit, and every
 * process compares it with the value it last saw before it handles a request. So a rule change
 * answered by one worker is in force in every worker for the next request, with no message to
 * wait for, at the cost of one memory read per request.
 */
export class CacheGeneration {
  private readonly view: Int32Array;
  private seen: number;

  /** Maps `path` (created by `CacheGeneration.create`). */
  constructor(path: string) {
    const bytes = Bun.mmap(path);
    this.view = new Int32Array(bytes.buffer, bytes.byteOffset, 1);
    this.seen = Atomics.load(this.view, 0);
  }

  /** Creates (or resets) the shared file. */
  static create(path: string): void {
    writeFileSync(path, new Uint8Array(64));
  }

  /** Records a change made by this process. */
  bump(): void {
    const before = Atomics.add(this.view, 0, 1);
    // NB: if another process bumped since we last looked, keep `seen` behind so we reload too
    if (before === this.seen) this.seen = before + 1;
  }

  /** True (once) when another process changed something since the last call. */
  changed(): boolean {
    const now = Atomics.load(this.view, 0);
    if (now === this.seen) return false;
    this.seen = now;
    return true;
  }
}
