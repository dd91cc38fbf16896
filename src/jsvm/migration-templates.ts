import type { Collection } from "../core/collections/collection.ts";

const HEADER = `/// <reference path="../pb_data/types.d.ts" />\n`;

/** `migrate create NAME`: an empty migration (PocketBase's template). */
export function blankMigrationTemplate(): string {
  return `${HEADER}migrate((app) => {
  // add up queries...

}, (app) => {
  // add down queries...

})
`;
}

/**
 * `migrate collections`: every collection as `app.importCollections(snapshot, false)`
 * (PocketBase parity: `created`/`updated` and the OAuth2 providers are left out; token secrets
 * are blank, so an import keeps the existing ones or generates new ones).
 */
export function collectionsSnapshotTemplate(collections: Collection[]): string {
  const snapshot = collections.map((c) => {
    const j = c.toJSON() as unknown as { [k: string]: unknown };
    delete j.created;
    delete j.updated;
    if (j.oauth2 && typeof j.oauth2 === "object") j.oauth2 = { ...(j.oauth2 as object), providers: [] };
    return j;
  });
  const body = JSON.stringify(snapshot, null, 2).replace(/\n/g, "\n  ");
  return `${HEADER}migrate((app) => {
  const snapshot = ${body};

  return app.importCollections(snapshot, false);
}, (app) => {
  return null;
})
`;
}
