import type { Router } from "../router.ts";
import type { App } from "../../core/app.ts";
import { registerHealthRoutes } from "./health.ts";
import { registerCollectionRoutes } from "./collections.ts";
import { registerSettingsRoutes } from "./settings.ts";
import { registerRecordAuthPasswordRoutes } from "./record-auth-password.ts";
import { registerRecordAuthMethodsRoutes } from "./record-auth-methods.ts";
import { registerRecordAuthVerificationRoutes } from "./record-auth-verification.ts";
import { registerRecordAuthPasswordResetRoutes } from "./record-auth-password-reset.ts";
import { registerRecordAuthEmailChangeRoutes } from "./record-auth-email-change.ts";
import { registerRecordAuthOTPRoutes } from "./record-auth-otp.ts";
import { registerRecordAuthOAuth2Routes } from "./record-auth-oauth2.ts";
import { registerRecordAuthOAuth2RedirectRoutes } from "./record-auth-oauth2-redirect.ts";
import { registerRecordAuthImpersonateRoutes } from "./record-auth-impersonate.ts";
import { registerRecordCrudRoutes } from "./record-crud.ts";
import { registerBatchRoutes } from "./batch.ts";
import { registerFileRoutes } from "./files.ts";
import { registerRealtimeRoutes } from "./realtime.ts";
import { registerAdminUiRoutes } from "./admin-ui.ts";
import { registerCronRoutes } from "./crons.ts";
import { tagCollectionRateLimits } from "../middleware/rate-limit.ts";

/** Registers every built-in API route. */
export function registerApiRoutes(router: Router, app: App): void {
  registerHealthRoutes(router);
  registerCollectionRoutes(router, app);
  registerSettingsRoutes(router, app);
  registerRecordAuthPasswordRoutes(router, app);
  registerRecordAuthMethodsRoutes(router, app);
  registerRecordAuthVerificationRoutes(router, app);
  registerRecordAuthPasswordResetRoutes(router, app);
  registerRecordAuthEmailChangeRoutes(router, app);
  registerRecordAuthOTPRoutes(router, app);
  registerRecordAuthOAuth2Routes(router, app);
  registerRecordAuthOAuth2RedirectRoutes(router, app);
  registerRecordAuthImpersonateRoutes(router, app);
  registerRecordCrudRoutes(router, app);
  registerBatchRoutes(router, app);
  registerFileRoutes(router, app);
  registerRealtimeRoutes(router, app);
  registerCronRoutes(router, app);
  registerAdminUiRoutes(router);
  tagCollectionRateLimits(router);
}
