import type { Router } from "../router.ts";
import type { App } from "../../core/app.ts";
import type { Record } from "../../core/records/record.ts";
import { ApiError, ValidationError } from "../../core/api-error.ts";
import { findAuthRecordByEmail, findRecordById } from "../../core/records/record-query.ts";
import { sendRecordPasswordReset } from "../../core/mail/record-mails.ts";
import { checkActionToken } from "../../core/auth/action-tokens.ts";
import { claimResend, clearResend } from "../../core/auth/resend-throttle.ts";
import { hashPasswordValue } from "../../core/fields/password.ts";
import { authCollection } from "./record-auth-password.ts";
import { FormErrors, VALIDATION_MESSAGE, bodyString, checkEmail, checkRequired } from "./record-auth-validate.ts";

/** Sets a new password on a record, hashed off the JS thread first. */
export async function setPrehashedPassword(record: Record, plain: string): Promise<void> {
  const f = record.collection().getFieldByName("password");
  if (!f) {
    record.setPassword(plain);
    return;
  }
  record.setRaw("password", await hashPasswordValue(f, { hash: "", plain }));
}

/** `request-password-reset` and `confirm-password-reset` (PocketBase's `record_auth_password_reset_*`). */
export function registerRecordAuthPasswordResetRoutes(router: Router, app: App): void {
  const h = app.hooks;

  router.add("POST", "/api/collections/{collection}/request-password-reset", async (e) => {
    const c = authCollection(e);
    if (!c.passwordAuth?.enabled) throw new ApiError(400, "The collection is not configured to allow password authentication.");
    const email = bodyString(e, "email");
    const errors = new FormErrors();
    checkEmail(errors, "email", email);
    errors.throwIfAny();
    const record = findAuthRecordByEmail(e.app, c, email);
    // PocketBase parity: 204 whether or not the account exists
    if (!record) return e.noContent(204);
    const key = `requestPasswordReset_${c.id}_${record.id}`;
    if (!(await claimResend(e.app, key))) return e.noContent(204);
    e.collection = c;
    e.record = record;
    await h.recordRequestPasswordResetRequest.triggerAsync(e, async (ev) => {
      try {
        await sendRecordPasswordReset(ev.app, ev.record!);
      } catch (err) {
        clearResend(ev.app, key);
        throw new ApiError(400, "Failed to send password reset email.", {}, { cause: err });
      }
      ev.noContent(204);
    }, [c.id, c.name]);
  });

  router.add("POST", "/api/collections/{collection}/confirm-password-reset", async (e) => {
    const c = authCollection(e);
    const token = bodyString(e, "token");
    const password = bodyString(e, "password");
    const passwordConfirm = bodyString(e, "passwordConfirm");
    const pf = c.getFieldByName("password");
    const min = typeof pf?.min === "number" && pf.min > 0 ? pf.min : 8;
    const errors = new FormErrors();
    checkRequired(errors, "token", token);
    checkRequired(errors, "password", password, min, 255);
    checkRequired(errors, "passwordConfirm", passwordConfirm);
    if (!errors.has("passwordConfirm") && password !== passwordConfirm) {
      errors.add("passwordConfirm", "validation_values_mismatch", "Values don't match.");
    }
    let checked: ReturnType<typeof checkActionToken> | null = null;
    if (!errors.has("token")) {
      checked = checkActionToken(e.app, c, token, "passwordReset");
      if (!checked.ok) errors.add("token", checked.error.code, checked.error.message);
    }
    errors.throwIfAny();
    const { record, claims } = checked as Extract<ReturnType<typeof checkActionToken>, { ok: true }>;
    await setPrehashedPassword(record, password);
    e.collection = c;
    e.record = record;
    await h.recordConfirmPasswordResetRequest.triggerAsync(e, (ev) => {
      const r = ev.record!;
      // the token's tokenKey must still be current (another reset may have won the race)
      const fresh = findRecordById(ev.app, c, r.id);
      if (!fresh || fresh.tokenKey() !== r.tokenKey()) {
        throw new ApiError(400, VALIDATION_MESSAGE, { token: { code: "validation_invalid_token", message: "Invalid or expired password reset token." } });
      }
      // PocketBase parity: the mail reached the address the token was made for, so it is verified
      if (String(claims.email ?? "") === r.email()) r.setVerified(true);
      try {
        // the changed password rotates tokenKey: every older token dies
        ev.app.save(r);
      } catch (err) {
        if (err instanceof ValidationError) throw new ApiError(400, VALIDATION_MESSAGE, err.errors);
        throw err;
      }
      clearResend(ev.app, `requestPasswordReset_${c.id}_${r.id}`);
      ev.noContent(204);
    }, [c.id, c.name]);
  });
}
