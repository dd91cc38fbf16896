import type { Router } from "../router.ts";
import type { App } from "../../core/app.ts";
import type { RecordAuthWithOTPRequestEvent, RecordRequestOTPRequestEvent } from "../../core/auth/auth-events.ts";
import { ApiError } from "../../core/api-error.ts";
import { findAuthRecordByEmail, findRecordById } from "../../core/records/record-query.ts";
import { sendRecordOTP } from "../../core/mail/record-mails.ts";
import { MAX_ACTIVE_OTPS, allowOTPAttempt, createOTP, findActiveOTPs, findOTPById, isExpired, newOTPCode, verifyOTPCode } from "../../core/auth/otp.ts";
import { newRecordId } from "../../tools/security.ts";
import { authCollection } from "./record-auth-password.ts";
import { sendRecordAuthResponse } from "./record-auth-response.ts";
import { FormErrors, bodyString, checkEmail, checkRequired } from "./record-auth-validate.ts";

const INVALID_OTP = "Invalid or expired OTP.";

/** `request-otp` and `auth-with-otp` (PocketBase's `record_auth_otp_request` / `record_auth_with_otp`). */
export function registerRecordAuthOTPRoutes(router: Router, app: App): void {
  const h = app.hooks;

  router.add("POST", "/api/collections/{collection}/request-otp", async (e) => {
    const c = authCollection(e);
    if (!c.otp?.enabled) throw new ApiError(403, "The collection is not configured to allow OTP authentication.");
    const email = bodyString(e, "email");
    const errors = new FormErrors();
    checkEmail(errors, "email", email);
    errors.throwIfAny();
    const ev = e as RecordRequestOTPRequestEvent;
    ev.collection = c;
    ev.record = findAuthRecordByEmail(e.app, c, email);
    ev.password = newOTPCode(c.otp.length);
    await h.recordRequestOTPRequest.triggerAsync(ev, async (x) => {
      const record = x.record;
      if (!record) {
        // PocketBase parity: a made-up id, so the answer does not tell whether the account exists
        x.json(200, { otpId: newRecordId() });
        return;
      }
      const duration = c.otp?.duration ?? 180;
      const active = findActiveOTPs(x.app, record, duration);
      if (!x.app.isDev() && active.length > MAX_ACTIVE_OTPS) {
        // too many codes in flight: hand out the newest again without another mail
        x.json(200, { otpId: active[active.length - 1]!.id });
        return;
      }
      const otp = await createOTP(x.app, record, x.password, record.email());
      try {
        await sendRecordOTP(x.app, record, otp.id, x.password);
      } catch (err) {
        x.app.delete(otp);
        throw new ApiError(400, "Failed to send OTP.", {}, { cause: err });
      }
      x.json(200, { otpId: otp.id });
    }, [c.id, c.name]);
  });

  router.add("POST", "/api/collections/{collection}/auth-with-otp", async (e) => {
    const c = authCollection(e);
    if (!c.otp?.enabled) throw new ApiError(403, "The collection is not configured to allow OTP authentication.");
    const otpId = bodyString(e, "otpId");
    const password = bodyString(e, "password");
    const errors = new FormErrors();
    checkRequired(errors, "otpId", otpId, 1, 255);
    checkRequired(errors, "password", password, 1, 71);
    errors.throwIfAny();
    const otp = findOTPById(e.app, otpId);
    if (!otp || otp.getString("collectionRef") !== c.id) throw new ApiError(400, INVALID_OTP);
    // PocketBase parity: at most 5 attempts per record in 180 s, whatever the rate limit settings
    if (!(await allowOTPAttempt(e.app, `${c.id}:${otp.getString("recordRef")}`))) {
      throw new ApiError(429, "Too many attempts, please try again later with a new OTP.");
    }
    if (isExpired(otp, c.otp.duration) || !(await verifyOTPCode(otp, password))) throw new ApiError(400, INVALID_OTP);
    const record = findRecordById(e.app, c, otp.getString("recordRef"));
    if (!record) throw new ApiError(400, INVALID_OTP);
    const ev = e as RecordAuthWithOTPRequestEvent;
    ev.context = "otp";
    ev.collection = c;
    ev.record = record;
    ev.otp = otp;
    await h.recordAuthWithOTPRequest.triggerAsync(ev, async (x) => {
      const r = x.record!;
      // single use: a concurrent request that used it first wins (no await between check and delete)
      if (!findOTPById(x.app, x.otp.id)) throw new ApiError(400, INVALID_OTP);
      x.app.delete(x.otp);
      const sentTo = x.otp.getString("sentTo");
      if (!r.verified() && sentTo !== "" && sentTo === r.email()) {
        // the code reached the record's address, which proves it
        r.setVerified(true);
        // PocketBase parity: without MFA, a password set by whoever created the unverified account is dropped
        if (!c.mfa?.enabled) r.setRandomPassword();
        x.app.save(r);
      }
      await sendRecordAuthResponse(x, r, "otp");
    }, [c.id, c.name]);
  });
}
