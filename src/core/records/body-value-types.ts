import type { FieldConfig } from "../collections/collection-types.ts";
import type { FieldError } from "../fields/field-kind.ts";
import { fieldError } from "../api-error.ts";
import { parseDate } from "../../tools/dates.ts";

const invalid = (what: string): FieldError => fieldError("validation_invalid_value", `Invalid value type: expected ${what}.`);

function isScalar(v: unknown): boolean {
  return v === null || ["string", "number", "boolean"].includes(typeof v);
}

/**
 * Checks that a value submitted through the REST API has a JSON type the field can take.
 * NB: stricter than PocketBase on purpose: PocketBase silently turns e.g. `{"a":1}` in a select
 * or `"abc"` in a number into the zero value; Satchel answers 400 so the data is never changed
 * by accident. Hooks and `record.set` keep PocketBase's lenient casting.
 */
export function checkBodyValueType(f: FieldConfig, v: unknown): FieldError | null {
  switch (f.type) {
    case "text":
    case "email":
    case "url":
    case "editor":
    case "password":
      return isScalar(v) ? null : invalid("a string");
    case "number":
      if (v === null || v === "" || typeof v === "boolean") return null;
      if (typeof v === "number") return Number.isFinite(v) ? null : fieldError("validation_not_a_number", "The value must be a valid number.");
      if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) return null;
      return fieldError("validation_not_a_number", "The value must be a valid number.");
    case "bool":
      if (v === null || typeof v === "boolean" || v === "" || v === 0 || v === 1) return null;
      if (typeof v === "string" && ["true", "false", "1", "0", "t", "f", "TRUE", "FALSE", "True", "False"].includes(v)) return null;
      return invalid("a boolean");
    case "date":
    case "autodate":
      if (v === null || v === "") return null;
      return parseDate(v) ? null : fieldError("validation_invalid_date", "Must be a valid date.");
    case "select":
    case "relation":
    case "file":
      if (isScalar(v)) return null;
      if (Array.isArray(v) && v.every((x) => isScalar(x) || x instanceof Blob)) return null;
      if (v instanceof Blob) return null;
      return invalid("a string or a list of strings");
    case "geoPoint": {
      if (v === null || v === "") return null;
      let obj: unknown = v;
      if (typeof v === "string") {
        try {
          obj = JSON.parse(v);
        } catch {
          return invalid('an object {"lon":x,"lat":y}');
        }
      }
      if (typeof obj !== "object" || obj === null || Array.isArray(obj)) return invalid('an object {"lon":x,"lat":y}');
      const p = obj as { lon?: unknown; lat?: unknown };
      const num = (x: unknown) => x === undefined || (typeof x === "number" && Number.isFinite(x)) || (typeof x === "string" && x !== "" && Number.isFinite(Number(x)));
      return num(p.lon) && num(p.lat) ? null : invalid('an object {"lon":x,"lat":y}');
    }
    default:
      return null;
  }
}
