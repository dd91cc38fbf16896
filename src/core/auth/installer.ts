import type { App } from "../app.ts";
import { Record } from "../records/record.ts";
import { newAuthToken } from "./tokens.ts";
import { randomString } from "../../tools/security.ts";
import { quoteIdent } from "../../store/sqlite/database.ts";

/** The placeholder superuser PocketBase creates until the first real one exists. */
export const INSTALLER_EMAIL = "__pbinstaller@example.com";

/**
 * PocketBase parity: when there is no superuser (ignoring the installer placeholder), create the
 * placeholder with a random password and return a 30-minute, non-refreshable auth token for the
 * dashboard's install page. Returns null when a real superuser exists.
 */
export function ensureInstallerSuperuser(app: App): string | null {
  const c = app.findCollectionByNameOrId("_superusers");
  const real = app.db().get(`SELECT 1 FROM ${quoteIdent(c.name)} WHERE email != ? LIMIT 1`, [INSTALLER_EMAIL]);
  if (real) return null;
  let placeholder: Record | null = null;
  const row = app.db().get(`SELECT * FROM ${quoteIdent(c.name)} WHERE email = ? LIMIT 1`, [INSTALLER_EMAIL]);
  if (row) placeholder = Record.fromRow(c, row);
  else {
    placeholder = new Record(c);
    placeholder.setEmail(INSTALLER_EMAIL);
    placeholder.setPassword(randomString(30));
    app.save(placeholder);
  }
  return newAuthToken(placeholder, false, 30 * 60);
}

/** Removes the installer placeholder (called once a real superuser is created). */
export function deleteInstallerSuperuser(app: App): void {
  const c = app.findCachedCollectionByNameOrId("_superusers");
  if (!c) return;
  app.db().run(`DELETE FROM ${quoteIdent(c.name)} WHERE email = ?`, [INSTALLER_EMAIL]);
}
