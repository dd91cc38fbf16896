import { isIP } from "node:net";
import type { RequestEvent } from "../../core/request-event.ts";
import type { Record } from "../../core/records/record.ts";
import { ApiError } from "../../core/api-error.ts";
import { newAuthToken } from "../../core/auth/tokens.ts";
import { canAccessRecord } from "../../core/records/record-access.ts";
import { checkMFA } from "../../core/auth/mfa.ts";
import { handleAuthAlert } from "../../core/auth/auth-origins.ts";
import { expandRecords } from "../../core/records/record-expand.ts";
import { enrichRecords } from "../../core/records/record-visibility.ts";

/** Options of an auth response. */
export interface AuthResponseOptions {
  /** Send this token instead of a new refreshable one (non-refreshable refresh, impersonate). */
  token?: string;
}

/**
 * The client IP: PocketBase parity, the right-most valid IP of the first configured trusted
 * proxy header (left-most with `useLeftmostIP`), else the remote address.
 */
export function realIP(e: RequestEvent): string {
  const tp = e.app.settings().trustedProxy;
  for (const name of tp?.headers ?? []) {
    const v = e.request.headers.get(name);
    if (!v) continue;
    const ips = v.split(",").map((s) => s.trim()).filter((s) => isIP(s) !== 0);
    if (ips.length > 0) return tp.useLeftmostIP ? ips[0]! : ips[ips.length - 1]!;
  }
  return e.remoteIP;
}

/** The `mfaId` of a second-factor request, from the query or the body. */
function requestedMfaId(e: RequestEvent): string {
  const q = e.url.searchParams.get("mfaId");
  if (q) return q;
  return typeof e.body.mfaId === "string" ? e.body.mfaId : "";
}

/**
 * Sends PocketBase's auth response `{token, record, meta?}` through `onRecordAuthRequest`.
 * Before the hook: the collection's `authRule` (superusers pass, null blocks everyone else).
 * Inside the built-in link: the MFA step for real sign-ins (`authMethod` set; a first factor
 * answers 401 `{mfaId}`), `expand` and the enrich step (as the signed-in record), then the
 * new-location alert. The record always includes its email.
 */
export async function sendRecordAuthResponse(e: RequestEvent, record: Record, authMethod: string, meta?: unknown, opts: AuthResponseOptions = {}): Promise<void> {
  const c = record.collection();
  if (!canAccessRecord(e.app, record, e.requestInfo(), c.authRule ?? null)) {
    throw new ApiError(403, "The request doesn't satisfy the collection requirements to authenticate.");
  }
  e.record = record;
  e.collection = c;
  e.token = opts.token ?? newAuthToken(record);
  e.meta = meta;
  e.authMethod = authMethod;
  await e.app.hooks.recordAuthRequest.triggerAsync(
    e,
    (ev) => {
      if (ev.response) return;
      const r = ev.record!;
      const mfaId = checkMFA(ev.app, r, ev.authMethod ?? "", requestedMfaId(ev));
      if (mfaId) {
        // PocketBase parity: exactly {"mfaId": "..."} with 401, no error envelope
        ev.json(401, { mfaId });
        return;
      }
      const info = { ...ev.requestInfo(), auth: r };
      const expand = ev.url.searchParams.get("expand");
      if (expand) expandRecords(ev.app, [r], expand, info);
      enrichRecords(ev.app, [r], info);
      r.ignoreEmailVisibility(true);
      if (ev.hasSuperuserAuth() || r.collection().name === "_superusers") r.unhideAll();
      const body: { [k: string]: unknown } = { token: ev.token, record: r };
      if (ev.meta !== undefined && ev.meta !== null) body.meta = ev.meta;
      ev.json(200, body);
      if (ev.authMethod && r.collection().authAlert?.enabled) {
        try {
          handleAuthAlert(ev.app, r, realIP(ev), ev.request.headers.get("user-agent") ?? "");
        } catch (err) {
          console.error("Failed to record the auth origin:", err instanceof Error ? err.message : err);
        }
      }
    },
    [c.id, c.name],
  );
}
