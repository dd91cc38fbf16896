import type { HookEvent } from "../hooks/hook.ts";
import type { App } from "../app.ts";
import type { Record } from "../records/record.ts";

/** A mail address with an optional display name. */
export interface MailAddress {
  name?: string;
  address: string;
}

/** A file attached to a message. */
export interface MailAttachment {
  filename: string;
  content: Uint8Array | string;
  contentType?: string;
}

/** One email, PocketBase's `mailer.Message` in JS shape. */
export interface MailMessage {
  from: MailAddress;
  to: MailAddress[];
  cc?: MailAddress[];
  bcc?: MailAddress[];
  subject: string;
  /** The HTML body. */
  html: string;
  /** The plain text body; generated from `html` when empty. */
  text?: string;
  headers?: { [name: string]: string };
  attachments?: MailAttachment[];
}

/** Something that delivers messages (SMTP, or the console fallback). */
export interface Mailer {
  /** Delivers one message; rejects when the transport fails. */
  send(message: MailMessage): Promise<void>;
}

/** `onMailerSend`: fired for every message the app sends. */
export interface MailerEvent extends HookEvent {
  app: App;
  mailer: Mailer;
  message: MailMessage;
}

/**
 * `onMailerRecord…Send`: fired for the auth mails of a record. `meta` holds the values the
 * template used (`token`, `newEmail`, `otpId`, `password`, `info`).
 */
export interface MailerRecordEvent extends MailerEvent {
  record: Record;
  meta: { [k: string]: unknown };
}

/** Formats an address as `"Name" <address>` (or the bare address). */
export function formatAddress(a: MailAddress): string {
  if (!a.name) return a.address;
  return `"${a.name.replace(/["\\\r\n]/g, "")}" <${a.address}>`;
}

/**
 * A plain text version of an HTML mail: links keep their target (so tokens stay readable),
 * block ends become line breaks, tags are dropped and entities decoded.
 */
export function htmlToText(html: string): string {
  let s = html.replace(/<(style|script|head)[^>]*>[\s\S]*?<\/\1>/gi, "");
  s = s.replace(/<a\s[^>]*href\s*=\s*["']([^"']*)["'][^>]*>([\s\S]*?)<\/a>/gi, (_m, href: string, label: string) => {
    const text = label.replace(/<[^>]+>/g, "").trim();
    return text && text !== href ? `${text} ( ${href} )` : href;
  });
  s = s.replace(/<br\s*\/?>/gi, "\n").replace(/<\/(p|div|h[1-6]|li|tr|table)>/gi, "\n");
  s = s.replace(/<[^>]+>/g, "");
  s = s.replace(/&nbsp;/g, " ").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, "&");
  return s
    .split("\n")
    .map((l) => l.replace(/[ \t]+/g, " ").trim())
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}
