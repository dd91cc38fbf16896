import type { Router } from "../router.ts";
import type { App } from "../../core/app.ts";
import { requireSuperuserAuth } from "../middleware/require-auth.ts";
import { Collection } from "../../core/collections/collection.ts";
import { convertLegacyCollection } from "../../core/collections/legacy-format.ts";
import { ApiError, ValidationError } from "../../core/api-error.ts";
import { listCollections } from "./collections-list.ts";
import { importCollections } from "../../core/collections/collections-import.ts";
import { truncateCollection } from "../../core/collections/collection-truncate.ts";

/** Rethrows a core validation error as the action's 400. */
function asBadRequest(err: unknown, message: string): never {
  if (err instanceof ValidationError) throw new ApiError(400, message, err.errors);
  throw err;
}

/** The collections API (superusers only), PocketBase's `apis/collection.go` family. */
export function registerCollectionRoutes(router: Router, app: App): void {
  const h = app.hooks;
  router.add("GET", "/api/collections", async (e) => {
    e.result = listCollections(e);
    await h.collectionsListRequest.triggerAsync(e, (ev) => ev.json(200, ev.result));
  }, requireSuperuserAuth);

  router.add("GET", "/api/collections/meta/scaffolds", (e) => {
    const out: { [k: string]: unknown } = {};
    for (const type of ["auth", "base", "view"] as const) {
      const c = new Collection({ type, id: "", name: "" });
      if (type === "auth") c.addIndex("idx_tokenKey__pbc_", true, "`tokenKey`");
      out[type] = { ...c.toJSON(), id: "", name: "" };
    }
    e.json(200, out);
  }, requireSuperuserAuth);

  router.add("PUT", "/api/collections/import", async (e) => {
    const list = e.body.collections;
    if (!Array.isArray(list)) {
      throw new ApiError(400, "Failed to import collections.", { collections: { code: "validation_required", message: "Cannot be blank." } });
    }
    await h.collectionsImportRequest.triggerAsync(e, (ev) => {
      try {
        importCollections(ev.app, list as { [k: string]: unknown }[], ev.body.deleteMissing === true);
      } catch (err) {
        const reason = err instanceof ValidationError ? JSON.stringify(err.errors) : err instanceof ApiError ? err.message : "";
        if (err instanceof ValidationError || err instanceof ApiError) {
          throw new ApiError(400, "Failed to import collections.", {
            collections: { code: "validation_collections_import_failure", message: `Import failed: ${reason}` },
          });
        }
        throw err;
      }
      ev.noContent(204);
    });
  }, requireSuperuserAuth);

  router.add("GET", "/api/collections/{collection}", async (e) => {
    e.collection = e.app.findCollectionByNameOrId(e.params.collection!);
    await h.collectionViewRequest.triggerAsync(e, (ev) => ev.json(200, ev.collection));
  }, requireSuperuserAuth);

  router.add("POST", "/api/collections", async (e) => {
    const data = convertLegacyCollection(e.body);
    const c = new Collection({ ...data, type: data.type as "base" });
    if (typeof data.id !== "string") c.id = "";
    if (data.type !== undefined && !["base", "auth", "view"].includes(String(data.type))) {
      throw new ApiError(400, "Failed to create collection.", { type: { code: "validation_in_invalid", message: "Must be a valid value." } });
    }
    e.collection = c;
    await h.collectionCreateRequest.triggerAsync(e, (ev) => {
      try {
        ev.app.save(ev.collection!);
      } catch (err) {
        asBadRequest(err, "Failed to create collection.");
      }
      ev.json(200, ev.collection);
    });
  }, requireSuperuserAuth);

  router.add("PATCH", "/api/collections/{collection}", async (e) => {
    const current = e.app.findCollectionByNameOrId(e.params.collection!).clone();
    const data = convertLegacyCollection(e.body);
    delete data.id;
    if ("type" in data && data.type !== current.type) {
      throw new ApiError(400, "Failed to update collection.", { type: { code: "validation_collection_type_change", message: "Changing the collection type is not allowed." } });
    }
    current.load(data);
    e.collection = current;
    await h.collectionUpdateRequest.triggerAsync(e, (ev) => {
      try {
        ev.app.save(ev.collection!);
      } catch (err) {
        asBadRequest(err, "Failed to update collection.");
      }
      ev.json(200, ev.collection);
    });
  }, requireSuperuserAuth);

  router.add("DELETE", "/api/collections/{collection}", async (e) => {
    e.collection = e.app.findCollectionByNameOrId(e.params.collection!);
    await h.collectionDeleteRequest.triggerAsync(e, (ev) => {
      try {
        ev.app.delete(ev.collection!);
      } catch (err) {
        if (err instanceof ApiError) throw err;
        throw new ApiError(400, "Failed to delete collection.", {}, { cause: err });
      }
      ev.noContent(204);
    });
  }, requireSuperuserAuth);

  router.add("DELETE", "/api/collections/{collection}/truncate", (e) => {
    const c = e.app.findCollectionByNameOrId(e.params.collection!);
    if (c.isView()) throw new ApiError(400, "View collections cannot be truncated.");
    truncateCollection(e.app, c);
    e.noContent(204);
  }, requireSuperuserAuth);

}
