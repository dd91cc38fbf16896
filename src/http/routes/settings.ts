import type { Router } from "../router.ts";
import type { App } from "../../core/app.ts";
import { requireSuperuserAuth } from "../middleware/require-auth.ts";
import { deepMerge, maskSettings, type Settings } from "../../core/settings/settings-defaults.ts";
import { validateSettings } from "../../core/settings/settings-validate.ts";
import { ApiError, ValidationError, fieldError } from "../../core/api-error.ts";
import { testS3Connection } from "../../core/files/file-storage.ts";
import { sendTestEmail } from "../../core/mail/test-email.ts";
import { generateAppleClientSecret } from "../../core/auth/oauth2/apple-client-secret.ts";

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

  router.add("POST", "/api/settings/test/s3", async (e) => {
    const fs = e.body.filesystem;
    if (fs !== "storage" && fs !== "backups") {
      throw new ApiError(400, "An error occurred while validating the submitted data.", { filesystem: fieldError(fs ? "validation_in_invalid" : "validation_required", fs ? "Must be a valid value." : "Cannot be blank.") });
    }
    const s = e.app.settings();
    const cfg = fs === "backups" ? s.backups.s3 : s.s3;
    if (!cfg.enabled) throw new ApiError(400, "S3 storage filesystem is not enabled.");
    try {
      await testS3Connection(cfg);
    } catch (err) {
      throw new ApiError(400, "Failed to test the S3 filesystem. Raw error:\n" + (err instanceof Error ? err.message : String(err)), {}, { cause: err });
    }
    e.noContent(204);
  }, requireSuperuserAuth);

  router.add("POST", "/api/settings/test/email", async (e) => {
    await sendTestEmail(e.app, e.body);
    e.noContent(204);
  }, requireSuperuserAuth);

  router.add("POST", "/api/settings/apple/generate-client-secret", (e) => {
    e.json(200, { secret: generateAppleClientSecret(e.body) });
  }, requireSuperuserAuth);
}
