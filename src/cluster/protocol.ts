/**
 * The messages between the primary process of `serve --workers=N` and its workers, sent over
 * Bun's IPC channel (structured clone). Workers never talk to each other directly: the primary
 * relays.
 */
import type { BusEvent } from "../core/realtime/bus.ts";
import type { CounterKind } from "../core/rate-limit/rate-limit-counter.ts";

/** A shared-counter operation answered by the primary (rate limits, OTP and resend throttles). */
export interface CounterCall {
  kind: CounterKind;
  op: "hit" | "reset";
  key: string;
  max: number;
  windowMs: number;
}

/** What a worker sends to the primary. */
export type WorkerMessage =
  | { t: "ready"; slot: number; peerUrl: string }
  | { t: "want" }
  | { t: "release" }
  | { t: "bus"; event: BusEvent }
  | { t: "call"; id: number; call: CounterCall }
  | { t: "store"; op: "set" | "delete" | "clear"; key?: string; value?: unknown };

/** What the primary sends to a worker. */
export type PrimaryMessage =
  | { t: "grant" }
  | { t: "yield" }
  | { t: "bus"; event: BusEvent }
  | { t: "reply"; id: number; value: boolean }
  | { t: "peers"; urls: { [slot: number]: string } }
  | { t: "store"; op: "set" | "delete" | "clear"; key?: string; value?: unknown }
  | { t: "store.snapshot"; entries: [string, unknown][] };

/** The environment variables that make a `serve` process a worker. */
export const WORKER_ENV = {
  /** The worker's slot, 0…N-1. */
  slot: "SATCHEL_WORKER_SLOT",
  /** The secret the workers use to forward requests to each other. */
  peerSecret: "SATCHEL_PEER_SECRET",
  /** The file that holds the shared cache generation. */
  generationFile: "SATCHEL_GENERATION_FILE",
} as const;
