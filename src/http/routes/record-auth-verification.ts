import type { Router } from "../router.ts";
import type { App } from "../../core/app.ts";
import { ApiError, ValidationError } from "../../core/api-error.ts";
import { findAuthRecordByEmail } from "../../core/records/record-query.ts";
import { findRecordById } from "../../core/records/record-query.ts";
import { sendRecordVerification } from "../../core/mail/record-mails.ts";
import { checkActionToken } from "../../core/auth/action-tokens.ts";
import { claimResend, clearResend } from "../../core/auth/resend-throttle.ts";
import { authCollection } from "./record-auth-password.ts";
import { FormErrors, VALIDATION_MESSAGE, bodyString, checkEmail, checkRequired } from "./record-auth-validate.ts";

/** `request-verification` and `confirm-verification` (PocketBase's `record_auth_verification_*`). */
export function registerRecordAuthVerificationRoutes(router: Router, app: App): void {
  const h = app.hooks;

  router.add("POST", "/api/collections/{collection}/request-verification", async (e) => {
    const c = authCollection(e);
    if (c.name === "_superusers") throw new ApiError(400, "All superusers are verified by default.");
    const email = bodyString(e, "email");
    const errors = new FormErrors();
    checkEmail(errors, "email", email);
    errors.throwIfAny();
    const record = findAuthRecordByEmail(e.app, c, email);
    // PocketBase parity: 204 whether or not the account exists or is already verified
    if (!record || record.verified()) return e.noContent(204);
    const key = `requestVerification_${c.id}_${record.id}`;
    if (!(await claimResend(e.app, key))) return e.noContent(204);
    e.collection = c;
    e.record = record;
    await h.recordRequestVerificationRequest.triggerAsync(e, async (ev) => {
      try {
        await sendRecordVerification(ev.app, ev.record!);
      } catch (err) {
        clearResend(ev.app, key);
        throw new ApiError(400, "Failed to send verification email.", {}, { cause: err });
      }
      ev.noContent(204);
    }, [c.id, c.name]);
  });

  router.add("POST", "/api/collections/{collection}/confirm-verification", async (e) => {
    const c = authCollection(e);
    const token = bodyString(e, "token");
    const errors = new FormErrors();
    checkRequired(errors, "token", token);
    errors.throwIfAny();
    const checked = checkActionToken(e.app, c, token, "verification");
    if (!checked.ok) throw new ApiError(400, VALIDATION_MESSAGE, { token: checked.error });
    const record = checked.record;
    if (String(checked.claims.email ?? "") !== record.email()) {
      throw new ApiError(400, VALIDATION_MESSAGE, { token: { code: "validation_invalid_token_claims", message: "Invalid token claims." } });
    }
    e.collection = c;
    e.record = record;
    await h.recordConfirmVerificationRequest.triggerAsync(e, (ev) => {
      const r = findRecordById(ev.app, c, ev.record!.id) ?? ev.record!;
      if (!r.verified()) {
        r.setVerified(true);
        // PocketBase parity: without password auth nobody may keep a password set by someone else
        if (!c.passwordAuth?.enabled) r.setRandomPassword();
        try {
          ev.app.save(r);
        } catch (err) {
          if (err instanceof ValidationError) throw new ApiError(400, "Failed to verify the record.", err.errors);
          throw err;
        }
      }
      clearResend(ev.app, `requestVerification_${c.id}_${r.id}`);
      ev.noContent(204);
    }, [c.id, c.name]);
  });
}
