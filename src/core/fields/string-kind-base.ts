import type { FieldKind } from "./field-kind.ts";
import { castToString } from "./text.ts";

/**
 * The storage and conversion shared by the plain string kinds (email, url, editor): a
 * `TEXT DEFAULT '' NOT NULL` column, "" as zero, and string casts both ways.
 */
export const stringKindBase = {
  columnType: () => "TEXT DEFAULT '' NOT NULL",
  isMultiple: () => false,
  zero: () => "",
  normalize: (_field: unknown, value: unknown) => castToString(value),
  fromDb: (_field: unknown, raw: unknown) => castToString(raw),
  toDb: (_field: unknown, value: unknown) => castToString(value),
  toJSON: (_field: unknown, value: unknown) => castToString(value),
} satisfies Partial<FieldKind>;
