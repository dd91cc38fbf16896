import type { Router } from "../router.ts";
import type { App } from "../../core/app.ts";
import { registerHealthRoutes } from "./health.ts";
import { registerCollectionRoutes } from "./collections.ts";
import { registerSettingsRoutes } from "./settings.ts";
import { registerRecordAuthPasswordRoutes } from "./record-auth-password.ts";
import { registerRecordCrudRoutes } from "./record-crud.ts";

/** Registers every built-in API route. */
export function registerApiRoutes(router: Router, app: App): void {
  registerHealthRoutes(router);
  registerCollectionRoutes(router, app);
  registerSettingsRoutes(router, app);
  registerRecordAuthPasswordRoutes(router, app);
  registerRecordCrudRoutes(router, app);
}
