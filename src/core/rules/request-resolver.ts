/**
 * `@request.*` identifiers: static values (context, method, headers, query, body keys, the auth
 * record's own fields) bound as parameters, `:isset`/`:changed`/`:length`/`:each` on body keys,
 * `@request.body.<relation>.*` joins over the submitted ids and `@request.auth.<path>` joins on
 * the auth collection's table.
 */
import type { FieldConfig } from "../collections/collection-types.ts";
import type { GroupNode } from "./ast.ts";
import type { CompileContext } from "./compile-context.ts";
import { splitIdentifier, walkCollectionPath, type Segment } from "./collection-path.ts";
import { fail } from "./errors.ts";
import { column, constant, value, type Operand } from "./operand.ts";
import { findHeader, lookupPath, STATIC_AUTH_FIELDS, staticAuthValue, type LookupResult } from "./request-info.ts";
import { lastModifier, withMulti } from "./resolver.ts";
import { findField, isMultipleField, relationTarget } from "./schema.ts";
import { col, q, type JoinScope } from "./sql-text.ts";
import { formatDate } from "../../tools/dates.ts";

const MISSING: LookupResult = { found: false, value: undefined };

/** A request value as a bindable scalar: bools → 1/0, arrays/objects → JSON text. */
export function requestValueToRaw(v: unknown): string | number | null {
  if (v === null || v === undefined) return null;
  if (typeof v === "string") return v;
  if (typeof v === "number") return Number.isFinite(v) ? v : null;
  if (typeof v === "boolean") return v ? 1 : 0;
  if (typeof v === "bigint") return v.toString();
  if (v instanceof Date) return formatDate(v);
  return JSON.stringify(v) ?? null;
}

function staticOperand(r: LookupResult, mod: string | null, ident: string, field: FieldConfig | null = null): Operand {
  switch (mod) {
    case "isset":
      return constant(r.found ? "TRUE" : "FALSE");
    case null:
    case "lower": {
      let raw = requestValueToRaw(r.value);
      // PocketBase parity: a body value for a number field is compared as a number when it parses as one.
      if (field?.type === "number" && typeof raw === "string" && raw.trim() !== "" && Number.isFinite(Number(raw))) raw = Number(raw);
      return value(raw, mod === "lower");
    }
    default:
      return fail(`modifier :${mod} is not supported on ${JSON.stringify(ident)}`);
  }
}

/** Resolves an identifier starting with `@request.`. */
export function resolveRequestIdentifier(ctx: CompileContext, ident: string, scope: JoinScope): Operand {
  const segs = splitIdentifier(ident);
  if (segs[0]!.mod !== null || segs.length < 2) fail(`invalid identifier ${JSON.stringify(ident)}`);
  const mod = lastModifier(segs, ident);
  const req = ctx.request;
  const root = segs[1]!.name;
  switch (root) {
    case "context":
    case "method":
      if (segs.length !== 2) fail(`invalid identifier ${JSON.stringify(ident)}`);
      return staticOperand(req ? { found: true, value: req[root] } : MISSING, mod, ident);
    case "headers":
    case "query": {
      if (segs.length !== 3) fail(`invalid identifier ${JSON.stringify(ident)}`);
      const key = segs[2]!.name;
      let r = MISSING;
      if (req) {
        const v = root === "headers" ? findHeader(req.headers, key) : Object.hasOwn(req.query, key) ? req.query[key] : undefined;
        r = v === undefined ? MISSING : { found: true, value: v };
      }
      return staticOperand(r, mod, ident);
    }
    case "body":
      if (segs.length < 3) fail(`invalid identifier ${JSON.stringify(ident)}`);
      return resolveBody(ctx, segs.slice(2), mod, ident, scope);
    case "auth":
      if (segs.length < 3) fail(`invalid identifier ${JSON.stringify(ident)}`);
      return resolveAuth(ctx, segs.slice(2), mod, ident, scope);
    default:
      return fail(`unknown request field ${JSON.stringify(root)} (allowed: context, method, headers, query, body, auth)`);
  }
}

function isListField(f: FieldConfig | null): f is FieldConfig {
  return f !== null && (f.type === "select" || f.type === "relation" || f.type === "file");
}

