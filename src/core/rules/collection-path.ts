/**
 * Walks a field path through a collection: plain fields, relation hops (single and multiple),
 * back-relations `<collection>_via_<field>`, JSON/geoPoint paths and the field modifiers.
 * Every hop registers a LEFT JOIN in the given scope.
 */
import type { CollectionConfig, FieldConfig } from "../collections/collection-types.ts";
import type { CompileContext } from "./compile-context.ts";
import { fail } from "./errors.ts";
import { findField, hasSingleColumnUniqueIndex, isJsonField, isMultipleField, relationTarget } from "./schema.ts";
import { col, jsonEach, jsonExtract, jsonLength, q, type JoinScope } from "./sql-text.ts";

/** The most relation hops (relations and back-relations) one path may take. */
export const MAX_RELATION_HOPS = 6;

/** The modifiers the language knows. */
export const MODIFIERS: ReadonlySet<string> = new Set(["isset", "changed", "length", "each", "lower"]);

/** One `.`-separated part of an identifier, with its `:suffix`. */
export interface Segment {
  readonly name: string;
  readonly mod: string | null;
}

/** Splits an identifier into segments; every part must be non-empty and carry at most one `:`. */
export function splitIdentifier(ident: string): Segment[] {
  return ident.split(".").map((part) => {
    const bits = part.split(":");
    if (bits.length > 2 || bits.some((b) => b === "")) fail(`invalid identifier ${JSON.stringify(ident)}`);
    return { name: bits[0]!, mod: bits[1] ?? null };
  });
}

/** Where a walk starts: a collection row under an alias of the current scope. */
export interface WalkRoot {
  readonly collection: CollectionConfig;
  readonly alias: string;
  /** True when the root itself has many rows per main row (`@collection.*`). */
  readonly multi: boolean;
  /** Hidden fields are allowed regardless of the options (`@request.auth.*`). */
  readonly trusted?: boolean;
  /**
   * The prefix of the aliases of the joins the walk adds (default: `alias`). A multi-match
   * sub-query walks from the outer row itself but names its joins apart (`__mm_<table>_…`).
   */
  readonly namePrefix?: string;
}

/** The outcome of a walk. */
export interface WalkResult {
  readonly sql: string;
  readonly multi: boolean;
  readonly json: boolean;
  readonly checks: string[];
}

function checkHidden(ctx: CompileContext, coll: CollectionConfig, field: FieldConfig, trusted: boolean): void {
  if (field.hidden && !trusted && !ctx.opts.allowHiddenFields) fail(`field ${coll.name}.${field.name} is hidden`);
}

/** Joins restricted by a client's list access are kept apart from the same joins of rules. */
function vkey(ctx: CompileContext): string {
  return ctx.visibility ? "|client" : "";
}

function visibility(ctx: CompileContext, coll: CollectionConfig, alias: string): string {
  const v = ctx.visibility?.(coll, alias) ?? "";
  return v === "" ? "" : ` AND ${v}`;
}

/**
 * Resolves `segs` (the modifier of the last one is `mod`) starting at `root` and registers the
 * joins it needs in `scope`. Throws on unknown/hidden fields, too many hops, bad modifiers.
 */
