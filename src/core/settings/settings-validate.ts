import { ValidationError, fieldError, type ErrorData } from "../api-error.ts";
import type { Settings } from "./settings-defaults.ts";
import { validateRateLimits } from "../rate-limit/rate-limit-rules.ts";

/** Validates settings with PocketBase's rules; throws `ValidationError` with nested errors. */
export function validateSettings(s: Settings): void {
  const errors: ErrorData = {};
  const meta: ErrorData = {};
  if (typeof s.meta?.appName !== "string" || s.meta.appName.trim() === "") meta.appName = fieldError("validation_required", "Cannot be blank.");
  else if (s.meta.appName.length > 255) meta.appName = fieldError("validation_length_too_long", "The length must be no more than 255.");
  if (typeof s.meta?.appURL !== "string" || !isURL(s.meta.appURL)) meta.appURL = fieldError("validation_is_url", "Must be a valid URL.");
  if (typeof s.meta?.senderName !== "string" || s.meta.senderName.trim() === "") meta.senderName = fieldError("validation_required", "Cannot be blank.");
  if (typeof s.meta?.senderAddress !== "string" || !/^[^@\s]+@[^@\s]+$/.test(s.meta.senderAddress)) meta.senderAddress = fieldError("validation_is_email", "Must be a valid email address.");
  if (Object.keys(meta).length) errors.meta = meta;

  const smtp: ErrorData = {};
  if (s.smtp?.enabled) {
    if (!s.smtp.host) smtp.host = fieldError("validation_required", "Cannot be blank.");
    if (!Number.isInteger(s.smtp.port) || s.smtp.port < 1 || s.smtp.port > 65535) smtp.port = fieldError("validation_required", "Must be a valid port.");
  }
  if (s.smtp?.authMethod && !["PLAIN", "LOGIN"].includes(s.smtp.authMethod)) smtp.authMethod = fieldError("validation_in_invalid", "Must be a valid value.");
  if (Object.keys(smtp).length) errors.smtp = smtp;

  for (const key of ["s3"] as const) {
    const cfg = s[key];
    if (cfg?.enabled) {
      const e: ErrorData = {};
      for (const k of ["endpoint", "bucket", "region", "accessKey", "secret"] as const) if (!cfg[k]) e[k] = fieldError("validation_required", "Cannot be blank.");
      if (Object.keys(e).length) errors[key] = e;
    }
  }
  const batch: ErrorData = {};
  if (!Number.isInteger(s.batch?.maxRequests) || s.batch.maxRequests < 0) batch.maxRequests = fieldError("validation_min_greater_equal_than_required", "Must be no less than 0.");
  if (!Number.isInteger(s.batch?.timeout) || s.batch.timeout < 0) batch.timeout = fieldError("validation_min_greater_equal_than_required", "Must be no less than 0.");
  if (Object.keys(batch).length) errors.batch = batch;

  const rateLimits = validateRateLimits(s.rateLimits);
  if (rateLimits) errors.rateLimits = rateLimits;
  if (!Number.isInteger(s.logs?.maxDays) || s.logs.maxDays < 0) errors.logs = { maxDays: fieldError("validation_min_greater_equal_than_required", "Must be no less than 0.") };
  if (Object.keys(errors).length) throw new ValidationError(errors);
}

function isURL(v: string): boolean {
  try {
    const u = new URL(v);
    return u.protocol === "http:" || u.protocol === "https:";
  } catch {
    return false;
  }
}
