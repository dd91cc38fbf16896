import type { App } from "../app.ts";
import type { Record } from "../records/record.ts";
import type { EmailTemplate } from "../collections/collection-types.ts";
import type { Hook } from "../hooks/hook.ts";
import type { MailerRecordEvent } from "./mail-message.ts";
import { DEFAULT_TEMPLATES } from "../collections/auth-defaults.ts";
import { newEmailChangeToken, newPasswordResetToken, newVerificationToken } from "../auth/tokens.ts";
import { defaultSender, newMailClient, sendMail } from "./mailer.ts";
import { PLACEHOLDERS, resolveEmailTemplate } from "./mail-templates.ts";
import { newEvent } from "../events.ts";

/** Builds the message of a record mail and sends it through its `onMailerRecord…Send` hook. */
async function sendRecordMail(
  app: App,
  hook: Hook<MailerRecordEvent>,
  record: Record,
  template: EmailTemplate,
  to: string,
  placeholders: { [k: string]: string },
  meta: { [k: string]: unknown },
): Promise<void> {
  const { subject, html } = resolveEmailTemplate(app, record, template, placeholders);
  const mailer = newMailClient(app);
  const message = { from: defaultSender(app), to: [{ address: to }], subject, html };
  const e = newEvent<MailerRecordEvent>({ app, mailer, message, record, meta });
  const c = record.collection();
  await hook.triggerAsync(e, (ev) => sendMail(ev.app, ev.message, ev.mailer), [c.id, c.name]);
}

/** Sends the "verify your email" mail with a new verification token. */
export async function sendRecordVerification(app: App, record: Record, token = newVerificationToken(record)): Promise<void> {
  const t = record.collection().verificationTemplate ?? DEFAULT_TEMPLATES.verification;
  await sendRecordMail(app, app.hooks.mailerRecordVerificationSend, record, t, record.email(), { [PLACEHOLDERS.token]: token }, { token });
}

/** Sends the password reset mail with a new password reset token. */
export async function sendRecordPasswordReset(app: App, record: Record, token = newPasswordResetToken(record)): Promise<void> {
  const t = record.collection().resetPasswordTemplate ?? DEFAULT_TEMPLATES.resetPassword;
  await sendRecordMail(app, app.hooks.mailerRecordPasswordResetSend, record, t, record.email(), { [PLACEHOLDERS.token]: token }, { token });
}

/** Sends the email change confirmation to the new address. */
export async function sendRecordChangeEmail(app: App, record: Record, newEmail: string, token = newEmailChangeToken(record, newEmail)): Promise<void> {
  const t = record.collection().confirmEmailChangeTemplate ?? DEFAULT_TEMPLATES.confirmEmailChange;
  await sendRecordMail(app, app.hooks.mailerRecordEmailChangeSend, record, t, newEmail, { [PLACEHOLDERS.token]: token }, { token, newEmail });
}

/** Sends a one-time password. */
export async function sendRecordOTP(app: App, record: Record, otpId: string, password: string, to = record.email()): Promise<void> {
  const t = record.collection().otp?.emailTemplate ?? DEFAULT_TEMPLATES.otp;
  await sendRecordMail(app, app.hooks.mailerRecordOTPSend, record, t, to, { [PLACEHOLDERS.otpId]: otpId, [PLACEHOLDERS.otp]: password }, { otpId, password });
}

/** Sends the "login from a new location" alert; `info` describes the new location. */
export async function sendRecordAuthAlert(app: App, record: Record, info: string): Promise<void> {
  const t = record.collection().authAlert?.emailTemplate ?? DEFAULT_TEMPLATES.authAlert;
  await sendRecordMail(app, app.hooks.mailerRecordAuthAlertSend, record, t, record.email(), { [PLACEHOLDERS.alertInfo]: info }, { info });
}
