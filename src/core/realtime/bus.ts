/**
 * The seam through which realtime events travel between processes (workers, nodes). A broker
 * handles the changes of its own process directly and publishes them on the bus; it delivers
 * the events other processes publish to its own clients. With one process the bus is local and
 * nothing travels.
 */

/** A committed record change. */
export interface RecordChangeEvent {
  kind: "record";
  action: "create" | "update" | "delete";
  collectionId: string;
  recordId: string;
  /**
   * Delete only: the record's stored column values (as in its table row), since the row is gone
   * by the time other processes hear of it.
   */
  row?: { [column: string]: unknown };
}

/** A custom message for every client subscribed to `topic` (`broker.broadcast`). */
export interface TopicMessageEvent {
  kind: "topic";
  topic: string;
  data: string;
}

/** What travels on the bus. `origin` identifies the publishing broker. */
export type BusEvent = (RecordChangeEvent | TopicMessageEvent) & { origin: string };

/** A transport for realtime events between brokers. */
export interface RealtimeBus {
  /** Sends an event to every subscriber (the publisher's own handler included). */
  publish(event: BusEvent): void;
  /** Receives events; returns the function that stops receiving. */
  subscribe(handler: (event: BusEvent) => void): () => void;
}

/** The one-process bus: handlers in this process only (brokers ignore their own events). */
export class LocalBus implements RealtimeBus {
  private readonly handlers = new Set<(event: BusEvent) => void>();

  /** Calls every handler synchronously; a failing handler does not stop the others. */
  publish(event: BusEvent): void {
    for (const h of [...this.handlers]) {
      try {
        h(event);
      } catch (err) {
        console.error("[satchel] realtime bus handler failed:", err);
      }
    }
  }

  /** Adds a handler. */
  subscribe(handler: (event: BusEvent) => void): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }
}
