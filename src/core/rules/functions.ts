/**
 * The filter functions: `geoDistance(lonA, latA, lonB, latB)` (Haversine, km) and
 * `strftime(format, [time, modifiers...])` (SQLite's own).
 */
import type { CallNode, OperandNode } from "./ast.ts";
import type { CompileContext } from "./compile-context.ts";
import { fail } from "./errors.ts";
import { column, lazyMulti, operandSql, type Operand } from "./operand.ts";
import type { JoinScope } from "./sql-text.ts";

/** The most arguments `strftime()` takes (format + time + 8 modifiers). */
export const MAX_STRFTIME_ARGS = 10;

/** Resolves an operand node in a scope (the resolver, passed in to avoid an import cycle). */
export type OperandResolver = (node: OperandNode, scope: JoinScope) => Operand;

/** Compiles a function call to a column operand. */
export function resolveCall(ctx: CompileContext, call: CallNode, scope: JoinScope, resolve: OperandResolver): Operand {
  switch (call.name) {
    case "geoDistance":
      return geoDistance(ctx, call, scope, resolve);
    case "strftime":
      return strftime(ctx, call, scope, resolve);
    default:
      return fail(`unknown function ${JSON.stringify(call.name)}`);
  }
}

function geoDistance(ctx: CompileContext, call: CallNode, scope: JoinScope, resolve: OperandResolver): Operand {
  if (call.args.length !== 4) fail("geoDistance() takes exactly 4 arguments");
  const [lonA, latA, lonB, latB] = call.args.map((a) => {
    if (a.kind !== "ident" && a.kind !== "number") fail("geoDistance() arguments must be identifiers or numbers");
    // always single-valued: a multi-valued argument uses its joined row (any-match)
    return operandSql(ctx, resolve(a, scope));
  }) as [string, string, string, string];
  // NB: the cosine sum can exceed 1 by a rounding error for equal points; clamp so acos() is never NULL.
  const sql =
    `(6371 * acos(max(-1.0, min(1.0, cos(radians(${latA})) * cos(radians(${latB})) * cos(radians(${lonB}) - radians(${lonA})) + ` +
    `sin(radians(${latA})) * sin(radians(${latB}))))))`;
  return column(sql, { json: true });
}

function strftime(ctx: CompileContext, call: CallNode, scope: JoinScope, resolve: OperandResolver): Operand {
  const args = call.args;
  if (args.length < 1 || args.length > MAX_STRFTIME_ARGS) fail(`strftime() takes 1 to ${MAX_STRFTIME_ARGS} arguments`);
  const format = args[0]!;
  if (format.kind !== "text") fail("strftime() format must be a text literal");
  const pre = [ctx.bind(format.value)];
  const post: string[] = [];
  for (const m of args.slice(2)) {
    if (m.kind !== "text") fail("strftime() modifiers must be text literals");
    post.push(ctx.bind(m.value));
  }
  if (args.length === 1) return column(`strftime(${pre[0]}, 'now')`);
  const time = resolve(args[1]!, scope);
  const build = (t: string): string => `strftime(${[...pre, t, ...post].join(", ")})`;
  const inner = time.multi;
  const multi = inner
    ? lazyMulti(() => {
        const m = inner.get();
        return { value: build(m.value), from: m.from };
      })
    : null;
  return column(build(operandSql(ctx, time)), { multi, checks: time.checks });
}
