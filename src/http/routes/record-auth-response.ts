import type { RequestEvent } from "../../core/request-event.ts";
import type { Record } from "../../core/records/record.ts";
import { newAuthToken } from "../../core/auth/tokens.ts";

/**
 * Sends PocketBase's auth response `{token, record, meta?}` through `onRecordAuthRequest`. The
 * record always includes its email here.
 */
export async function sendRecordAuthResponse(e: RequestEvent, record: Record, authMethod: string, meta?: unknown): Promise<void> {
  e.record = record;
  e.collection = record.collection();
  e.token = newAuthToken(record);
  e.meta = meta;
  e.authMethod = authMethod;
  await e.app.hooks.recordAuthRequest.triggerAsync(
    e,
    (ev) => {
      const r = ev.record!;
      r.ignoreEmailVisibility(true);
      if (ev.hasSuperuserAuth() || r.collection().name === "_superusers") r.unhideAll();
      const body: { [k: string]: unknown } = { token: ev.token, record: r };
      if (ev.meta !== undefined) body.meta = ev.meta;
      ev.json(200, body);
    },
    [record.collection().id, record.collection().name],
  );
}
