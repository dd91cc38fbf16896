import nodemailer from "nodemailer";
import type { App } from "../app.ts";
import type { Settings } from "../settings/settings-defaults.ts";
import { formatAddress, htmlToText, type MailMessage, type Mailer, type MailerEvent } from "./mail-message.ts";
import { newEvent } from "../events.ts";

/** Delivers over SMTP with nodemailer, configured from `settings.smtp`. */
export class SmtpMailer implements Mailer {
  constructor(private readonly smtp: Settings["smtp"]) {}

  /** Sends one message; a new connection per message, closed afterwards. */
  async send(message: MailMessage): Promise<void> {
    const s = this.smtp;
    const transport = nodemailer.createTransport({
      host: s.host,
      port: s.port,
      // PocketBase parity: `tls` means implicit TLS (SMTPS); otherwise STARTTLS when offered
      secure: s.tls,
      name: s.localName || undefined,
      auth: s.username ? { user: s.username, pass: s.password } : undefined,
      authMethod: s.authMethod ? s.authMethod.toUpperCase() : undefined,
      connectionTimeout: 15_000,
      greetingTimeout: 15_000,
      socketTimeout: 30_000,
    });
    try {
      await transport.sendMail({
        from: formatAddress(message.from),
        to: message.to.map(formatAddress),
        cc: message.cc?.map(formatAddress),
        bcc: message.bcc?.map(formatAddress),
        subject: message.subject,
        html: message.html,
        text: message.text || htmlToText(message.html),
        headers: message.headers,
        attachments: message.attachments?.map((a) => ({
          filename: a.filename,
          content: typeof a.content === "string" ? a.content : Buffer.from(a.content),
          contentType: a.contentType,
        })),
      });
    } finally {
      transport.close();
    }
  }
}

/**
 * The fallback when SMTP is disabled. NB: PocketBase hands the message to the local `sendmail`
 * binary; Satchel writes it to the console instead (a one-line notice, the full text with
 * `--dev`), so nothing is sent until SMTP is configured. Listed under "Differences from PocketBase".
 */
export class ConsoleMailer implements Mailer {
  constructor(private readonly verbose: boolean) {}

  /** Logs the message. */
  async send(message: MailMessage): Promise<void> {
    const to = message.to.map(formatAddress).join(", ");
    console.info(`[mail] SMTP is disabled; not sent: "${message.subject}" to ${to}`);
    if (this.verbose) console.info(message.text || htmlToText(message.html));
  }
}

/** The app's mail client (PocketBase's `app.newMailClient()`): SMTP when enabled, else the fallback. */
export function newMailClient(app: App): Mailer {
  const smtp = app.settings().smtp;
  return smtp.enabled ? new SmtpMailer({ ...smtp }) : new ConsoleMailer(app.isDev());
}

/** The configured sender (`meta.senderName` / `meta.senderAddress`). */
export function defaultSender(app: App): { name: string; address: string } {
  const meta = app.settings().meta;
  return { name: meta.senderName, address: meta.senderAddress };
}

/**
 * Sends a message through `onMailerSend`; the built-in last link delivers it with the given
 * mailer (the app's mail client by default). Rejects when delivery fails.
 */
export async function sendMail(app: App, message: MailMessage, mailer: Mailer = newMailClient(app)): Promise<void> {
  const e = newEvent<MailerEvent>({ app, mailer, message });
  await app.hooks.mailerSend.triggerAsync(e, (ev) => ev.mailer.send(ev.message));
}
