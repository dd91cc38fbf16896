/**
 * PocketBase's `fields` query parameter: a response filter applied to any JSON value.
 * Imports nothing of ours.
 *
 * Syntax: comma list of dot-paths, `*` for every key at a level, optional `:excerpt(max, ellipsis?)`
 * modifier per path. Example: `*,expand.author.name,description:excerpt(200,true)`.
 */

import { excerpt } from "./excerpt.ts";

/** An invalid `fields` parameter (bad modifier); the HTTP layer answers 400. */
export class FieldsPickerError extends Error {
  override name = "FieldsPickerError";
}

/** A value transformer attached to a picked path (e.g. `excerpt`). */
export interface FieldsModifier {
  /** The modifier's name as written in the parameter. */
  readonly name: string;
  /** Returns the transformed value; values it does not handle are returned unchanged. */
  apply(value: unknown): unknown;
}

/** One key of a parsed fields tree. */
export interface FieldsNode {
  /** The path ends here: keep the whole value (applying `modifier`, if any). */
  exact: boolean;
  /** Modifier of the path ending here, if any. */
  modifier: FieldsModifier | null;
  /** Deeper path segments; used only when `exact` is false. */
  children: FieldsTree;
}

/** A parsed `fields` parameter, keyed by path segment (`*` = every other key). Reusable. */
export type FieldsTree = Map<string, FieldsNode>;

/** PocketBase parity: the values Go's `strconv.ParseBool` reads as true. */
const TRUE_WORDS = new Set(["1", "t", "T", "true", "TRUE", "True"]);

function excerptModifier(args: string[]): FieldsModifier {
  if (args.length === 0) throw new FieldsPickerError("max argument is required - expected (max, withEllipsis?)");
  if (args.length > 2) throw new FieldsPickerError("too many arguments - expected (max, withEllipsis?)");
  const raw = args[0]!;
  const max = /^[+-]?\d+(\.0*)?$/.test(raw) ? Number.parseInt(raw, 10) : 0;
  if (!(max > 0)) throw new FieldsPickerError("max argument must be > 0");
  const withEllipsis = args.length > 1 && TRUE_WORDS.has(args[1]!);
  return {
    name: "excerpt",
    apply: (value) => (typeof value === "string" ? excerpt(value, max, withEllipsis) : value),
  };
}

/** Modifier factories by name. */
const MODIFIERS: Record<string, (args: string[]) => FieldsModifier> = { excerpt: excerptModifier };

function parseModifier(raw: string): FieldsModifier {
  const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?:\(([^()]*)\))?\s*$/.exec(raw);
  if (!m) throw new FieldsPickerError(`invalid or empty modifier expression "${raw}"`);
  const factory = MODIFIERS[m[1]!];
  if (!factory) throw new FieldsPickerError(`missing or invalid modifier "${m[1]}"`);
  const args = (m[2] ?? "")
    .split(/[\s,]+/)
    .filter((a) => a !== "")
    .map((a) => a.replace(/^(["'`])(.*)\1$/, "$2"));
  return factory(args);
}

/** Splits on commas that are outside parentheses and quotes. */
function splitTopLevel(raw: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote = "";
  let start = 0;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (quote) {
      if (c === "\\") i++;
      else if (c === quote) quote = "";
    } else if (c === '"' || c === "'" || c === "`") quote = c;
    else if (c === "(") depth++;
    else if (c === ")") depth = Math.max(0, depth - 1);
    else if (c === "," && depth === 0) {
      parts.push(raw.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(raw.slice(start));
  return parts;
}

/**
 * Parses a `fields` parameter into a reusable tree. An empty parameter gives an empty tree
 * (pick nothing out: every value passes unchanged). Throws {@link FieldsPickerError} for an
 * unknown modifier, missing/extra arguments, a non-positive max or unbalanced parentheses.
 * When a path repeats, the last modifier wins.
 */
export function parseFieldsParam(raw: string | null | undefined): FieldsTree {
  const tree: FieldsTree = new Map();
  if (!raw) return tree;
  for (const entry of splitTopLevel(raw)) {
    const field = entry.trim();
    if (field === "") continue;
    const colon = field.indexOf(":");
    const path = (colon === -1 ? field : field.slice(0, colon)).trim();
    const modifier = colon === -1 ? null : parseModifier(field.slice(colon + 1));
    let level = tree;
    const segments = path.split(".");
    segments.forEach((segment, index) => {
      let node = level.get(segment);
      if (!node) {
        node = { exact: false, modifier: null, children: new Map() };
        level.set(segment, node);
      }
      if (index === segments.length - 1) {
        node.exact = true;
        node.modifier = modifier;
      }
      level = node.children;
    });
  }
  return tree;
}

type JsonObject = Record<string, unknown>;

/** What `JSON.stringify` would see: the result of `toJSON()` when the value has one. */
function toJsonValue(value: unknown): unknown {
  if (value !== null && typeof value === "object") {
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === "function") return (toJSON as (key: string) => unknown).call(value, "");
  }
  return value;
}

function isJsonObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function pickObject(obj: JsonObject, tree: FieldsTree): JsonObject {
  if (tree.size === 0) return obj;
  const star = tree.get("*");
  const starModifier = star?.exact ? star.modifier : undefined;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(obj)) {
    const node = tree.get(key);
    if (!node) {
      if (starModifier === undefined) continue; // not requested
      out[key] = starModifier ? starModifier.apply(toJsonValue(value)) : value;
    } else if (node.exact) {
      out[key] = node.modifier ? node.modifier.apply(toJsonValue(value)) : value;
    } else {
      out[key] = pickValue(value, node.children);
    }
  }
  return out;
}

function pickValue(value: unknown, tree: FieldsTree): unknown {
  const v = toJsonValue(value);
  if (Array.isArray(v)) {
    // PocketBase parity: only arrays of objects are descended into (judged by the first item).
    if (v.length === 0 || !isJsonObject(toJsonValue(v[0]))) return v;
    return v.map((item) => {
      const it = toJsonValue(item);
      return isJsonObject(it) ? pickObject(it, tree) : it;
    });
  }
  // PocketBase parity: a path that goes deeper than a scalar keeps the scalar as is.
  return isJsonObject(v) ? pickObject(v, tree) : v;
}

/**
 * Applies a `fields` parameter (raw string or parsed tree) to a plain JSON value: an object,
 * or an array of objects element-wise. Returns new objects; the input is not mutated.
 * Unknown paths are ignored; an empty parameter returns the value unchanged.
 * Throws {@link FieldsPickerError} only while parsing a raw string.
 */
export function pickFields(value: unknown, fields: string | FieldsTree | null | undefined): unknown {
  const tree = fields instanceof Map ? fields : parseFieldsParam(fields);
  if (tree.size === 0) return value;
  return pickValue(value, tree);
}

/**
 * Applies a `fields` parameter to a paginated list response (`{items, page, perPage, …}`):
 * only each element of `items` is filtered, the pagination keys are kept. A value without an
 * `items` array is handled like {@link pickFields}.
 */
export function pickListFields(listResponse: unknown, fields: string | FieldsTree | null | undefined): unknown {
  const tree = fields instanceof Map ? fields : parseFieldsParam(fields);
  if (tree.size === 0) return listResponse;
  const list = toJsonValue(listResponse);
  if (isJsonObject(list) && Array.isArray(list.items)) {
    return { ...list, items: pickValue(list.items, tree) };
  }
  return pickValue(list, tree);
}
