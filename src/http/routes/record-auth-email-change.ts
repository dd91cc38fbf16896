import type { Router } from "../router.ts";
import type { App } from "../../core/app.ts";
import type { Collection } from "../../core/collections/collection.ts";
import type { RequestEvent } from "../../core/request-event.ts";
import type { RecordEmailChangeRequestEvent } from "../../core/auth/auth-events.ts";
import { ApiError, ValidationError } from "../../core/api-error.ts";
import { findAuthRecordByEmail, findRecordById } from "../../core/records/record-query.ts";
import { sendRecordChangeEmail } from "../../core/mail/record-mails.ts";
import { checkActionToken } from "../../core/auth/action-tokens.ts";
import { checkDomainAllowed } from "../../core/fields/email.ts";
import { authCollection } from "./record-auth-password.ts";
import { FormErrors, VALIDATION_MESSAGE, bodyString, checkEmail, checkRequired } from "./record-auth-validate.ts";

/** True when another record of the collection already uses the address. */
function emailTaken(e: RequestEvent, c: Collection, email: string, exceptId: string): boolean {
  const other = findAuthRecordByEmail(e.app, c, email);
  return !!other && other.id !== exceptId;
}

/** `request-email-change` and `confirm-email-change` (PocketBase's `record_auth_email_change_*`). */
export function registerRecordAuthEmailChangeRoutes(router: Router, app: App): void {
  const h = app.hooks;

  router.add("POST", "/api/collections/{collection}/request-email-change", async (e) => {
    const c = authCollection(e);
    if (!e.auth) throw new ApiError(401, "The request requires valid record authorization token.");
    if (e.auth.collection().id !== c.id) throw new ApiError(403, `The request requires auth record from ${e.auth.collection().name} collection.`);
    if (c.name === "_superusers") throw new ApiError(400, "All superusers can change their emails directly.");
    const record = e.auth;
    const newEmail = bodyString(e, "newEmail");
    const errors = new FormErrors();
    checkEmail(errors, "newEmail", newEmail);
    if (!errors.has("newEmail") && newEmail.toLowerCase() === record.email().toLowerCase()) {
      errors.add("newEmail", "validation_not_in_invalid", "Must be a valid value.");
    }
    const ef = c.getFieldByName("email");
    if (!errors.has("newEmail") && ef) {
      const domain = newEmail.slice(newEmail.lastIndexOf("@") + 1);
      const bad = checkDomainAllowed(ef, domain, "validation_email_domain_not_allowed", "Email domain is not allowed.");
      if (bad) errors.add("newEmail", bad.code, bad.message);
    }
    if (!errors.has("newEmail") && emailTaken(e, c, newEmail, record.id)) {
      errors.add("newEmail", "validation_invalid_new_email", "User email already exists.");
    }
    errors.throwIfAny();
    const ev = e as RecordEmailChangeRequestEvent;
    ev.collection = c;
    ev.record = record;
    ev.newEmail = newEmail;
    await h.recordRequestEmailChangeRequest.triggerAsync(ev, async (x) => {
      try {
        await sendRecordChangeEmail(x.app, x.record!, x.newEmail);
      } catch (err) {
        throw new ApiError(400, "Failed to send email change email.", {}, { cause: err });
      }
      x.noContent(204);
    }, [c.id, c.name]);
  });

  router.add("POST", "/api/collections/{collection}/confirm-email-change", async (e) => {
    const c = authCollection(e);
    const token = bodyString(e, "token");
    const password = bodyString(e, "password");
    const errors = new FormErrors();
    checkRequired(errors, "token", token);
    checkRequired(errors, "password", password, 1, 255);
    errors.throwIfAny();
    const checked = checkActionToken(e.app, c, token, "emailChange");
    if (!checked.ok) throw new ApiError(400, VALIDATION_MESSAGE, { token: checked.error });
    const { record, claims } = checked;
    const newEmail = String(claims.newEmail ?? "");
    if (String(claims.email ?? "") !== record.email()) {
      errors.add("token", "validation_invalid_token_email", "The token email doesn't match the record email.");
    } else if (!newEmail) {
      errors.add("token", "validation_invalid_token_payload", "Invalid token payload - newEmail must be set.");
    } else if (emailTaken(e, c, newEmail, record.id)) {
      errors.add("token", "validation_invalid_new_email", "User email already exists.");
    }
    errors.throwIfAny();
    const hash = String(record.get("password:hash") ?? "");
    let ok = false;
    try {
      ok = !!hash && (await Bun.password.verify(password, hash));
    } catch {
      ok = false;
    }
    if (!ok) throw new ApiError(400, VALIDATION_MESSAGE, { password: { code: "validation_invalid_password", message: "Missing or invalid auth record password." } });
    const ev = e as RecordEmailChangeRequestEvent;
    ev.collection = c;
    ev.record = record;
    ev.newEmail = newEmail;
    await h.recordConfirmEmailChangeRequest.triggerAsync(ev, (x) => {
      const r = findRecordById(x.app, c, x.record!.id);
      if (!r || r.tokenKey() !== x.record!.tokenKey()) {
        throw new ApiError(400, VALIDATION_MESSAGE, { token: { code: "validation_invalid_token", message: "Invalid or expired email change token." } });
      }
      r.setEmail(x.newEmail);
      // the new address received the mail: it is verified
      r.setVerified(true);
      try {
        // the changed email rotates tokenKey: every older token dies
        x.app.save(r);
      } catch (err) {
        if (err instanceof ValidationError) throw new ApiError(400, VALIDATION_MESSAGE, err.errors);
        throw err;
      }
      x.noContent(204);
    }, [c.id, c.name]);
  });
}
