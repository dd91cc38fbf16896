import type { RequestEvent } from "../../core/request-event.ts";
import type { FieldError } from "../../core/fields/field-kind.ts";
import { ApiError, fieldError } from "../../core/api-error.ts";
import { isEmailAddress } from "../../core/fields/email.ts";

/** PocketBase's message for a body that failed the form validation of an auth action. */
export const VALIDATION_MESSAGE = "An error occurred while validating the submitted data.";

/** Collects form errors of an auth action and throws them as one 400. */
export class FormErrors {
  private errors: { [k: string]: FieldError } = {};

  /** Adds an error for a key unless it already has one. */
  add(key: string, code: string, message: string, params?: { [k: string]: unknown }): this {
    this.errors[key] ??= fieldError(code, message, params);
    return this;
  }

  /** True when the key has an error. */
  has(key: string): boolean {
    return key in this.errors;
  }

  /** Throws the 400 when any error was added. */
  throwIfAny(message = VALIDATION_MESSAGE): void {
    if (Object.keys(this.errors).length > 0) throw new ApiError(400, message, this.errors);
  }
}

/** A body value as a string ("" when missing or not a string). */
export function bodyString(e: RequestEvent, key: string): string {
  const v = e.body[key];
  return typeof v === "string" ? v : typeof v === "number" ? String(v) : "";
}

/** Checks a required string value (with an optional length range, in characters). */
export function checkRequired(errors: FormErrors, key: string, value: string, min = 1, max = 0): void {
  if (value === "") {
    errors.add(key, "validation_required", "Cannot be blank.");
    return;
  }
  const n = [...value].length;
  if (max > 0 && n > max) errors.add(key, "validation_length_too_long", `The length must be no more than ${max}.`, { max });
  else if (n < min) errors.add(key, "validation_length_too_short", `The length must be no less than ${min}.`, { min });
}

/** Checks a required email value. */
export function checkEmail(errors: FormErrors, key: string, value: string): void {
  checkRequired(errors, key, value, 1, 255);
  if (!errors.has(key) && !isEmailAddress(value)) errors.add(key, "validation_is_email", "Must be a valid email address.");
}
