import type { Router } from "../router.ts";
import type { App } from "../../core/app.ts";
import type { RequestEvent } from "../../core/request-event.ts";
import type { Collection } from "../../core/collections/collection.ts";
import type { Record } from "../../core/records/record.ts";
import { ApiError } from "../../core/api-error.ts";
import { findAuthRecordByEmail, findFirstRecordByData } from "../../core/records/record-query.ts";
import { canAccessRecord } from "../../core/records/record-access.ts";
import { sendRecordAuthResponse } from "./record-auth-response.ts";

/** The auth collection of the request, or a 404. */
export function authCollection(e: RequestEvent): Collection {
  const c = e.app.findCollectionByNameOrId(e.params.collection!);
  if (!c.isAuth()) throw new ApiError(404, "Missing auth collection context.");
  return c;
}

/** The `authRule` check done after an identity is verified. */
export function checkAuthRule(e: RequestEvent, record: Record): void {
  const rule = record.collection().authRule ?? null;
  if (rule === null) throw new ApiError(403, "The request doesn't satisfy the collection requirements to authenticate.");
  if (rule === "") return;
  if (!canAccessRecord(e.app, record, e.requestInfo(), rule)) {
    throw new ApiError(403, "The request doesn't satisfy the collection requirements to authenticate.");
  }
}

/** `auth-with-password` and `auth-refresh` for every auth collection (superusers included). */
export function registerRecordAuthPasswordRoutes(router: Router, app: App): void {
  const h = app.hooks;
  router.add("POST", "/api/collections/{collection}/auth-with-password", async (e) => {
    const c = authCollection(e);
    if (!c.passwordAuth?.enabled) throw new ApiError(403, "The collection is not configured to allow password authentication.");
    const identity = typeof e.body.identity === "string" ? e.body.identity : "";
    const password = typeof e.body.password === "string" ? e.body.password : "";
    const identityField = typeof e.body.identityField === "string" ? e.body.identityField : "";
    const errors: { [k: string]: { code: string; message: string } } = {};
    if (!identity) errors.identity = { code: "validation_required", message: "Cannot be blank." };
    if (!password) errors.password = { code: "validation_required", message: "Cannot be blank." };
    if (identity.length > 255) errors.identity = { code: "validation_length_too_long", message: "The length must be no more than 255." };
    if (identityField && !c.passwordAuth.identityFields.includes(identityField)) errors.identityField = { code: "validation_in_invalid", message: "Must be a valid value." };
    if (Object.keys(errors).length) throw new ApiError(400, "An error occurred while validating the submitted data.", errors);

    e.collection = c;
    e.set("identity", identity);
    e.set("identityField", identityField);
    e.set("password", password);
    e.context = "password";
    const fields = identityField ? [identityField] : c.passwordAuth.identityFields;
    let record: Record | null = null;
    for (const name of fields) {
      record = name === "email" ? findAuthRecordByEmail(e.app, c, identity) : findFirstRecordByData(e.app, c, name, identity);
      if (record) break;
    }
    e.record = record;
    await h.recordAuthWithPasswordRequest.triggerAsync(e, async (ev) => {
      const r = ev.record;
      // PocketBase parity: the same 400 whether the account is missing or the password wrong
      const ok = r ? await verifyPassword(r, String(ev.get("password") ?? "")) : await Bun.password.hash("timing-equaliser", { algorithm: "bcrypt", cost: 4 }).then(() => false);
      if (!r || !ok) throw new ApiError(400, "Failed to authenticate.");
      checkAuthRule(ev, r);
      await sendRecordAuthResponse(ev, r, "password");
    }, [c.id, c.name]);
  });

  router.add("POST", "/api/collections/{collection}/auth-refresh", async (e) => {
    const c = authCollection(e);
    if (!e.auth) throw new ApiError(401, "The request requires valid record authorization token.");
    if (e.auth.collection().id !== c.id) throw new ApiError(403, "The request requires valid auth record of the collection.");
    e.collection = c;
    e.record = e.auth;
    await h.recordAuthRefreshRequest.triggerAsync(e, async (ev) => {
      checkAuthRule(ev, ev.record!);
      await sendRecordAuthResponse(ev, ev.record!, "");
    }, [c.id, c.name]);
  });
}

/** Checks a password against the bcrypt hash off the JS thread. */
async function verifyPassword(record: Record, plain: string): Promise<boolean> {
  const hash = String(record.get("password:hash") ?? "");
  if (!hash || !plain) return false;
  try {
    return await Bun.password.verify(plain, hash);
  } catch {
    return false;
  }
}
