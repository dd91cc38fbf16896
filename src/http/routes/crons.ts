import type { Router } from "../router.ts";
import type { App } from "../../core/app.ts";
import { requireSuperuserAuth } from "../middleware/require-auth.ts";
import { ApiError } from "../../core/api-error.ts";
import { appCron } from "../../core/cron/app-cron.ts";

/**
 * `GET /api/crons` (the registered jobs, sorted by id with PocketBase's `__pb…` jobs last) and
 * `POST /api/crons/{id}` (runs a job now, in the background, and answers 204). Superusers only.
 */
export function registerCronRoutes(router: Router, app: App): void {
  router.add("GET", "/api/crons", (e) => {
    e.json(200, appCron(app).jobs());
  }, requireSuperuserAuth);

  router.add("POST", "/api/crons/{id}", (e) => {
    const cron = appCron(app);
    const id = e.params.id ?? "";
    if (!cron.job(id)) throw new ApiError(404, "Missing or invalid cron job.");
    // PocketBase parity: the job runs asynchronously; the response does not wait for it
    void cron.run(id);
    e.noContent(204);
  }, requireSuperuserAuth);
}
