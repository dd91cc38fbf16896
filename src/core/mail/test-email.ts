import type { App } from "../app.ts";
import { Record } from "../records/record.ts";
import { ApiError, fieldError } from "../api-error.ts";
import type { FieldError } from "../fields/field-kind.ts";
import { isEmailAddress } from "../fields/email.ts";
import { newRecordId } from "../../tools/security.ts";
import { sendRecordAuthAlert, sendRecordChangeEmail, sendRecordOTP, sendRecordPasswordReset, sendRecordVerification } from "./record-mails.ts";

/** The templates `POST /api/settings/test/email` can send. */
export const TEST_EMAIL_TEMPLATES = ["verification", "password-reset", "email-change", "otp", "login-alert"] as const;

/**
 * Sends one of an auth collection's mails to `email` with placeholder values (a made-up record
 * and tokens), as `POST /api/settings/test/email` does. Throws a 400 ApiError for bad input or
 * a failed delivery.
 */
export async function sendTestEmail(app: App, input: { email?: unknown; template?: unknown; collection?: unknown }): Promise<void> {
  const email = typeof input.email === "string" ? input.email : "";
  const template = typeof input.template === "string" ? input.template : "";
  const collectionName = typeof input.collection === "string" && input.collection !== "" ? input.collection : "_superusers";
  const errors: { [k: string]: FieldError } = {};
  if (!email) errors.email = fieldError("validation_required", "Cannot be blank.");
  else if (!isEmailAddress(email)) errors.email = fieldError("validation_is_email", "Must be a valid email address.");
  if (!template) errors.template = fieldError("validation_required", "Cannot be blank.");
  else if (!(TEST_EMAIL_TEMPLATES as readonly string[]).includes(template)) errors.template = fieldError("validation_in_invalid", "Must be a valid value.");
  const c = app.findCachedCollectionByNameOrId(collectionName);
  if (!c || !c.isAuth()) errors.collection = fieldError("validation_invalid_collection", "Missing or invalid auth collection.");
  if (Object.keys(errors).length > 0) throw new ApiError(400, "An error occurred while validating the submitted data.", errors);

  const record = new Record(c!);
  record.id = newRecordId();
  record.setEmail(email);
  const token = "_test_token_";
  try {
    switch (template) {
      case "verification":
        await sendRecordVerification(app, record, token);
        break;
      case "password-reset":
        await sendRecordPasswordReset(app, record, token);
        break;
      case "email-change":
        await sendRecordChangeEmail(app, record, email, token);
        break;
      case "otp":
        await sendRecordOTP(app, record, "_test_otp_id_", "123456");
        break;
      default:
        await sendRecordAuthAlert(app, record, "127.0.0.1 Test user agent");
    }
  } catch (err) {
    throw new ApiError(400, "Failed to send the test email.", {}, { cause: err });
  }
}
