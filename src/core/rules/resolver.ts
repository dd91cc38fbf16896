/**
 * Identifiers → operands: the `null`/`true`/`false` constants, datetime macros, collection field
 * paths, `@collection.<name>[:alias].*` and `@request.*`. Multi-valued paths are resolved twice:
 * once in the main scope (the LEFT JOINs) and once in a fresh sub-query scope for the
 * "match all" NOT EXISTS check.
 */
import type { OperandNode } from "./ast.ts";
import type { CompileContext } from "./compile-context.ts";
import { MODIFIERS, splitIdentifier, walkCollectionPath, type Segment, type WalkResult } from "./collection-path.ts";
import { fail } from "./errors.ts";
import { resolveCall } from "./functions.ts";
import { macroValue } from "./macros.ts";
import { column, constant, lazyMulti, value, type MultiRef, type Operand } from "./operand.ts";
import { resolveRequestIdentifier } from "./request-resolver.ts";
import { findField } from "./schema.ts";
import { ANCHOR, col, JoinScope, q } from "./sql-text.ts";

/** Resolves any operand node in `scope` (the main scope unless building a sub-query). */
export function resolveOperand(ctx: CompileContext, node: OperandNode, scope: JoinScope = ctx.main): Operand {
  switch (node.kind) {
    case "text":
      return value(node.value);
    case "number":
      return value(node.value);
    case "call":
      return resolveCall(ctx, node, scope, (n, s) => resolveOperand(ctx, n, s));
    case "ident":
      return resolveIdentifier(ctx, node.name, scope);
  }
}

/** Resolves one identifier. */
export function resolveIdentifier(ctx: CompileContext, ident: string, scope: JoinScope): Operand {
  const lower = ident.toLowerCase();
  if ((lower === "null" || lower === "true" || lower === "false") && !findField(ctx.opts.collection, ident)) {
    return constant(lower === "null" ? "NULL" : lower === "true" ? "1" : "0");
  }
  if (ident.startsWith("@")) {
    const macro = macroValue(ident, ctx.now);
    if (macro !== undefined) return value(macro);
    if (ident.startsWith("@request.")) return resolveRequestIdentifier(ctx, ident, scope);
    if (ident.startsWith("@collection.")) return resolveCollectionIdentifier(ctx, ident, scope);
    return fail(`unknown identifier ${JSON.stringify(ident)}`);
  }
  const segs = splitIdentifier(ident);
  const mod = lastModifier(segs, ident);
  return withMulti(ctx, scope, (s) => {
    if (s.sub) {
      const alias = `__mm_${ctx.tableAlias}`;
      if (ctx.opts.plainJoins) {
        s.setRoot(`${q(ctx.tableName)} ${q(alias)}`, `${col(alias, "id")} = ${col(ctx.tableAlias, "id")}`);
        return walkCollectionPath(ctx, s, { collection: ctx.opts.collection, alias, multi: false }, segs, mod);
      }
      // NB: the values hang off the outer row itself, from a one-row anchor (LEFT JOINs keep
      // their NULL row as in the main query); re-reading the row by id cost up to 2× (eachAll).
      s.setRoot(ANCHOR, null);
      return walkCollectionPath(ctx, s, { collection: ctx.opts.collection, alias: ctx.tableAlias, multi: false, namePrefix: alias }, segs, mod);
    }
    return walkCollectionPath(ctx, s, { collection: ctx.opts.collection, alias: ctx.tableAlias, multi: false }, segs, mod);
  });
}

/** Validates that only the last segment has a modifier (a known one) and returns it. */
export function lastModifier(segs: readonly Segment[], ident: string, from = 0): string | null {
  for (let i = from; i < segs.length - 1; i++) if (segs[i]!.mod !== null) fail(`modifier in the middle of ${JSON.stringify(ident)}`);
  const mod = segs[segs.length - 1]!.mod;
  if (mod !== null && !MODIFIERS.has(mod)) fail(`unknown modifier :${mod}`);
  return mod;
}

/**
 * Runs a walk in `scope`; when it turns out multi-valued (and `scope` is the main one), runs it
 * again in a fresh sub-query scope to build the operand's `MultiSource`.
 */
export function withMulti(ctx: CompileContext, scope: JoinScope, walk: (s: JoinScope) => WalkResult): Operand {
  const r = walk(scope);
  let multi: MultiRef | null = null;
  if (r.multi && !scope.sub) {
    multi = lazyMulti(() => {
      const sub = new JoinScope(true);
      const s = walk(sub);
      return { value: s.sql, from: sub.fromClause() };
    });
  }
  return column(r.sql, { multi, json: r.json, checks: r.checks });
}

/** `@collection.<name>[:alias].<path>`: a cross-joined (no ON) collection, always multi-valued. */
function resolveCollectionIdentifier(ctx: CompileContext, ident: string, scope: JoinScope): Operand {
  const segs = splitIdentifier(ident);
  if (segs.length < 3) fail(`invalid identifier ${JSON.stringify(ident)}`);
  const nameSeg = segs[1]!;
  const target = ctx.opts.schema.findCollection(nameSeg.name);
  if (!target) fail(`unknown collection ${JSON.stringify(nameSeg.name)}`);
  if (segs[0]!.mod !== null) fail(`invalid identifier ${JSON.stringify(ident)}`);
  const mod = lastModifier(segs, ident, 2);
  const baseAlias = nameSeg.mod !== null ? `__collection_alias_${nameSeg.mod}` : `__collection_${target.name}`;
  if (!/^\w+$/.test(baseAlias)) fail(`invalid collection alias in ${JSON.stringify(ident)}`);
  return withMulti(ctx, scope, (s) => {
    let alias: string;
    if (s.sub) {
      alias = `__mm_${baseAlias}`;
      s.setRoot(`${q(target.name)} ${q(alias)}`, null);
    } else {
      // NB: deduplicated by alias: the same `@collection.x` (or the same :alias) is one joined row.
      alias = s.add(baseAlias, `collection:${baseAlias}:${target.id}`, (a) => `LEFT JOIN ${q(target.name)} ${q(a)}`, true, true);
    }
    return walkCollectionPath(ctx, s, { collection: target, alias, multi: true }, segs.slice(2), mod);
  });
}
