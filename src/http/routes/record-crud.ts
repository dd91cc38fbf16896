import type { Router } from "../router.ts";
import type { App } from "../../core/app.ts";
import type { RequestEvent } from "../../core/request-event.ts";
import type { Collection } from "../../core/collections/collection.ts";
import { Record } from "../../core/records/record.ts";
import { ApiError, ValidationError } from "../../core/api-error.ts";
import { applyRecordBody } from "../../core/records/record-upsert.ts";
import { enrichRecords } from "../../core/records/record-visibility.ts";
import { canAccessRecord } from "../../core/records/record-access.ts";
import { findRecordById } from "../../core/records/record-query.ts";
import { listRecords, parseListParams } from "../../core/records/record-list.ts";
import { findRecordWithRule, passesCreateRule } from "../../core/records/record-rule-checks.ts";
import { expandRecords } from "../../core/records/record-expand.ts";
import { hashPasswordValue } from "../../core/fields/password.ts";
import type { PasswordValue } from "../../core/fields/field-kind.ts";
import { stageRecordFiles } from "../../core/files/record-files.ts";

const LOCKED = "Only superusers can perform this action.";

function collectionOf(e: RequestEvent): Collection {
  return e.app.findCollectionByNameOrId(e.params.collection!);
}

function expandAndEnrich(e: RequestEvent, records: Record[]): void {
  const info = e.requestInfo();
  const expand = e.url.searchParams.get("expand");
  if (expand) expandRecords(e.app, records, expand, info);
  enrichRecords(e.app, records, info);
}

/**
 * Pre-hashes a new auth password off the JS thread, before the synchronous save. NB: undefined
 * (not a Promise) when there is nothing to hash, so most requests need not wait a turn for it.
 */
function prehashPassword(c: Collection, body: { [k: string]: unknown }): Promise<PasswordValue> | undefined {
  const f = c.getFieldByName("password");
  if (!c.isAuth() || !f || typeof body.password !== "string" || body.password === "") return undefined;
  return hashPasswordValue(f, { hash: "", plain: body.password });
}

