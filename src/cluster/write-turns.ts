/**
 * Cross-process write turns for `serve --workers=N`. SQLite allows one writer at a time, and a
 * process that waits in SQLite's busy handler sleeps inside a synchronous call with its event
 * loop frozen (reference/runtime-notes.md §1). So the processes take turns *before* they write:
 * a process asks the primary for the turn asynchronously, then runs every write request it has
 * in flight; when another process asks, it stops admitting new write requests, finishes the
 * ones in flight and hands the turn on. Inside a process, write requests still run concurrently
 * (their transactions are synchronous, so they never interleave), and reads never wait.
 */

/** The side of a process: admits write requests while it holds the turn. */
export class WriteTurns {
  private held = false;
  private inflight = 0;
  private requested = false;
  private yieldAsked = false;
  private queue: (() => void)[] = [];

  /** `send` carries the process's requests to the arbiter. */
  constructor(private readonly send: (message: "want" | "release") => void) {}

  /** True while this process holds the turn. */
  holds(): boolean {
    return this.held;
  }

  /** Waits for the turn; resolves with the function that ends this request's use of it. */
  acquire(): Promise<() => void> {
    if (this.held && !this.yieldAsked) {
      this.inflight++;
      return Promise.resolve(this.releaser());
    }
    return new Promise((resolve) => {
      this.queue.push(() => resolve(this.releaser()));
      this.ask();
    });
  }

  /** The arbiter gave this process the turn: admit everything that waits. */
  granted(): void {
    this.held = true;
    this.requested = false;
    this.yieldAsked = false;
    const waiting = this.queue;
    this.queue = [];
    this.inflight += waiting.length;
    for (const admit of waiting) admit();
    if (this.inflight === 0 && this.yieldAsked) this.giveBack();
  }

  /** Another process waits: admit nothing new, hand the turn on once the requests in flight end. */
  yieldRequested(): void {
    if (!this.held) return;
    this.yieldAsked = true;
    if (this.inflight === 0) this.giveBack();
  }

  private releaser(): () => void {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.inflight--;
      if (this.inflight === 0 && this.held && this.yieldAsked) this.giveBack();
    };
  }

  private ask(): void {
    if (this.held || this.requested) return;
    this.requested = true;
    this.send("want");
  }

  private giveBack(): void {
    this.held = false;
    this.yieldAsked = false;
    this.send("release");
    if (this.queue.length > 0) this.ask();
  }
}

/**
 * The primary's side: who holds the turn and who waits, first come first served. A process that
 * exits loses its turn and its place (SQLite releases the file lock of a dead process by itself).
 */
export class WriteTurnArbiter<P> {
  private holder: P | null = null;
  private waiting: P[] = [];
  private yieldSent = false;

  /** `send` delivers "grant" or "yield" to a process. */
  constructor(private readonly send: (to: P, message: "grant" | "yield") => void) {}

  /** The process that holds the turn, if any. */
  current(): P | null {
    return this.holder;
  }

  /** A process asks for the turn. */
  want(who: P): void {
    if (this.holder === who) return;
    if (this.holder === null) {
      this.holder = who;
      this.send(who, "grant");
      return;
    }
    if (!this.waiting.includes(who)) this.waiting.push(who);
    if (!this.yieldSent) {
      this.yieldSent = true;
      this.send(this.holder, "yield");
    }
  }

  /** The holder gives the turn back. */
  release(who: P): void {
    if (this.holder !== who) return;
    this.holder = null;
    this.yieldSent = false;
    this.next();
  }

  /** A process went away. */
  gone(who: P): void {
    this.waiting = this.waiting.filter((w) => w !== who);
    if (this.holder === who) this.release(who);
  }

  private next(): void {
    const w = this.waiting.shift();
    if (w === undefined) return;
    this.holder = w;
    this.send(w, "grant");
    if (this.waiting.length > 0) {
      this.yieldSent = true;
      this.send(w, "yield");
    }
  }
}
