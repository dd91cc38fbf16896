import type { FieldKind } from "./field-kind.ts";
import { fieldError } from "../api-error.ts";
import { checkBoolOption, checkIntRange, withCommonErrors, type OptionErrors } from "./common-options.ts";
import { applyListModifier, isMultiValue, listColumnType, listToDb, normalizeList, toUniqueStringList } from "./select.ts";

function intOption(v: unknown): number {
  return typeof v === "number" && Number.isFinite(v) ? v : 0;
}

/** The `relation` field: one or several record ids of the collection `collectionId`. */
export const relationField: FieldKind = {
  type: "relation",
  defaults: () => ({ cascadeDelete: false, collectionId: "", maxSelect: 0, minSelect: 0 }),
  columnType: listColumnType,
  isMultiple: isMultiValue,
  zero: (field) => (isMultiValue(field) ? [] : ""),
  normalize: (field, value) => normalizeList(field, value),
  fromDb: (field, raw) => normalizeList(field, raw, true),
  toDb: listToDb,
  toJSON: (field, value) => normalizeList(field, value),

  validateValue(field, value, ctx) {
    const ids = toUniqueStringList(value);
    if (ids.length === 0) return field.required ? fieldError("validation_required", "Cannot be blank.") : null;
    const minSelect = intOption(field.minSelect);
    if (minSelect > 0 && ids.length < minSelect) {
      return fieldError("validation_not_enough_values", `Select at least ${minSelect}.`, { minSelect });
    }
    const maxSelect = Math.max(intOption(field.maxSelect), 1);
    if (ids.length > maxSelect) {
      return fieldError("validation_too_many_values", `Select no more than ${maxSelect}.`, { maxSelect });
    }
    const collectionId = typeof field.collectionId === "string" ? field.collectionId : "";
    if (ctx.countExisting(collectionId, ids) !== ids.length) {
      return fieldError("validation_missing_rel_records", "Failed to find all relation records with the provided ids.");
    }
    return null;
  },

  validateOptions(field, ctx) {
    const errors: OptionErrors = {};
    const collectionId = typeof field.collectionId === "string" ? field.collectionId : "";
    const prev = ctx.previous;
    if (collectionId === "") {
      errors.collectionId = fieldError("validation_required", "Cannot be blank.");
    } else if (prev && prev.type === "relation" && typeof prev.collectionId === "string" && prev.collectionId !== "" && prev.collectionId !== collectionId) {
      errors.collectionId = fieldError("validation_field_old_collection_id", "The relation collection cannot be changed.");
    } else {
      const target = ctx.findCollection(collectionId);
      // PocketBase parity: the option holds the target's id; a name is not accepted.
      if (!target || target.id !== collectionId) {
        errors.collectionId = fieldError("validation_missing_collection", "The relation collection doesn't exist.");
      } else if (target.type === "view" && ctx.collectionType !== "view") {
        errors.collectionId = fieldError(
          "validation_invalid_view_collection_relation",
          "Non view collections are not allowed to have a view relation.",
        );
      }
    }
    if (field.cascadeDelete !== undefined) {
      const err = checkBoolOption(field.cascadeDelete);
      if (err) errors.cascadeDelete = err;
    }
    checkIntRange(errors, "minSelect", field.minSelect ?? 0, 0);
    const minSelect = intOption(field.minSelect);
    if (minSelect > 0 && intOption(field.maxSelect) === 0) {
      errors.maxSelect = fieldError("validation_required", "Cannot be blank.");
    } else {
      checkIntRange(errors, "maxSelect", field.maxSelect ?? 0, Math.max(minSelect, 0));
    }
    return withCommonErrors(field, errors);
  },

  applyModifier: applyListModifier,
};
