import type { App } from "../app.ts";
import type { Collection } from "./collection.ts";
import { findAllRecords } from "../records/record-query.ts";

/**
 * Deletes every record of a collection, one by one through the delete pipeline so hooks and
 * relation cascades run, in one transaction.
 */
export function truncateCollection(app: App, c: Collection): void {
  app.runInTransaction((tx) => {
    for (const r of findAllRecords(tx, c)) tx.delete(r);
  });
}
