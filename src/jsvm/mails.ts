import type { App } from "../core/app.ts";
import type { Record } from "../core/records/record.ts";
import type { MailAddress, MailMessage } from "../core/mail/mail-message.ts";
import { defaultSender, newMailClient, sendMail } from "../core/mail/mailer.ts";
import * as recordMails from "../core/mail/record-mails.ts";
import { unwrapApp } from "./app-ref.ts";

type Json = { [k: string]: unknown };

function address(v: unknown): MailAddress {
  if (typeof v === "string") return { address: v };
  const o = (v ?? {}) as Json;
  return { address: String(o.address ?? o.Address ?? ""), name: o.name !== undefined ? String(o.name) : undefined };
}

/**
 * PocketBase's `new MailerMessage({from, to, cc, bcc, subject, html, text, headers, attachments})`:
 * a message for `$app.newMailClient().send(message)`. A missing `from` is the app's sender.
 */
export const MailerMessage = function MailerMessage(data?: Json): MailMessage {
  const d = data ?? {};
  const list = (v: unknown) => (Array.isArray(v) ? v.map(address) : v ? [address(v)] : []);
  const attachments = d.attachments && typeof d.attachments === "object"
    ? Object.entries(d.attachments as Json).map(([filename, content]) => ({ filename, content: content instanceof Uint8Array ? content : String(content) }))
    : undefined;
  return {
    from: d.from ? address(d.from) : { address: "" },
    to: list(d.to),
    cc: list(d.cc),
    bcc: list(d.bcc),
    subject: String(d.subject ?? ""),
    html: String(d.html ?? ""),
    text: d.text !== undefined ? String(d.text) : undefined,
    headers: (d.headers as { [k: string]: string } | undefined) ?? undefined,
    attachments,
  };
} as unknown as { new (data?: Json): MailMessage };

/** Logs a mail failure so that a send nobody awaits never becomes an unhandled rejection. */
function logged(p: Promise<void>): Promise<void> {
  p.catch((err) => console.error("[mail] sending failed:", err));
  return p;
}

/**
 * `$app.newMailClient()`: `send(message)` goes through `onMailerSend`. NB: PocketBase's send is
 * synchronous; here it returns a Promise (await it to know the outcome; errors are logged).
 */
export function mailClient(app: App): { send(message: MailMessage): Promise<void> } {
  return {
    send(message) {
      const msg = { ...message };
      if (!msg.from?.address) msg.from = defaultSender(app);
      return logged(sendMail(app, msg, newMailClient(app)));
    },
  };
}

/** PocketBase's `$mails` (each returns a Promise; errors are also logged). */
export const mails = {
  sendRecordPasswordReset: (app: unknown, record: Record) => logged(recordMails.sendRecordPasswordReset(unwrapApp(app), record)),
  sendRecordVerification: (app: unknown, record: Record) => logged(recordMails.sendRecordVerification(unwrapApp(app), record)),
  sendRecordChangeEmail: (app: unknown, record: Record, newEmail: string) => logged(recordMails.sendRecordChangeEmail(unwrapApp(app), record, newEmail)),
  sendRecordOTP: (app: unknown, record: Record, otpId: string, pass: string) => logged(recordMails.sendRecordOTP(unwrapApp(app), record, otpId, pass)),
  sendRecordAuthAlert: (app: unknown, record: Record, info = "") => logged(recordMails.sendRecordAuthAlert(unwrapApp(app), record, info)),
};
