import type { RateLimitCounter } from "../core/rate-limit/rate-limit-counter.ts";
import type { SharedCounters } from "./cluster-primary.ts";
import type { CounterCall } from "./protocol.ts";

/** The primary's answers to the workers' counter calls, kept in one counter for the whole cluster. */
export class PrimaryCounters implements SharedCounters {
  /** Counts in `counter` (the primary's own, in-memory). */
  constructor(private readonly counter: RateLimitCounter) {}

  /** Performs one call. NB: the primary's counter is synchronous. */
  answer(call: CounterCall): boolean {
    if (call.op === "reset") {
      this.counter.reset?.(call.key);
      return true;
    }
    return this.counter.hit(call.key, call.max, call.windowMs) as boolean;
  }
}

/** A worker's counter: every hit is counted by the primary, so limits hold across workers. */
export class WorkerCounter implements RateLimitCounter {
  /** `count` sends a call to the primary. */
  constructor(private readonly count: (call: CounterCall) => Promise<boolean>) {}

  /** Counts one hit in the primary. */
  hit(key: string, max: number, windowMs: number): Promise<boolean> {
    return this.count({ op: "hit", key, max, windowMs });
  }

  /** Forgets a key in the primary. */
  reset(key: string): void {
    void this.count({ op: "reset", key, max: 0, windowMs: 0 });
  }

  /** The primary sweeps its own counter. */
  sweep(): void {}
}