/** Record CRUD: `/api/collections/{collection}/records[/{id}]`, PocketBase's `apis/record_crud.go`. */
export function registerRecordCrudRoutes(router: Router, app: App): void {
  const h = app.hooks;

  router.add("GET", "/api/collections/{collection}/records", async (e) => {
    const c = collectionOf(e);
    const superuser = e.hasSuperuserAuth();
    if (c.listRule === null && !superuser) throw new ApiError(403, LOCKED);
    const params = parseListParams(e.url.searchParams, superuser);
    const result = listRecords(e.app, c, params, e.requestInfo(), superuser);
    e.collection = c;
    e.records = result.items;
    e.result = result;
    await h.recordsListRequest.triggerAsync(e, (ev) => {
      expandAndEnrich(ev, ev.records ?? []);
      const r = ev.result as typeof result;
      // NB: exported before stringify; JSON.stringify calling Record.toJSON per item was ~25 % slower (bench/RESULTS.md)
      const items = (ev.records ?? []).map((rec) => rec.publicExport());
      ev.json(200, { items, page: r.page, perPage: r.perPage, totalItems: r.totalItems, totalPages: r.totalPages });
    }, [c.id, c.name]);
  });

  router.add("GET", "/api/collections/{collection}/records/{id}", async (e) => {
    const c = collectionOf(e);
    const superuser = e.hasSuperuserAuth();
    if (c.viewRule === null && !superuser) throw new ApiError(403, LOCKED);
    const record = superuser || c.viewRule === "" ? findRecordById(e.app, c, e.params.id!) : findRecordWithRule(e.app, c, e.params.id!, c.viewRule!, e.requestInfo());
    if (!record) throw new ApiError(404);
    e.collection = c;
    e.record = record;
    await h.recordViewRequest.triggerAsync(e, (ev) => {
      expandAndEnrich(ev, [ev.record!]);
      ev.json(200, ev.record);
    }, [c.id, c.name]);
  });

  router.add("POST", "/api/collections/{collection}/records", async (e) => {
    const c = collectionOf(e);
    if (c.isView()) throw new ApiError(400, "Unsupported collection type.");
    const superuser = e.hasSuperuserAuth();
    if (c.createRule === null && !superuser) throw new ApiError(403, LOCKED);
    const hashing = prehashPassword(c, e.body);
    const prehashed = hashing ? await hashing : undefined;
    const record = new Record(c);
    const info = e.requestInfo();
    const manager = !superuser && c.isAuth() && !!c.manageRule && passesCreateRule(e.app, record, c.manageRule, info);
    // PocketBase parity: `e.record` holds the body when `onRecordCreateRequest` runs; the create
    // rule is checked after the hooks, against what they made of it
    const { errors, resolvedBody } = applyRecordBody(record, e.body, { superuser, manager }, prehashed);
    e.collection = c;
    e.record = record;
    await h.recordCreateRequest.triggerAsync(e, async (ev) => {
      const r = ev.record!;
      if (Object.keys(errors).length > 0) throw new ApiError(400, "Failed to create record.", errors);
      if (!superuser && c.createRule !== "" && !passesCreateRule(ev.app, r, c.createRule!, { ...ev.requestInfo(), body: resolvedBody })) {
        throw new ApiError(400, "Failed to create record.");
      }
      try {
        await stageRecordFiles(ev, r);
        ev.app.save(r);
      } catch (err) {
        if (err instanceof ValidationError) throw new ApiError(400, "Failed to create record.", err.errors);
        // PocketBase parity: any other failure of the save (e.g. a hook throwing) is a 400
        if (!(err instanceof ApiError)) throw new ApiError(400, "Failed to create record.", {}, { cause: err });
        throw err;
      }
      expandAndEnrich(ev, [r]);
      ev.json(200, r);
    }, [c.id, c.name]);
  });

  router.add("PATCH", "/api/collections/{collection}/records/{id}", async (e) => {
    const c = collectionOf(e);
    if (c.isView()) throw new ApiError(400, "Unsupported collection type.");
    const superuser = e.hasSuperuserAuth();
    if (c.updateRule === null && !superuser) throw new ApiError(403, LOCKED);
    const prehashed = await prehashPassword(c, e.body);
    const record = findRecordById(e.app, c, e.params.id!);
    if (!record) throw new ApiError(404);
    const info = e.requestInfo();
    // @request.body as the requester may send it (hidden fields dropped for non-superusers)
    const { resolvedBody } = applyRecordBody(record.clone(), e.body, { superuser, manager: true });
    const ruleInfo = { ...info, body: resolvedBody };
    if (!superuser && c.updateRule !== "" && !findRecordWithRule(e.app, c, record.id, c.updateRule!, ruleInfo)) throw new ApiError(404);
    const manager = !superuser && c.isAuth() && !!c.manageRule && canAccessRecord(e.app, record, ruleInfo, c.manageRule);
    // PocketBase parity: the rule is checked and the body applied before the hooks, so that
    // `e.record` holds the new values and what a hook sets on it is saved
    const { errors } = applyRecordBody(record, e.body, { superuser, manager }, prehashed);
    e.collection = c;
    e.record = record;
    await h.recordUpdateRequest.triggerAsync(e, async (ev) => {
      if (Object.keys(errors).length > 0) throw new ApiError(400, "Failed to update record.", errors);
      const r = ev.record!;
      try {
        await stageRecordFiles(ev, r);
        ev.app.save(r);
      } catch (err) {
        if (err instanceof ValidationError) throw new ApiError(400, "Failed to update record.", err.errors);
        // PocketBase parity: any other failure of the save (e.g. a hook throwing) is a 400
        if (!(err instanceof ApiError)) throw new ApiError(400, "Failed to update record.", {}, { cause: err });
        throw err;
      }
      expandAndEnrich(ev, [r]);
      ev.json(200, r);
    }, [c.id, c.name]);
  });

  router.add("DELETE", "/api/collections/{collection}/records/{id}", async (e) => {
    const c = collectionOf(e);
    if (c.isView()) throw new ApiError(400, "Unsupported collection type.");
    const superuser = e.hasSuperuserAuth();
    if (c.deleteRule === null && !superuser) throw new ApiError(403, LOCKED);
    const record = superuser || c.deleteRule === "" ? findRecordById(e.app, c, e.params.id!) : findRecordWithRule(e.app, c, e.params.id!, c.deleteRule!, e.requestInfo());
    if (!record) throw new ApiError(404);
    e.collection = c;
    e.record = record;
    await h.recordDeleteRequest.triggerAsync(e, (ev) => {
      try {
        ev.app.delete(ev.record!);
      } catch (err) {
        if (err instanceof ApiError) throw err;
        if (err instanceof ValidationError) throw new ApiError(400, "Failed to delete record. Make sure that the record is not part of a required relation reference.", err.errors);
        throw err;
      }
      ev.noContent(204);
    }, [c.id, c.name]);
  });
}
