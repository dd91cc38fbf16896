import type { App } from "../app.ts";
import type { Collection } from "../collections/collection.ts";
import type { RequestInfo } from "../request-event.ts";
import type { Record } from "./record.ts";
import { ApiError } from "../api-error.ts";
import { buildListQuery } from "../rules/list-query.ts";
import { rowsToRecords } from "./record-query.ts";
import { schemaOf, toRuleRequest } from "./rule-bridge.ts";
import type { Bindable } from "../../store/sqlite/database.ts";

/** The list parameters of a records (or collections) list request. */
export interface ListParams {
  page: number;
  perPage: number;
  sort: string;
  filter: string;
  skipTotal: boolean;
}

/** A page of records. */
export interface ListResult {
  items: Record[];
  page: number;
  perPage: number;
  totalItems: number;
  totalPages: number;
}

/** Go's `strconv.ParseBool`. */
function parseBool(v: string): boolean | null {
  if (["1", "t", "T", "TRUE", "true", "True"].includes(v)) return true;
  if (["0", "f", "F", "FALSE", "false", "False"].includes(v)) return false;
  return null;
}

/**
 * Reads `page`, `perPage`, `sort`, `filter` and `skipTotal`. PocketBase parity: a non-integer
 * page/perPage or an unparseable skipTotal is a 400; perPage is clamped to 1..1000 (≤0 → 30).
 */
export function parseListParams(sp: URLSearchParams, _superuser: boolean): ListParams {
  const int = (name: string, def: number): number => {
    const raw = sp.get(name);
    if (raw === null || raw === "") return def;
    if (!/^-?\d+$/.test(raw.trim())) throw new ApiError(400, `Invalid ${name} parameter.`);
    return Number(raw);
  };
  const page = int("page", 1);
  let perPage = int("perPage", 30);
  if (perPage <= 0) perPage = 30;
  if (perPage > 1000) perPage = 1000;
  const skipRaw = sp.get("skipTotal");
  let skipTotal = false;
  if (skipRaw !== null && skipRaw !== "") {
    const b = parseBool(skipRaw);
    if (b === null) throw new ApiError(400, "Invalid skipTotal parameter.");
    skipTotal = b;
  }
  return { page: page <= 0 ? 1 : page, perPage, sort: sp.get("sort") ?? "", filter: sp.get("filter") ?? "", skipTotal };
}

/**
 * Runs a list query: the collection's listRule (for non-superusers), the client filter and sort,
 * pagination and (unless skipped) the total count.
 */
export function listRecords(app: App, c: Collection, params: ListParams, info: RequestInfo, superuser: boolean): ListResult {
  const rules = !superuser && c.listRule ? [c.listRule] : [];
  const q = buildListQuery({
    schema: schemaOf(app),
    collection: c,
    filter: params.filter,
    sort: params.sort,
    rules,
    request: toRuleRequest(info),
    page: params.page,
    perPage: params.perPage,
    skipTotal: params.skipTotal,
    clientFilter: !superuser,
  });
  const rows = app.db().all(q.selectSql, q.selectParams as Bindable[]);
  let totalItems = -1;
  let totalPages = -1;
  if (q.countSql) {
    const row = app.db().values(q.countSql, q.countParams as Bindable[])[0];
    totalItems = Number(row?.[0] ?? 0);
    totalPages = Math.ceil(totalItems / q.perPage);
  }
  return { items: rowsToRecords(c, rows), page: q.page, perPage: q.perPage, totalItems, totalPages };
}
