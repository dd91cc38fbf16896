import { relative } from "node:path";

/** A pb_hooks or pb_migrations file that failed to load (syntax error or a throw at the top level). */
export class JsLoadError extends Error {
  /** The file that failed. */
  readonly file: string;
  constructor(file: string, cause: unknown) {
    super(`failed to load ${displayPath(file)}: ${describe(file, cause)}`, { cause });
    this.file = file;
  }
}

/** The path relative to the working directory when it is below it, else absolute. */
export function displayPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel && !rel.startsWith("..") ? rel : file;
}

interface BuildMessage {
  message?: string;
  position?: { line?: number; column?: number } | null;
}

/** One line: the error message and, when known, where in the file it happened. */
function describe(file: string, err: unknown): string {
  if (err instanceof AggregateError && Array.isArray(err.errors) && err.errors.length > 0) {
    // Bun reports syntax errors as an AggregateError of build messages
    const first = err.errors[0] as BuildMessage;
    const pos = first.position ? ` (line ${first.position.line}, column ${first.position.column})` : "";
    return `syntax error: ${first.message ?? String(first)}${pos}`;
  }
  if (err instanceof Error) {
    const frame = (err.stack ?? "").split("\n").find((l) => l.includes(file));
    const m = frame ? /:(\d+):(\d+)\)?\s*$/.exec(frame) : null;
    const name = err.name && err.name !== "Error" ? `${err.name}: ` : "";
    return `${name}${err.message}${m ? ` (line ${m[1]}, column ${m[2]})` : ""}`;
  }
  return String(err);
}