function resolveBody(ctx: CompileContext, rest: Segment[], mod: string | null, ident: string, scope: JoinScope): Operand {
  const body = ctx.request?.body ?? null;
  const key = rest[0]!.name;
  const field = findField(ctx.opts.collection, key);
  if (rest.length > 1) {
    if (field && relationTarget(field)) return resolveBodyRelation(ctx, field, rest.slice(1), mod, scope);
    return staticOperand(body ? lookupPath(body, rest.map((s) => s.name)) : MISSING, mod, ident);
  }
  const r = body ? lookupPath(body, [key]) : MISSING;
  switch (mod) {
    case "changed": {
      if (!field) fail(`:changed needs a field of ${ctx.opts.collection.name}, got ${JSON.stringify(key)}`);
      // `(@request.body.f:isset = true && @request.body.f != f)`, compared with the stored value
      const group: GroupNode = {
        kind: "group",
        items: [
          { join: null, node: { kind: "cond", left: { kind: "ident", name: `@request.body.${key}:isset` }, op: "=", right: { kind: "ident", name: "true" } } },
          { join: "&&", node: { kind: "cond", left: { kind: "ident", name: `@request.body.${key}` }, op: "!=", right: { kind: "ident", name: key } } },
        ],
      };
      return column(`(${ctx.compileGroup(group)})`);
    }
    case "length": {
      if (!isListField(field)) fail(`:length needs a select/relation/file field, got ${JSON.stringify(key)}`);
      const v = r.value;
      return value(Array.isArray(v) ? v.length : v === null || v === undefined || v === "" ? 0 : 1);
    }
    case "each": {
      if (!isListField(field)) fail(`:each needs a select/relation/file field, got ${JSON.stringify(key)}`);
      const p = ctx.bindOnce(`body:${key}`, () => JSON.stringify(asIdList(r.value)));
      return withMulti(ctx, scope, (s) => {
        let alias: string;
        if (s.sub) {
          alias = `__mm___body_${key}_je`;
          s.setRoot(`json_each(${p}) ${q(alias)}`, null);
        } else {
          alias = s.add(`__body_${key}_je`, `body:${key}`, (a) => `LEFT JOIN json_each(${p}) ${q(a)}`, true);
        }
        return { sql: `${q(alias)}."value"`, multi: isMultipleField(field), json: false, checks: [] };
      });
    }
    default:
      return staticOperand(r, mod, ident, field);
  }
}

/** The submitted value of a relation/select/file key as a list of strings. */
function asIdList(v: unknown): string[] {
  if (Array.isArray(v)) return v.filter((x) => x !== null && x !== undefined && x !== "").map(String);
  if (v === null || v === undefined || v === "") return [];
  return [String(v)];
}

function resolveBodyRelation(ctx: CompileContext, field: FieldConfig, rest: Segment[], mod: string | null, scope: JoinScope): Operand {
  const target = ctx.opts.schema.findCollection(relationTarget(field));
  if (!target) fail(`relation target of ${field.name} not found`);
  const key = field.name;
  const p = ctx.bindOnce(`body:${key}`, () => JSON.stringify(asIdList(lookupPath(ctx.request?.body ?? null, [key]).value)));
  return withMulti(ctx, scope, (s) => {
    let alias: string;
    if (s.sub) {
      const je = `__mm___body_${key}_je`;
      s.setRoot(`json_each(${p}) ${q(je)}`, null);
      alias = s.add(`__mm___body_${key}`, `bodyrel:${key}`, (a) => `LEFT JOIN ${q(target.name)} ${q(a)} ON ${col(a, "id")} = ${q(je)}."value"`, false);
    } else {
      const je = s.add(`__body_${key}_je`, `body:${key}`, (a) => `LEFT JOIN json_each(${p}) ${q(a)}`, true);
      alias = s.add(`__body_${key}`, `bodyrel:${key}`, (a) => `LEFT JOIN ${q(target.name)} ${q(a)} ON ${col(a, "id")} = ${q(je)}."value"`, true);
    }
    return walkCollectionPath(ctx, s, { collection: target, alias, multi: isMultipleField(field), trusted: true }, rest, mod);
  });
}

function resolveAuth(ctx: CompileContext, rest: Segment[], mod: string | null, ident: string, scope: JoinScope): Operand {
  const auth = ctx.request?.auth ?? null;
  const first = rest[0]!.name;
  if (!auth) {
    // every @request.auth.* is NULL for guests
    if (mod === "isset") return constant("FALSE");
    return value(null);
  }
  if (rest.length === 1 && STATIC_AUTH_FIELDS.has(first)) {
    return staticOperand({ found: true, value: staticAuthValue(auth, first) }, mod, ident);
  }
  if (mod === "isset") {
    return constant(rest.length === 1 && Object.hasOwn(auth.record, first) ? "TRUE" : "FALSE");
  }
  const coll = auth.collection;
  const p = ctx.bindOnce("authId", () => String(auth.record.id ?? ""));
  return withMulti(ctx, scope, (s) => {
    let alias: string;
    if (s.sub) {
      alias = `__mm___auth_${coll.name}`;
      s.setRoot(`${q(coll.name)} ${q(alias)}`, `${col(alias, "id")} = ${p}`);
    } else {
      alias = s.add(`__auth_${coll.name}`, `auth`, (a) => `LEFT JOIN ${q(coll.name)} ${q(a)} ON ${col(a, "id")} = ${p}`, false);
    }
    return walkCollectionPath(ctx, s, { collection: coll, alias, multi: false, trusted: true }, rest, mod);
  });
}
