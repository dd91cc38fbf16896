/**
 * Helpers for PocketBase's field errors: `data` nests objects by field path, e.g.
 * `{fields: {"2": {name: {code, message}}}}`. A path is written `fields.2.name`.
 */

/** A field error as the API sends it. */
export interface FieldError {
  code: string;
  message: string;
}

/** The error object at `path` (dot-separated), if it is a `{code, message}` leaf. */
export function errorAt(errors: unknown, path: string): FieldError | undefined {
  let cur: unknown = errors;
  for (const part of path.split(".")) {
    if (!cur || typeof cur !== "object") return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  if (cur && typeof cur === "object" && "message" in cur && typeof (cur as FieldError).message === "string") {
    return cur as FieldError;
  }
  return undefined;
}

/** True when there is any error (leaf or nested) under `path`. */
export function hasErrorsUnder(errors: unknown, path: string): boolean {
  let cur: unknown = errors;
  for (const part of path.split(".")) {
    if (!cur || typeof cur !== "object") return false;
    cur = (cur as Record<string, unknown>)[part];
  }
  return !!cur && typeof cur === "object" && Object.keys(cur as object).length > 0;
}

/** Every leaf error as `path: message` lines (for errors not shown beside a field). */
export function flattenErrors(errors: unknown, prefix = ""): { path: string; message: string }[] {
  const out: { path: string; message: string }[] = [];
  if (!errors || typeof errors !== "object") return out;
  for (const [k, v] of Object.entries(errors as Record<string, unknown>)) {
    const p = prefix ? `${prefix}.${k}` : k;
    if (v && typeof v === "object" && "message" in v && typeof (v as FieldError).message === "string") {
      out.push({ path: p, message: (v as FieldError).message });
    } else out.push(...flattenErrors(v, p));
  }
  return out;
}
