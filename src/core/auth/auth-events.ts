import type { RequestEvent } from "../request-event.ts";
import type { Record } from "../records/record.ts";
import type { AuthUser } from "./oauth2/auth-user.ts";
import type { OAuth2Provider } from "./oauth2/provider.ts";

/**
 * `onRecordAuthWithOAuth2Request`: `record` is null when a new record will be created,
 * `createData` is the client's data for that record, `isNewRecord` tells which case ran.
 */
export type RecordAuthWithOAuth2RequestEvent = RequestEvent & {
  providerName: string;
  providerClient: OAuth2Provider;
  oauth2User: AuthUser;
  createData: { [k: string]: unknown };
  isNewRecord: boolean;
};

/** `onRecordRequestOTPRequest`: `record` may be null (unknown email); `password` is the new code. */
export type RecordRequestOTPRequestEvent = RequestEvent & { password: string };

/** `onRecordAuthWithOTPRequest`: the `_otps` record being used. */
export type RecordAuthWithOTPRequestEvent = RequestEvent & { otp: Record };

/** `onRecordRequestEmailChangeRequest` and `onRecordConfirmEmailChangeRequest`. */
export type RecordEmailChangeRequestEvent = RequestEvent & { newEmail: string };
