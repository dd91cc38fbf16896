import type { App } from "./app.ts";
import { ApiError } from "./api-error.ts";
import { INSTALLER_EMAIL, deleteInstallerSuperuser } from "./auth/installer.ts";
import { quoteIdent } from "../store/sqlite/database.ts";
import { registerFileHooks } from "./files/record-files.ts";
import { registerAuthSystemHooks } from "./auth/auth-system-hooks.ts";

/**
 * Built-in behaviour that PocketBase attaches through its own hooks: creating a real superuser
 * removes the installer placeholder, and the last superuser cannot be deleted.
 */
export function registerSystemHooks(app: App): void {
  registerFileHooks(app);
  registerAuthSystemHooks(app);
  app.onRecordAfterCreateSuccess("_superusers").bind({
    id: "__satchelInstallerCleanup__",
    func: (e) => {
      if (e.record.email() !== INSTALLER_EMAIL) deleteInstallerSuperuser(e.app);
      return e.next();
    },
  });
  app.onRecordDelete("_superusers").bind({
    id: "__satchelLastSuperuser__",
    priority: -1000,
    func: (e) => {
      const c = e.record.collection();
      const row = e.app.db().get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${quoteIdent(c.name)} WHERE email != ?`, [INSTALLER_EMAIL]);
      if ((row?.n ?? 0) <= 1 && e.record.email() !== INSTALLER_EMAIL) {
        throw new ApiError(400, "You can't delete the only existing superuser.");
      }
      return e.next();
    },
  });
}
