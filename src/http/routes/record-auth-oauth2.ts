import type { Router } from "../router.ts";
import type { App } from "../../core/app.ts";
import type { Collection } from "../../core/collections/collection.ts";
import type { RecordAuthWithOAuth2RequestEvent } from "../../core/auth/auth-events.ts";
import type { AuthUser, OAuth2Token } from "../../core/auth/oauth2/auth-user.ts";
import type { OAuth2Provider } from "../../core/auth/oauth2/provider.ts";
import type { FieldConfig } from "../../core/collections/collection-types.ts";
import { RequestEvent, type UploadedFile } from "../../core/request-event.ts";
import { Record } from "../../core/records/record.ts";
import { ApiError, ValidationError } from "../../core/api-error.ts";
import { findAuthRecordByEmail, findRecordById } from "../../core/records/record-query.ts";
import { passesCreateRule } from "../../core/records/record-rule-checks.ts";
import { applyRecordBody } from "../../core/records/record-upsert.ts";
import { hashPasswordValue } from "../../core/fields/password.ts";
import { newProviderClient } from "../../core/auth/oauth2/provider-table.ts";
import { findExternalAuthByProvider, linkExternalAuth } from "../../core/auth/external-auths.ts";
import { randomString } from "../../tools/security.ts";
import { stageRecordFiles } from "../../core/files/record-files.ts";
import { fileMaxSize } from "../../core/files/file-value.ts";
import { authCollection } from "./record-auth-password.ts";
import { sendRecordAuthResponse } from "./record-auth-response.ts";
import { FormErrors, bodyString, checkRequired } from "./record-auth-validate.ts";

/** The `meta` of an OAuth2 auth response. */
function oauth2Meta(user: AuthUser, isNew: boolean): { [k: string]: unknown } {
  return {
    id: user.id, name: user.name, username: user.username, email: user.email,
    avatarURL: user.avatarURL, avatarUrl: user.avatarURL,
    accessToken: user.accessToken, refreshToken: user.refreshToken, expiry: user.expiry,
    rawUser: user.rawUser, isNew,
  };
}

/** The create body of a new OAuth2 record: `createData` plus the mapped provider fields. */
function createBody(c: Collection, user: AuthUser, createData: { [k: string]: unknown }): { [k: string]: unknown } {
  const data: { [k: string]: unknown } = { ...createData };
  const mapped = c.oauth2?.mappedFields ?? { id: "", name: "", username: "", avatarURL: "" };
  const put = (field: string, value: string) => {
    if (!field || !value || field in data) return;
    const f = c.getFieldByName(field);
    // a file target gets the downloaded avatar instead (see downloadAvatar)
    if (!f || f.type === "file") return;
    data[field] = value;
  };
  put(mapped.id, user.id);
  put(mapped.name, user.name);
  put(mapped.username, user.username);
  put(mapped.avatarURL, user.avatarURL);
  // the provider's (verified) address wins over a client supplied one
  if (user.email) data.email = user.email;
  if (typeof data.password !== "string" || data.password === "") {
    data.password = randomString(30);
    data.passwordConfirm = data.password;
  }
  return data;
}

/**
 * Downloads a provider avatar for a file field (http/https only, within the field's size
 * limit). Returns null when it cannot be had: the sign-in goes on without it.
 */
async function downloadAvatar(url: string, field: FieldConfig): Promise<UploadedFile | null> {
  if (!/^https?:\/\//i.test(url)) return null;
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(15_000) });
    const max = fileMaxSize(field);
    if (!res.ok || Number(res.headers.get("content-length") ?? 0) > max) return null;
    const bytes = new Uint8Array(await res.arrayBuffer());
    if (bytes.byteLength === 0 || bytes.byteLength > max) return null;
    const type = res.headers.get("content-type") ?? "";
    const name = decodeURIComponent(new URL(url).pathname.split("/").pop() ?? "") || "avatar";
    return { name, size: bytes.byteLength, type, file: new Blob([bytes], { type }) };
  } catch {
    return null;
  }
}

/**
 * Creates the record through `onRecordCreateRequest` (PocketBase runs its create API action):
 * the client's `createData` is applied as a guest/auth user would, the collection's createRule
 * applies, and the record plus its `_externalAuths` link are written in one transaction.
 */
async function createOAuth2Record(e: RecordAuthWithOAuth2RequestEvent, c: Collection, provider: string): Promise<Record> {
  const user = e.oauth2User;
  const superuser = e.hasSuperuserAuth();
  if (c.createRule === null && !superuser) throw new ApiError(403, "Only superusers can perform this action.");
  const body = createBody(c, user, e.createData);
  const sub = new RequestEvent(e.app, e.request, e.url);
  sub.auth = e.auth;
  sub.remoteIP = e.remoteIP;
  sub.context = "oauth2";
  sub.params = { collection: c.name };
  sub.body = body;
  sub.collection = c;
  sub.record = new Record(c);
  const f = c.getFieldByName("password");
  const prehashed = f ? await hashPasswordValue(f, { hash: "", plain: String(body.password) }) : undefined;
  const avatarField = c.getFieldByName(c.oauth2?.mappedFields?.avatarURL ?? "");
  if (avatarField?.type === "file" && user.avatarURL && !(avatarField.name in e.createData)) {
    const avatar = await downloadAvatar(user.avatarURL, avatarField);
    if (avatar) sub.files[avatarField.name] = [avatar];
  }
  await e.app.hooks.recordCreateRequest.triggerAsync(sub, async (s) => {
    const r = s.record!;
    const { errors, resolvedBody } = applyRecordBody(r, s.body, { superuser, manager: false }, prehashed);
    if (Object.keys(errors).length > 0) throw new ApiError(400, "Failed to create record.", errors);
    if (!superuser && c.createRule && !passesCreateRule(s.app, r, c.createRule, { ...s.requestInfo(), body: resolvedBody })) {
      throw new ApiError(400, "Failed to create record.");
    }
    if (user.email && r.email() === user.email) r.setVerified(true);
    try {
      await stageRecordFiles(s, r);
    } catch (err) {
      if (!(err instanceof ValidationError) || !avatarField) throw err;
      // an avatar the field does not accept (type, size) is left out rather than failing the sign-in
      delete s.files[avatarField.name];
      r.set(avatarField.name, null);
      await stageRecordFiles(s, r);
    }
    try {
      s.app.runInTransaction((tx) => {
        tx.save(r);
        linkExternalAuth(tx, r, provider, user.id);
      });
    } catch (err) {
      if (err instanceof ValidationError) throw new ApiError(400, "Failed to create record.", err.errors);
      throw err;
    }
  }, [c.id, c.name]);
  return sub.record!;
}

