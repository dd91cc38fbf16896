import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { JsLoadError } from "./load-error.ts";

let loadSeq = 0;

/** The files of a directory (top level only) whose names match, sorted by name. */
export function listFiles(dir: string, pattern: RegExp): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((n) => pattern.test(n))
    .sort()
    .map((n) => join(dir, n))
    .filter((p) => {
      try {
        return statSync(p).isFile();
      } catch {
        return false;
      }
    });
}

/**
 * Imports a user file so that its top-level code runs now. Each load gets its own module
 * instance (a query string), so a reload, or a second app in the same process, runs it again.
 * Throws a JsLoadError naming the file.
 */
export async function importFresh(file: string): Promise<void> {
  try {
    // NB: a plain path, not a file: URL; Bun 1.4.4 ignores the query of file: URLs when caching
    await import(`${file}?satchel=${++loadSeq}`);
  } catch (err) {
    throw new JsLoadError(file, err);
  }
}
