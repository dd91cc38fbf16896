import type { Router } from "../router.ts";
import type { App } from "../../core/app.ts";
import { ApiError } from "../../core/api-error.ts";
import { findRecordById } from "../../core/records/record-query.ts";
import { newAuthToken } from "../../core/auth/tokens.ts";
import { requireSuperuserAuth } from "../middleware/require-auth.ts";
import { authCollection } from "./record-auth-password.ts";
import { sendRecordAuthResponse } from "./record-auth-response.ts";
import { FormErrors } from "./record-auth-validate.ts";

/**
 * `POST /api/collections/{collection}/impersonate/{id}`: superusers only. Answers with a
 * non-refreshable auth token of the record, valid `duration` seconds (0 = the collection's
 * auth token duration). No MFA, no login alert.
 */
export function registerRecordAuthImpersonateRoutes(router: Router, _app: App): void {
  router.add("POST", "/api/collections/{collection}/impersonate/{id}", async (e) => {
    const c = authCollection(e);
    const raw = e.body.duration ?? 0;
    const duration = typeof raw === "number" ? raw : typeof raw === "string" && raw.trim() !== "" ? Number(raw) : 0;
    const errors = new FormErrors();
    if (!Number.isFinite(duration) || !Number.isInteger(duration)) errors.add("duration", "validation_not_a_number", "Must be a valid integer.");
    else if (duration < 0) errors.add("duration", "validation_min_greater_equal_than_required", "Must be no less than 0.", { threshold: 0 });
    errors.throwIfAny();
    const record = findRecordById(e.app, c, e.params.id!);
    if (!record) throw new ApiError(404);
    const token = newAuthToken(record, false, duration > 0 ? duration : undefined);
    await sendRecordAuthResponse(e, record, "", undefined, { token });
  }, requireSuperuserAuth);
}
