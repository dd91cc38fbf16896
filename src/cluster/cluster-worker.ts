import type { App } from "../core/app.ts";
import { ClusterMember } from "./cluster-member.ts";
import { IpcBus } from "./ipc-bus.ts";
import { WriteTurns } from "./write-turns.ts";
import type { CounterCall, PrimaryMessage, WorkerMessage } from "./protocol.ts";

/**
 * A worker's link to the primary of `serve --workers=N`: write turns, the shared cache
 * generation, the realtime bus, the replicated `$app.store()`, the shared counters and the
 * addresses of the other workers (to forward a realtime request to the worker that holds the
 * client's stream).
 */
export class ClusterWorker extends ClusterMember {
  /** The realtime bus of this process. */
  readonly bus: IpcBus;
  private readonly pending = new Map<number, (value: boolean) => void>();
  private nextCallId = 1;
  private peerUrls: { [slot: number]: string } = {};

  /** Links `app` to the primary through this process's IPC channel. */
  constructor(
    app: App,
    /** This worker's slot (0…N-1). */
    readonly slot: number,
    generationFile: string,
    private readonly send: (message: WorkerMessage) => void = (m) => process.send!(m),
  ) {
    const turns = new WriteTurns((m) => send({ t: m }));
    super(app, turns, generationFile, (change) => send({ t: "store", ...change }));
    this.bus = new IpcBus((event) => this.send({ t: "bus", event }));
  }

  /** Handles a message from the primary. */
  receive(m: PrimaryMessage): void {
    switch (m.t) {
      case "grant":
        return this.turns.granted();
      case "yield":
        return this.turns.yieldRequested();
      case "bus":
        return this.bus.deliver(m.event);
      case "reply": {
        const resolve = this.pending.get(m.id);
        this.pending.delete(m.id);
        return resolve?.(m.value);
      }
      case "peers":
        this.peerUrls = m.urls;
        return;
      case "store":
        if (m.op === "clear") this.store.apply({ op: "clear" });
        else if (m.op === "delete") this.store.apply({ op: "delete", key: m.key! });
        else this.store.apply({ op: "set", key: m.key!, value: m.value });
        return;
      case "store.snapshot":
        for (const [key, value] of m.entries) this.store.apply({ op: "set", key, value });
        return;
    }
  }

  /** Asks the primary's shared counters (rate limits, OTP attempts, resend throttles). */
  count(call: CounterCall): Promise<boolean> {
    const id = this.nextCallId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.send({ t: "call", id, call });
    });
  }

  /** The private address of the worker in `slot`, or null for this worker or an unknown one. */
  peerUrl(slot: number): string | null {
    return slot === this.slot ? null : (this.peerUrls[slot] ?? null);
  }
}
