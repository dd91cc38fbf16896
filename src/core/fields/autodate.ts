import type { FieldKind } from "./field-kind.ts";
import { fieldError } from "../api-error.ts";
import { normalizeDateString } from "../../tools/dates.ts";
import { checkBoolOption, withCommonErrors, type OptionErrors } from "./common-options.ts";

/**
 * The `autodate` field (`created`, `updated`): a date string set by the server on create and/or
 * update. It has no `required` and no `help` option.
 *
 * PocketBase parity: client writes are ignored by the record layer (the setter is a no-op);
 * `normalize` still casts so that server code reading a value gets a date string.
 */
export const autodateField: FieldKind = {
  type: "autodate",
  defaults: () => ({ onCreate: false, onUpdate: false }),
  columnType: () => "TEXT DEFAULT '' NOT NULL",
  isMultiple: () => false,
  zero: () => "",
  normalize: (_field, value) => normalizeDateString(value),
  fromDb: (_field, raw) => normalizeDateString(raw),
  toDb: (_field, value) => normalizeDateString(value),
  toJSON: (_field, value) => normalizeDateString(value),
  validateValue: () => null,

  validateOptions(field, ctx) {
    const errors: OptionErrors = {};
    for (const key of ["onCreate", "onUpdate"] as const) {
      const err = checkBoolOption(field[key] ?? false);
      if (err) errors[key] = err;
    }
    if (!errors.onCreate && !errors.onUpdate && field.onCreate !== true && field.onUpdate !== true) {
      const err = fieldError("validation_required", "At least one of onCreate or onUpdate must be enabled.");
      errors.onCreate = err;
      errors.onUpdate = err;
    }
    // PocketBase parity: a system autodate keeps its triggers.
    const prev = ctx.previous;
    if (prev && prev.type === "autodate" && field.system) {
      for (const key of ["onCreate", "onUpdate"] as const) {
        if ((prev[key] === true) !== (field[key] === true)) {
          errors[key] = fieldError("validation_system_field_change", "The option of a system field cannot be changed.");
        }
      }
    }
    return withCommonErrors(field, errors);
  },

  prepare(field, value, ctx) {
    if (ctx.isNew ? field.onCreate === true : field.onUpdate === true) return ctx.now;
    return normalizeDateString(value);
  },
};
