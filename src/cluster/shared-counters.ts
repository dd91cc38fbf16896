import type { CounterKind, RateLimitCounter } from "../core/rate-limit/rate-limit-counter.ts";
import type { SharedCounters } from "./cluster-primary.ts";
import type { CounterCall } from "./protocol.ts";

/** The primary's answers to the workers' counter calls, kept in one counter per kind for the whole cluster. */
export class PrimaryCounters implements SharedCounters {
  /** `counterOf` gives the primary's own (in-memory, synchronous) counter of a kind. */
  constructor(private readonly counterOf: (kind: CounterKind) => RateLimitCounter) {}

  /** Performs one call. */
  answer(call: CounterCall): boolean {
    const counter = this.counterOf(call.kind);
    if (call.op === "reset") {
      counter.reset?.(call.key);
      return true;
    }
    return counter.hit(call.key, call.max, call.windowMs) as boolean;
  }
}

/** A worker's counter: every hit is counted by the primary, so limits hold across workers. */
export class WorkerCounter implements RateLimitCounter {
  /** `count` sends a call to the primary, for the primary's counter of `kind`. */
  constructor(
    private readonly kind: CounterKind,
    private readonly count: (call: CounterCall) => Promise<boolean>,
  ) {}

  /** Counts one hit in the primary. */
  hit(key: string, max: number, windowMs: number): Promise<boolean> {
    return this.count({ kind: this.kind, op: "hit", key, max, windowMs });
  }

  /** Forgets a key in the primary. */
  reset(key: string): void {
    void this.count({ kind: this.kind, op: "reset", key, max: 0, windowMs: 0 });
  }

  /** The primary sweeps its own counter. */
  sweep(): void {}
}
