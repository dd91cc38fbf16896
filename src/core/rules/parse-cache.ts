/**
 * A small LRU cache of parsed expressions keyed by the exact source text, so the rules and
 * common filters of a busy server are parsed once. Failures are not cached.
 */
import type { FilterAst } from "./ast.ts";
import { parseFilter } from "./parser.ts";

/** How many parsed expressions are kept (PocketBase keeps 500). */
export const PARSE_CACHE_SIZE = 500;

const cache = new Map<string, FilterAst>();

/** Parses `input`, answering from the cache when the same text was parsed recently. */
export function parseCached(input: string): FilterAst {
  const hit = cache.get(input);
  if (hit) {
    // refresh its position (Map keeps insertion order)
    cache.delete(input);
    cache.set(input, hit);
    return hit;
  }
  const ast = parseFilter(input);
  cache.set(input, ast);
  if (cache.size > PARSE_CACHE_SIZE) {
    const oldest = cache.keys().next().value;
    if (oldest !== undefined) cache.delete(oldest);
  }
  return ast;
}

/** The number of cached entries (for tests). */
export function parseCacheSize(): number {
  return cache.size;
}
