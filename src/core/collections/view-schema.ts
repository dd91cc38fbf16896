import type { App } from "../app.ts";
import type { FieldConfig } from "./collection-types.ts";
import { idField } from "./auth-defaults.ts";
import { crc32 } from "../../tools/security.ts";

/** Thrown when a view query is not acceptable; the message says why. */
export class ViewQueryError extends Error {}

/** Trims a trailing `;` and rejects several statements. */
export function normalizeViewQuery(query: string): string {
  let q = query.trim();
  while (q.endsWith(";")) q = q.slice(0, -1).trim();
  if (q === "") throw new ViewQueryError("The view query must not be empty.");
  if (stripStrings(q).includes(";")) throw new ViewQueryError("Only a single SELECT statement is allowed.");
  if (!/^(select|with)\b/i.test(q)) throw new ViewQueryError("The view query must be a SELECT statement.");
  return q;
}

/**
 * Infers the fields of a view collection from its query (PocketBase's rules): `id` becomes the
 * text primary key, aggregates and casts become numbers/text/bools, a known collection's column
 * becomes a copy of that field, another collection's `id` under another name becomes a relation,
 * and anything else a json field. The query is dry-run to check it returns a usable `id`.
 */
export function inferViewFields(app: App, rawQuery: string, previous: FieldConfig[] = []): FieldConfig[] {
  const query = normalizeViewQuery(rawQuery);
  const db = app.db();
  let columns: string[];
  try {
    columns = db.raw.query(`SELECT * FROM (${query}) LIMIT 0`).columnNames;
  } catch (err) {
    throw new ViewQueryError(err instanceof Error ? err.message : String(err));
  }
  const selectList = parseSelectList(query);
  if (selectList.some((e) => /(^|\.)\*$/.test(e.expr.trim()))) throw new ViewQueryError("Wildcard columns (*) are not supported.");
  if (!columns.includes("id")) throw new ViewQueryError("Missing required id column (you can use `(ROW_NUMBER() OVER()) as id`).");
  const rows = db.all(`SELECT id FROM (${query}) LIMIT 10`);
  const seen = new Set<string>();
  for (const r of rows) {
    const id = r.id === null || r.id === undefined ? "" : String(r.id);
    if (id === "" || seen.has(id)) throw new ViewQueryError("The id column must contain non-empty unique values.");
    seen.add(id);
  }
  const sources = parseSources(query);
  const fields: FieldConfig[] = [];
  for (const col of columns) {
    if (col === "id") {
      fields.push(idField());
      continue;
    }
    const sel = selectList.find((s) => s.alias === col);
    let f = sel ? inferExpr(app, sel.expr, col, sources) : null;
    f ??= { id: "", name: col, type: "json", system: false, hidden: false, presentable: false, required: false, help: "", maxSize: 0 };
    const prev = previous.find((p) => p.name === col && p.type === f!.type);
    f.id = prev?.id ?? `_clone_${crc32(col + f.type)}`;
    fields.push(f);
  }
  return fields;
}

function inferExpr(app: App, expr: string, name: string, sources: Map<string, string>): FieldConfig | null {
  const e = expr.trim();
  const base = { id: "", name, system: false, hidden: false, presentable: false, required: false, help: "" };
  if (/^count\s*\(/i.test(e)) return { ...base, type: "number", min: null, max: null, onlyInt: true };
  if (/^total\s*\(/i.test(e)) return { ...base, type: "number", min: null, max: null, onlyInt: false };
  const cast = /^cast\s*\([\s\S]+\s+as\s+(\w+)\s*\)$/i.exec(e);
  if (cast) {
    const t = cast[1]!.toLowerCase();
    if (["real", "decimal", "numeric"].includes(t)) return { ...base, type: "number", min: null, max: null, onlyInt: false };
    if (["int", "integer"].includes(t)) return { ...base, type: "number", min: null, max: null, onlyInt: true };
    if (t === "text") return { ...base, type: "text", min: 0, max: 0, pattern: "", autogeneratePattern: "", primaryKey: false };
    if (["bool", "boolean"].includes(t)) return { ...base, type: "bool" };
  }
  const ref = /^[`"[]?(\w+)[`"\]]?(?:\s*\.\s*[`"[]?(\w+)[`"\]]?)?$/.exec(e);
  if (!ref) return null;
  const [tableAlias, column] = ref[2] ? [ref[1]!, ref[2]] : [sources.size === 1 ? [...sources.keys()][0]! : "", ref[1]!];
  const collName = sources.get(tableAlias.toLowerCase());
  const c = collName ? app.findCachedCollectionByNameOrId(collName) : null;
  if (!c) return null;
  if (column === "id") {
    return { ...base, type: "relation", collectionId: c.id, cascadeDelete: false, minSelect: 0, maxSelect: 1 };
  }
  const src = c.getFieldByName(column);
  if (!src) return null;
  return { ...structuredClone(src), id: "", name, system: false, primaryKey: false };
}

/** The select list of the outermost SELECT: expression and output name per item. */
function parseSelectList(query: string): { expr: string; alias: string }[] {
  const flat = stripStrings(query);
  const start = /\bselect\b(\s+distinct\b)?/i.exec(flat);
  if (!start) return [];
  let depth = 0;
  let i = start.index + start[0].length;
  const begin = i;
  let end = flat.length;
  for (; i < flat.length; i++) {
    const ch = flat[i];
    if (ch === "(") depth++;
    else if (ch === ")") depth--;
    else if (depth === 0 && /^\sfrom\s/i.test(flat.slice(i, i + 6))) {
      end = i;
      break;
    }
  }
  const list = query.slice(begin, end);
  const items: string[] = [];
  depth = 0;
  let cur = "";
  const flatList = flat.slice(begin, end);
  for (let k = 0; k < list.length; k++) {
    const ch = flatList[k];
    if (ch === "(") depth++;
    if (ch === ")") depth--;
    if (ch === "," && depth === 0) {
      items.push(cur);
      cur = "";
      continue;
    }
    cur += list[k];
  }
  if (cur.trim()) items.push(cur);
  return items.map((raw) => {
    const m = /^([\s\S]+?)\s+(?:as\s+)?[`"[]?(\w+)[`"\]]?\s*$/i.exec(raw.trim());
    if (m && !/[.(]$/.test(m[1]!) && !/^\w+\s*\.$/.test(m[1]!)) return { expr: m[1]!, alias: m[2]! };
    const plain = raw.trim();
    const last = /(\w+)[`"\]]?$/.exec(plain)?.[1] ?? plain;
    return { expr: plain, alias: last };
  });
}

/** The FROM/JOIN sources: alias (lower case) → table name. */
function parseSources(query: string): Map<string, string> {
  const out = new Map<string, string>();
  const re = /\b(?:from|join)\s+[`"[]?(\w+)[`"\]]?(?:\s+(?:as\s+)?(?!(?:on|where|join|left|inner|cross|group|order|limit|natural|using)\b)[`"[]?(\w+)[`"\]]?)?/gi;
  for (const m of stripStrings(query).matchAll(re)) {
    out.set((m[2] ?? m[1]!).toLowerCase(), m[1]!);
    out.set(m[1]!.toLowerCase(), m[1]!);
  }
  return out;
}

function stripStrings(s: string): string {
  return s.replace(/'(?:[^']|'')*'/g, (m) => " ".repeat(m.length));
}
