/**
 * The immutable syntax tree of a filter/rule expression. Trees are cached and shared between
 * compilations, so every node is frozen and typed `readonly`.
 */

/** A comparison operator without the any-of prefix. */
export type CompareOp = "=" | "!=" | ">" | ">=" | "<" | "<=" | "~" | "!~";

/** A sign as written: a plain comparison or its any-of (`?`) variant. */
export type SignOp = CompareOp | `?${CompareOp}`;

/** `&&` or `||`. */
export type JoinOp = "&&" | "||";

/** An identifier (`title`, `author.name`, `@request.auth.id`, `null`, `@now`, …). */
export interface IdentNode {
  readonly kind: "ident";
  readonly name: string;
}

/** A quoted text literal, already unescaped. */
export interface TextNode {
  readonly kind: "text";
  readonly value: string;
}

/** A number literal (`-?digits(.digits)?`). */
export interface NumberNode {
  readonly kind: "number";
  readonly value: number;
}

/** A function call such as `geoDistance(a, b, 1, 2)`. */
export interface CallNode {
  readonly kind: "call";
  readonly name: string;
  readonly args: readonly OperandNode[];
}

/** Anything that may stand on either side of a comparison. */
export type OperandNode = IdentNode | TextNode | NumberNode | CallNode;

/** `left op right`. */
export interface CondNode {
  readonly kind: "cond";
  readonly left: OperandNode;
  readonly op: SignOp;
  readonly right: OperandNode;
}

/** One member of a group; `join` is the operator before it (null for the first). */
export interface GroupItem {
  readonly join: JoinOp | null;
  readonly node: CondNode | GroupNode;
}

/**
 * A flat list of conditions/sub-groups joined by `&&`/`||`.
 * PocketBase parity: there is no precedence between `&&` and `||`; the list is rendered as a
 * flat `a AND b OR c`, so SQL's own precedence (AND binds tighter) decides.
 */
export interface GroupNode {
  readonly kind: "group";
  readonly items: readonly GroupItem[];
}

/** A parsed expression with the counts the limits are checked against. */
export interface FilterAst {
  readonly root: GroupNode;
  /** The number of comparisons in the expression. */
  readonly conditions: number;
}
