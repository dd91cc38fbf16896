/**
 * The scanner of the filter language (PocketBase's fexpr grammar, written from its documented
 * behaviour): identifiers, quoted text, numbers, signs, joins, parentheses, commas and `//`
 * comments. It is iterative, so hostile input cannot exhaust the stack.
 */
import type { JoinOp, SignOp } from "./ast.ts";
import { fail } from "./errors.ts";

/** One token of the filter language. */
export type Token =
  | { readonly type: "ident"; readonly value: string; readonly pos: number }
  | { readonly type: "text"; readonly value: string; readonly pos: number }
  | { readonly type: "number"; readonly value: number; readonly pos: number }
  | { readonly type: "sign"; readonly value: SignOp; readonly pos: number }
  | { readonly type: "join"; readonly value: JoinOp; readonly pos: number }
  | { readonly type: "(" | ")" | ","; readonly pos: number };

const SIGNS: readonly SignOp[] = [
  // longest first
  "?!=", "?>=", "?<=", "?!~",
  "!=", ">=", "<=", "!~", "?=", "?>", "?<", "?~",
  "=", ">", "<", "~",
];

/** NB: `\r` is accepted as whitespace (PocketBase's scanner may reject it; CRLF rules are common). */
function isSpace(c: string): boolean {
  return c === " " || c === "\t" || c === "\n" || c === "\r";
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= "0" && c <= "9";
}

function isIdentStart(c: string): boolean {
  return (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || c === "@" || c === "_" || c === "#";
}

function isIdentPart(c: string | undefined): boolean {
  return c !== undefined && ((c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || isDigit(c) || c === "_" || c === "." || c === ":");
}

/** Splits `input` into tokens; throws `RuleSyntaxError` on an unexpected character. */
export function tokenize(input: string): Token[] {
  const out: Token[] = [];
  const n = input.length;
  let i = 0;
  while (i < n) {
    const c = input[i]!;
    if (isSpace(c)) {
      i++;
      continue;
    }
    if (c === "/" && input[i + 1] === "/") {
      const nl = input.indexOf("\n", i + 2);
      i = nl < 0 ? n : nl + 1;
      continue;
    }
    const pos = i;
    if (c === "(" || c === ")" || c === ",") {
      out.push({ type: c, pos });
      i++;
      continue;
    }
    if (c === "&" || c === "|") {
      if (input[i + 1] !== c) fail(`unexpected character ${JSON.stringify(c)} at ${i}`);
      out.push({ type: "join", value: c === "&" ? "&&" : "||", pos });
      i += 2;
      continue;
    }
    if (c === '"' || c === "'") {
      const [value, end] = scanText(input, i);
      out.push({ type: "text", value, pos });
      i = end;
      continue;
    }
    if (isDigit(c) || (c === "-" && isDigit(input[i + 1]))) {
      let j = c === "-" ? i + 1 : i;
      while (isDigit(input[j])) j++;
      if (input[j] === ".") {
        if (!isDigit(input[j + 1])) fail(`invalid number at ${i}`);
        j++;
        while (isDigit(input[j])) j++;
      }
      out.push({ type: "number", value: Number(input.slice(i, j)), pos });
      i = j;
      continue;
    }
    if (isIdentStart(c)) {
      let j = i + 1;
      while (isIdentPart(input[j])) j++;
      const value = input.slice(i, j);
      const last = value[value.length - 1];
      if (last === "." || last === ":") fail(`identifier ${JSON.stringify(value)} may not end in ${JSON.stringify(last)}`);
      if (value === "@" || value === "_" || value === "#") fail(`invalid identifier ${JSON.stringify(value)}`);
      out.push({ type: "ident", value, pos });
      i = j;
      continue;
    }
    const sign = SIGNS.find((s) => input.startsWith(s, i));
    if (sign) {
      out.push({ type: "sign", value: sign, pos });
      i += sign.length;
      continue;
    }
    fail(`unexpected character ${JSON.stringify(c)} at ${i}`);
  }
  return out;
}

/**
 * Scans a quoted text starting at `start` (the quote). Only the enclosing quote character may be
 * backslash-escaped; every other backslash stays literally in the value.
 */
function scanText(input: string, start: number): [string, number] {
  const quote = input[start]!;
  let value = "";
  let i = start + 1;
  for (;;) {
    const k = input.indexOf(quote, i);
    if (k < 0) fail(`unterminated text literal at ${start}`);
    if (input[k - 1] === "\\" && k - 1 >= i) {
      value += input.slice(i, k - 1) + quote;
      i = k + 1;
      continue;
    }
    value += input.slice(i, k);
    return [value, k + 1];
  }
}