/** Updates an existing record from the provider (email, verified) and links the identity. */
function linkExistingRecord(e: RecordAuthWithOAuth2RequestEvent, c: Collection, provider: string, record: Record, foundByEmail: boolean): Record {
  const user = e.oauth2User;
  return e.app.runInTransaction((tx) => {
    const r = findRecordById(tx, c, record.id) ?? record;
    let changed = false;
    if (r.email() === "" && user.email) {
      r.setEmail(user.email);
      changed = true;
    }
    if (!r.verified() && (r.email() === "" || r.email() === user.email)) {
      // NB: an unverified account matched by email may carry a password chosen by someone
      // who registered the address first; the provider proved the address, so drop it
      if (foundByEmail && !c.mfa?.enabled) r.setRandomPassword();
      r.setVerified(true);
      changed = true;
    }
    if (changed) tx.save(r);
    linkExternalAuth(tx, r, provider, user.id);
    return r;
  });
}

/** `POST /api/collections/{collection}/auth-with-oauth2` (PocketBase's `record_auth_with_oauth2.go`). */
export function registerRecordAuthOAuth2Routes(router: Router, app: App): void {
  const h = app.hooks;
  router.add("POST", "/api/collections/{collection}/auth-with-oauth2", async (e) => {
    const c = authCollection(e);
    if (!c.oauth2?.enabled) throw new ApiError(403, "The collection is not configured to allow OAuth2 authentication.");
    const providerName = bodyString(e, "provider");
    const code = bodyString(e, "code");
    const codeVerifier = bodyString(e, "codeVerifier");
    const redirectURL = bodyString(e, "redirectURL") || bodyString(e, "redirectUrl");
    const rawCreate = e.body.createData;
    const errors = new FormErrors();
    checkRequired(errors, "provider", providerName);
    checkRequired(errors, "code", code);
    if (rawCreate !== undefined && rawCreate !== null && (typeof rawCreate !== "object" || Array.isArray(rawCreate))) {
      errors.add("createData", "validation_invalid_value", "Must be an object.");
    }
    let client: OAuth2Provider | null = null;
    if (!errors.has("provider")) {
      const cfg = (c.oauth2.providers ?? []).find((p) => p.name === providerName);
      try {
        if (cfg) client = newProviderClient(cfg);
      } catch {
        client = null;
      }
      if (!client) errors.add("provider", "validation_invalid_provider", `Provider with name ${providerName} is missing or is not enabled.`);
    }
    errors.throwIfAny();

    let token: OAuth2Token;
    let user: AuthUser;
    try {
      token = await client!.fetchToken(code, redirectURL, codeVerifier);
    } catch (err) {
      throw new ApiError(400, "Failed to fetch OAuth2 token.", {}, { cause: err });
    }
    try {
      user = await client!.fetchAuthUser(token);
    } catch (err) {
      throw new ApiError(400, "Failed to fetch OAuth2 user.", {}, { cause: err });
    }

    let record: Record | null = null;
    let foundByEmail = false;
    const link = findExternalAuthByProvider(e.app, c, providerName, user.id);
    if (link) record = findRecordById(e.app, c, link.getString("recordRef"));
    if (!record && e.auth && e.auth.collection().id === c.id) record = e.auth;
    if (!record && user.email) {
      record = findAuthRecordByEmail(e.app, c, user.email);
      foundByEmail = !!record;
    }

    const ev = e as RecordAuthWithOAuth2RequestEvent;
    ev.context = "oauth2";
    ev.collection = c;
    ev.record = record;
    ev.providerName = providerName;
    ev.providerClient = client!;
    ev.oauth2User = user;
    ev.createData = (rawCreate as { [k: string]: unknown } | undefined) ?? {};
    ev.isNewRecord = !record;
    await h.recordAuthWithOAuth2Request.triggerAsync(ev, async (x) => {
      let r: Record;
      if (!x.record) {
        if (c.name === "_superusers") throw new ApiError(400, "Failed to authenticate.");
        r = await createOAuth2Record(x, c, x.providerName);
        x.isNewRecord = true;
      } else {
        r = linkExistingRecord(x, c, x.providerName, x.record, foundByEmail && x.record === record);
      }
      await sendRecordAuthResponse(x, r, "oauth2", oauth2Meta(x.oauth2User, x.isNewRecord));
    }, [c.id, c.name]);
  });
}
