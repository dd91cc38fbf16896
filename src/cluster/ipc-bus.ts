import type { BusEvent, RealtimeBus } from "../core/realtime/bus.ts";

/**
 * The realtime bus of a cluster process: events published here go to the primary, which relays
 * them to every other process; events relayed from elsewhere arrive through `deliver`.
 */
export class IpcBus implements RealtimeBus {
  private readonly handlers = new Set<(event: BusEvent) => void>();

  /** `send` hands an event to the primary. */
  constructor(private readonly send: (event: BusEvent) => void) {}

  /** Sends the event to the other processes (local handlers ignore their own events). */
  publish(event: BusEvent): void {
    this.send(event);
  }

  /** Adds a handler. */
  subscribe(handler: (event: BusEvent) => void): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  /** An event from another process. */
  deliver(event: BusEvent): void {
    for (const h of [...this.handlers]) {
      try {
        h(event);
      } catch (err) {
        console.error("[satchel] realtime bus handler failed:", err);
      }
    }
  }
}
