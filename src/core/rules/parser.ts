/**
 * The recursive-descent parser: tokens → an immutable `FilterAst`. Nesting is bounded (groups
 * and function calls), so deeply nested input fails with a clean error instead of a stack
 * overflow.
 */
import type { CallNode, CondNode, FilterAst, GroupItem, GroupNode, OperandNode } from "./ast.ts";
import { fail } from "./errors.ts";
import { tokenize, type Token } from "./lexer.ts";

/** The deepest allowed parenthesis nesting. */
export const MAX_GROUP_DEPTH = 64;
/** The deepest allowed function-call nesting (PocketBase: 3). */
export const MAX_FUNCTION_DEPTH = 3;

/** Parses `input` into a frozen AST; throws `RuleSyntaxError` when it is malformed or empty. */
export function parseFilter(input: string): FilterAst {
  const tokens = tokenize(input);
  if (tokens.length === 0) fail("empty filter expression");
  const p = new Parser(tokens);
  const root = p.group(0);
  if (p.pos < tokens.length) fail(`unexpected ${describe(tokens[p.pos])}`);
  return Object.freeze({ root, conditions: p.conditions });
}

function describe(t: Token | undefined): string {
  if (!t) return "end of expression";
  return "value" in t ? `${t.type} ${JSON.stringify(t.value)} at ${t.pos}` : `${JSON.stringify(t.type)} at ${t.pos}`;
}

class Parser {
  pos = 0;
  conditions = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token | undefined {
    return this.tokens[this.pos];
  }

  /** expr := item (join item)* — stops at `)` or the end. */
  group(depth: number): GroupNode {
    if (depth > MAX_GROUP_DEPTH) fail(`parentheses nested deeper than ${MAX_GROUP_DEPTH}`);
    const items: GroupItem[] = [];
    let join: GroupItem["join"] = null;
    for (;;) {
      const t = this.peek();
      let node: GroupItem["node"];
      if (t?.type === "(") {
        this.pos++;
        node = this.group(depth + 1);
        if (this.peek()?.type !== ")") fail(`expected ")" but got ${describe(this.peek())}`);
        this.pos++;
      } else {
        node = this.cond();
      }
      items.push(Object.freeze({ join, node }));
      const next = this.peek();
      if (next === undefined || next.type === ")") break;
      if (next.type !== "join") fail(`expected "&&" or "||" but got ${describe(next)}`);
      join = next.value;
      this.pos++;
    }
    return Object.freeze({ kind: "group", items: Object.freeze(items) });
  }

  /** cond := operand sign operand */
  private cond(): CondNode {
    const left = this.operand(0);
    const s = this.peek();
    if (s?.type !== "sign") fail(`expected a comparison operator but got ${describe(s)}`);
    this.pos++;
    const right = this.operand(0);
    this.conditions++;
    return Object.freeze({ kind: "cond", left, op: s.value, right });
  }

  private operand(fnDepth: number): OperandNode {
    const t = this.peek();
    if (!t) fail("unexpected end of expression");
    this.pos++;
    switch (t.type) {
      case "text":
        return Object.freeze({ kind: "text", value: t.value });
      case "number":
        return Object.freeze({ kind: "number", value: t.value });
      case "ident": {
        const next = this.peek();
        // a function: identifier immediately followed by "("
        if (next?.type === "(" && next.pos === t.pos + t.value.length) return this.call(t.value, fnDepth + 1);
        return Object.freeze({ kind: "ident", name: t.value });
      }
      default:
        return fail(`unexpected ${describe(t)}`);
    }
  }

  private call(name: string, fnDepth: number): CallNode {
    if (fnDepth > MAX_FUNCTION_DEPTH) fail(`functions nested deeper than ${MAX_FUNCTION_DEPTH}`);
    if (!/^[A-Za-z_]\w*$/.test(name)) fail(`invalid function name ${JSON.stringify(name)}`);
    this.pos++; // "("
    const args: OperandNode[] = [];
    if (this.peek()?.type === ")") {
      this.pos++;
    } else {
      for (;;) {
        args.push(this.operand(fnDepth));
        const t = this.peek();
        this.pos++;
        if (t?.type === ")") break;
        if (t?.type !== ",") fail(`expected "," or ")" in ${name}() but got ${describe(t)}`);
      }
    }
    return Object.freeze({ kind: "call", name, args: Object.freeze(args) });
  }
}
