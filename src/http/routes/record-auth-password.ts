import type { Router } from "../router.ts";
import type { App } from "../../core/app.ts";
import type { RequestEvent } from "../../core/request-event.ts";
import type { Collection } from "../../core/collections/collection.ts";
import type { Record } from "../../core/records/record.ts";
import { ApiError } from "../../core/api-error.ts";
import { findAuthRecordByEmail, findFirstRecordByData } from "../../core/records/record-query.ts";
import { sendRecordAuthResponse } from "./record-auth-response.ts";
import { findAuthRecordByToken } from "../../core/auth/tokens.ts";
import { Record as RecordModel } from "../../core/records/record.ts";
import { parseIndex } from "../../core/collections/index-parse.ts";
import { isEmailAddress } from "../../core/fields/email.ts";
import { quoteIdent } from "../../store/sqlite/database.ts";

/** The auth collection of the request; PocketBase's 404 for unknown and non-auth collections. */
export function authCollection(e: RequestEvent): Collection {
  const c = e.app.findCachedCollectionByNameOrId(e.params.collection ?? "");
  if (!c || !c.isAuth()) throw new ApiError(404, "Missing or invalid auth collection context.");
  return c;
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
    // the JS hooks API names (e.identity, e.identityField, e.password)
    Object.assign(e, { identity, identityField, password });
    e.context = "password";
    const fields = identityField ? [identityField] : c.passwordAuth.identityFields;
    let record: Record | null = null;
    for (const name of fields) {
      if (name === "email" && !isEmailAddress(identity)) continue;
      record = name === "email" ? findAuthRecordByEmail(e.app, c, identity) : findByIdentityField(e.app, c, name, identity);
      if (record) break;
    }
    e.record = record;
    await h.recordAuthWithPasswordRequest.triggerAsync(e, async (ev) => {
      const r = ev.record;
      // PocketBase parity: the same 400 whether the account is missing or the password wrong
      // NB: a missing account still costs one bcrypt check, so timing does not tell either
      const plain = String((ev as RequestEvent & { password?: unknown }).password ?? "");
      const ok = r ? await verifyPassword(r, plain) : await dummyVerify(plain);
      if (!r || !ok) throw new ApiError(400, "Failed to authenticate.");
      await sendRecordAuthResponse(ev, r, "password");
    }, [c.id, c.name]);
  });

  router.add("POST", "/api/collections/{collection}/auth-refresh", async (e) => {
    const c = authCollection(e);
    if (!e.auth) throw new ApiError(401, "The request requires valid record authorization token.");
    if (e.auth.collection().id !== c.id) throw new ApiError(403, `The request requires auth record from ${e.auth.collection().name} collection.`);
    e.collection = c;
    e.record = e.auth;
    // PocketBase parity: a non-refreshable token (impersonate, installer) is returned as it is
    const current = (e.request.headers.get("authorization") ?? "").replace(/^bearer\s+/i, "").trim();
    const claims = findAuthRecordByToken(e.app, current, "auth")?.claims;
    const keep = claims && claims.refreshable === false ? current : undefined;
    await h.recordAuthRefreshRequest.triggerAsync(e, async (ev) => {
      await sendRecordAuthResponse(ev, ev.record!, "", undefined, { token: keep });
    }, [c.id, c.name]);
  });
}

/**
 * An auth record by a non-email identity field. PocketBase parity: the match is
 * case-insensitive when the field's single-column UNIQUE index uses `COLLATE NOCASE`.
 */
function findByIdentityField(app: App, c: Collection, field: string, value: string): Record | null {
  if (!c.getFieldByName(field)) return null;
  const nocase = c.indexes.some((sql) => {
    const ix = parseIndex(sql);
    return !!ix && ix.unique && ix.columns.length === 1 && ix.columns[0]!.name === field && ix.columns[0]!.collate.toLowerCase() === "nocase";
  });
  if (!nocase) return findFirstRecordByData(app, c, field, value);
  const row = app.db().get(`SELECT * FROM ${quoteIdent(c.name)} WHERE ${quoteIdent(field)} = ? COLLATE NOCASE LIMIT 1`, [value]);
  return row ? RecordModel.fromRow(c, row) : null;
}

let dummyHash: Promise<string> | null = null;

/** A bcrypt check (default cost) against a throwaway hash; always false. */
async function dummyVerify(plain: string): Promise<boolean> {
  dummyHash ??= Bun.password.hash(crypto.randomUUID(), { algorithm: "bcrypt", cost: 10 });
  await Bun.password.verify(plain || "-", await dummyHash).catch(() => false);
  return false;
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
