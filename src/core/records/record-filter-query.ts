import type { App } from "../app.ts";
import type { Collection } from "../collections/collection.ts";
import type { Record } from "./record.ts";
import { buildListQuery } from "../rules/list-query.ts";
import { bindPlaceholders, type PlaceholderValue } from "../rules/placeholders.ts";
import { rowsToRecords } from "./record-query.ts";
import { schemaOf } from "./rule-bridge.ts";
import type { Bindable } from "../../store/sqlite/database.ts";

/** `{:name}` placeholder values for the filter helpers. */
export type FilterParams = { [name: string]: PlaceholderValue };

/**
 * PocketBase's `findRecordsByFilter`: a server-side query with no API rules and no limits on the
 * filter; `@request.*` is NULL. `{:name}` placeholders are bound from `params`.
 */
export function findRecordsByFilter(app: App, c: Collection, filter: string, sort = "", limit = 0, offset = 0, params?: FilterParams): Record[] {
  const q = buildListQuery({
    schema: schemaOf(app),
    collection: c,
    filter: bindPlaceholders(filter, params),
    sort,
    limit,
    offset,
    skipTotal: true,
    allowHiddenFields: true,
    filterLimits: false,
  });
  return rowsToRecords(c, app.db().all(q.selectSql, q.selectParams as Bindable[]));
}

/** PocketBase's `countRecords`: how many records match the (optional) filter. */
export function countRecordsByFilter(app: App, c: Collection, filter = "", params?: FilterParams): number {
  const q = buildListQuery({
    schema: schemaOf(app),
    collection: c,
    filter: bindPlaceholders(filter, params),
    allowHiddenFields: true,
    filterLimits: false,
    limit: 1,
  });
  const row = app.db().values(q.countSql!, q.countParams as Bindable[])[0];
  return Number(row?.[0] ?? 0);
}
