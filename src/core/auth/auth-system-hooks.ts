import type { App } from "../app.ts";
import { quoteIdent } from "../../store/sqlite/database.ts";

/** The system collections whose rows belong to an auth record (`collectionRef` + `recordRef`). */
export const AUTH_LINKED_COLLECTIONS = ["_externalAuths", "_mfas", "_otps", "_authOrigins"] as const;

/**
 * PocketBase parity: deleting an auth record deletes its OAuth2 links, MFA sessions, OTPs and
 * auth origins in the same transaction; deleting an auth collection deletes those of all its
 * records.
 */
export function registerAuthSystemHooks(app: App): void {
  app.onRecordDeleteExecute().bind({
    id: "__satchelAuthLinkedCleanup__",
    func: (e) => {
      const c = e.record.collection();
      if (!c.isAuth()) return e.next();
      const r = e.next();
      for (const name of AUTH_LINKED_COLLECTIONS) {
        const linked = e.app.findCachedCollectionByNameOrId(name);
        if (linked) e.app.db().run(`DELETE FROM ${quoteIdent(linked.name)} WHERE collectionRef = ? AND recordRef = ?`, [c.id, e.record.id]);
      }
      return r;
    },
  });
  app.onCollectionAfterDeleteSuccess().bind({
    id: "__satchelAuthLinkedCollectionCleanup__",
    func: (e) => {
      if (e.collection.isAuth()) {
        for (const name of AUTH_LINKED_COLLECTIONS) {
          const linked = e.app.findCachedCollectionByNameOrId(name);
          if (linked) e.app.db().run(`DELETE FROM ${quoteIdent(linked.name)} WHERE collectionRef = ?`, [e.collection.id]);
        }
      }
      return e.next();
    },
  });
}
