import type { Router } from "../router.ts";

/** `GET /api/health`: public; superusers also get `canBackup`, `realIP`, `possibleProxyHeader`. */
export function registerHealthRoutes(router: Router): void {
  const handler = (e: import("../../core/request-event.ts").RequestEvent) => {
    const data: { [k: string]: unknown } = {};
    if (e.hasSuperuserAuth()) {
      data.canBackup = true;
      data.realIP = e.remoteIP;
      data.possibleProxyHeader = "";
    }
    e.json(200, { message: "API is healthy.", code: 200, data });
  };
  router.add("GET", "/api/health", handler);
}