export function walkCollectionPath(ctx: CompileContext, scope: JoinScope, root: WalkRoot, segs: readonly Segment[], mod: string | null): WalkResult {
  let coll = root.collection;
  let alias = root.alias;
  // the name the next join's alias derives from: `alias`, except at a renamed root
  let named = root.namePrefix ?? root.alias;
  let multi = root.multi;
  let hops = 0;
  const trusted = root.trusted ?? false;
  const hop = (): void => {
    if (++hops > MAX_RELATION_HOPS) fail(`more than ${MAX_RELATION_HOPS} relation hops`);
  };
  for (let i = 0; i < segs.length; i++) {
    const name = segs[i]!.name;
    const last = i === segs.length - 1;
    const field = findField(coll, name);
    if (!field) {
      const via = /^(\w+?)_via_(\w+)$/.exec(name);
      if (!via) fail(`unknown field ${JSON.stringify(name)} in ${coll.name}`);
      if (last) fail(`back-relation ${JSON.stringify(name)} needs a field after it`);
      const backColl = ctx.opts.schema.findCollection(via[1]!);
      const backField = backColl ? findField(backColl, via[2]!) : null;
      if (!backColl || !backField || relationTarget(backField) !== coll.id) fail(`invalid back-relation ${JSON.stringify(name)}`);
      checkHidden(ctx, backColl, backField, trusted);
      hop();
      const many = isMultipleField(backField);
      const single = !many && hasSingleColumnUniqueIndex(backColl, backField.name);
      const parent = alias;
      alias = named = scope.add(
        `${named}_${name}`,
        `back:${parent}:${backColl.id}:${backField.name}${vkey(ctx)}`,
        (a) =>
          `LEFT JOIN ${q(backColl.name)} ${q(a)} ON ${
            many ? `${col(parent, "id")} IN (SELECT "value" FROM ${jsonEach(col(a, backField.name))})` : `${col(a, backField.name)} = ${col(parent, "id")}`
          }${visibility(ctx, backColl, a)}`,
        !single,
        true,
      );
      multi ||= !single;
      coll = backColl;
      continue;
    }
    checkHidden(ctx, coll, field, trusted);
    if (last) return leaf(ctx, scope, coll, alias, named, field, mod, multi, trusted);
    if (isJsonField(field)) {
      const rest = segs.slice(i + 1);
      if (rest.slice(0, -1).some((s) => s.mod !== null)) fail("modifier in the middle of a path");
      const sql = jsonExtract(col(alias, field.name), rest.map((s) => s.name));
      if (mod === null || mod === "isset" || mod === "changed") return { sql, multi, json: true, checks: [] };
      if (mod === "lower") return { sql: `LOWER(${sql})`, multi, json: true, checks: [] };
      fail(`modifier :${mod} is not supported on json paths`);
    }
    const targetId = relationTarget(field);
    if (!targetId) fail(`field ${JSON.stringify(name)} of ${coll.name} is not a relation`);
    const target = ctx.opts.schema.findCollection(targetId);
    if (!target) fail(`relation target ${targetId} of ${coll.name}.${name} not found`);
    hop();
    const many = isMultipleField(field);
    const parent = alias;
    const next = segs[i + 1]!;
    const injected = ctx.visibility !== null;
    if (next.name === "id" && i + 1 === segs.length - 1 && !injected && (mod === null || mod === "lower")) {
      // PocketBase parity: `rel.id` needs no join to the target table.
      let sql = col(parent, name);
      if (many) {
        const je = scope.add(`${named}_${name}_je`, `each:${parent}:${name}`, (a) => `LEFT JOIN ${jsonEach(col(parent, name))} ${q(a)}`, true);
        sql = `${q(je)}."value"`;
        multi = true;
      }
      return { sql: mod === "lower" ? `LOWER(${sql})` : sql, multi, json: false, checks: [] };
    }
    if (many) {
      const je = scope.add(`${named}_${name}_je`, `each:${parent}:${name}`, (a) => `LEFT JOIN ${jsonEach(col(parent, name))} ${q(a)}`, true);
      alias = scope.add(`${named}_${name}`, `rel:${parent}:${name}${vkey(ctx)}`, (a) => `LEFT JOIN ${q(target.name)} ${q(a)} ON ${col(a, "id")} = ${q(je)}."value"${visibility(ctx, target, a)}`, true);
      multi = true;
    } else {
      alias = scope.add(`${named}_${name}`, `rel:${parent}:${name}${vkey(ctx)}`, (a) => `LEFT JOIN ${q(target.name)} ${q(a)} ON ${col(a, "id")} = ${col(parent, name)}${visibility(ctx, target, a)}`, false);
    }
    named = alias;
    coll = target;
  }
  return fail("empty path");
}

function leaf(
  ctx: CompileContext,
  scope: JoinScope,
  coll: CollectionConfig,
  alias: string,
  named: string,
  field: FieldConfig,
  mod: string | null,
  multi: boolean,
  trusted: boolean,
): WalkResult {
  const c = col(alias, field.name);
  const checks: string[] = [];
  if (field.name === "email" && coll.type === "auth" && !trusted && !ctx.opts.allowHiddenFields) {
    // PocketBase parity: clients only see emails their owners made visible.
    checks.push(`${col(alias, "emailVisibility")} = TRUE`);
  }
  const isListLike = field.type === "select" || field.type === "relation" || field.type === "file";
  switch (mod) {
    case null:
    case "isset": // PocketBase parity: ignored on collection fields
    case "changed":
      if (isJsonField(field)) return { sql: jsonExtract(c, []), multi, json: true, checks };
      return { sql: c, multi, json: false, checks };
    case "lower":
      if (isJsonField(field)) return { sql: `LOWER(${jsonExtract(c, [])})`, multi, json: true, checks };
      return { sql: `LOWER(${c})`, multi, json: false, checks };
    case "length":
      if (!isListLike) fail(`:length is not supported on ${field.type} field ${JSON.stringify(field.name)}`);
      return { sql: jsonLength(c), multi, json: false, checks };
    case "each": {
      if (!isListLike) fail(`:each is not supported on ${field.type} field ${JSON.stringify(field.name)}`);
      if (!isMultipleField(field)) return { sql: c, multi, json: false, checks };
      const je = scope.add(`${named}_${field.name}_je`, `each:${alias}:${field.name}`, (a) => `LEFT JOIN ${jsonEach(c)} ${q(a)}`, true);
      return { sql: `${q(je)}."value"`, multi: true, json: false, checks };
    }
    default:
      return fail(`unknown modifier :${mod}`);
  }
}
