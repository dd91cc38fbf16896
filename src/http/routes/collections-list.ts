import type { RequestEvent } from "../../core/request-event.ts";
import type { CollectionConfig, FieldConfig } from "../../core/collections/collection-types.ts";
import { collectionFromRow, type CollectionRow } from "../../core/collections/collection.ts";
import { buildListQuery } from "../../core/rules/list-query.ts";
import { parseListParams } from "../../core/records/record-list.ts";
import type { Bindable } from "../../store/sqlite/database.ts";

function field(name: string, type: string): FieldConfig {
  return { id: name, name, type, system: true, hidden: false, presentable: false };
}

/** `_collections` described as a collection, so the filter/sort compiler can query it. */
const COLLECTIONS_SCHEMA: CollectionConfig = {
  id: "_collections", name: "_collections", type: "base", system: true,
  fields: [field("id", "text"), field("name", "text"), field("type", "text"), field("system", "bool"), field("created", "text"), field("updated", "text")],
  indexes: [], created: "", updated: "",
  listRule: null, viewRule: null, createRule: null, updateRule: null, deleteRule: null,
};

/** `GET /api/collections`: paginated, with filter and sort on id, created, updated, name, system, type. */
export function listCollections(e: RequestEvent): unknown {
  const params = parseListParams(e.url.searchParams, true);
  const q = buildListQuery({
    schema: { findCollection: (x) => (x === "_collections" ? COLLECTIONS_SCHEMA : null) },
    collection: COLLECTIONS_SCHEMA,
    filter: params.filter,
    sort: params.sort,
    page: params.page,
    perPage: params.perPage,
    skipTotal: params.skipTotal,
  });
  const db = e.app.db();
  const items = db.all<CollectionRow>(q.selectSql, q.selectParams as Bindable[]).map((row) => collectionFromRow(row));
  let totalItems = -1;
  let totalPages = -1;
  if (q.countSql) {
    totalItems = Number(db.raw.query(q.countSql).values(...(q.countParams as Bindable[]))[0]?.[0] ?? 0);
    totalPages = Math.ceil(totalItems / q.perPage);
  }
  return { page: q.page, perPage: q.perPage, totalItems, totalPages, items };
}
