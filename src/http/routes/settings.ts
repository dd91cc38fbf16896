import type { Router } from "../router.ts";
import type { App } from "../../core/app.ts";
import { requireSuperuserAuth } from "../middleware/require-auth.ts";
import { deepMerge, maskSettings, type Settings } from "../../core/settings/settings-defaults.ts";
import { validateSettings } from "../../core/settings/settings-validate.ts";
import { ApiError, ValidationError } from "../../core/api-error.ts";

/** `GET`/`PATCH /api/settings` and the test endpoints (superusers only). */
export function registerSettingsRoutes(router: Router, app: App): void {
  const h = app.hooks;
  router.add("GET", "/api/settings", async (e) => {
    e.result = maskSettings(e.app.settings());
    await h.settingsListRequest.triggerAsync(e, (ev) => ev.json(200, ev.result));
  }, requireSuperuserAuth);

  router.add("PATCH", "/api/settings", async (e) => {
    const next = deepMerge<Settings>(structuredClone(e.app.settings()), e.body);
    e.result = next;
    await h.settingsUpdateRequest.triggerAsync(e, (ev) => {
      const s = ev.result as Settings;
      try {
        validateSettings(s);
      } catch (err) {
        if (err instanceof ValidationError) throw new ApiError(400, "An error occurred while saving the new settings.", err.errors);
        throw err;
      }
      ev.app.saveSettings(s);
      ev.json(200, maskSettings(s));
    });
  }, requireSuperuserAuth);

  router.add("POST", "/api/settings/test/s3", (e) => {
    const fs = String(e.body.filesystem ?? "storage");
    const s = e.app.settings();
    const cfg = fs === "backups" ? s.backups.s3 : s.s3;
    if (!cfg.enabled) throw new ApiError(400, "S3 storage is not configured or not enabled.");
    throw new ApiError(400, "S3 storage support is not available in this build yet.");
  }, requireSuperuserAuth);

  router.add("POST", "/api/settings/test/email", (e) => {
    if (!e.app.settings().smtp.enabled) throw new ApiError(400, "SMTP is not configured or not enabled.");
    throw new ApiError(400, "Sending mail is not available in this build yet.");
  }, requireSuperuserAuth);
}
