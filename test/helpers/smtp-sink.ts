import { SMTPServer } from "smtp-server";
import { simpleParser } from "mailparser";
import type { AddressInfo } from "node:net";

/** A mail the sink received. */
export interface ReceivedMail {
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  /** The SMTP AUTH user, when the sender authenticated. */
  authUser: string;
}

/** A real SMTP server on 127.0.0.1 that keeps every mail it receives. */
export interface SmtpSink {
  port: number;
  mails: ReceivedMail[];
  /** Resolves with the first mail (received before or after the call) matching `pred`. */
  waitFor(pred: (m: ReceivedMail) => boolean, timeoutMs?: number): Promise<ReceivedMail>;
  /** Mails to an address. */
  to(address: string): ReceivedMail[];
  stop(): Promise<void>;
}

/**
 * Starts smtp-server on a random port, without STARTTLS, accepting any login (AUTH PLAIN/LOGIN
 * over plain text) and parsing each message with mailparser.
 */
export async function startSmtpSink(): Promise<SmtpSink> {
  const mails: ReceivedMail[] = [];
  const waiters: { pred: (m: ReceivedMail) => boolean; resolve: (m: ReceivedMail) => void }[] = [];
  const server = new SMTPServer({
    authOptional: true,
    allowInsecureAuth: true,
    disabledCommands: ["STARTTLS"],
    disableReverseLookup: true,
    logger: false,
    onAuth(auth, _session, cb) {
      cb(null, { user: auth.username });
    },
    onData(stream, session, cb) {
      simpleParser(stream)
        .then((parsed) => {
          const toField = parsed.to;
          const toList = (Array.isArray(toField) ? toField : toField ? [toField] : []).flatMap((a) => a.value.map((v) => v.address ?? ""));
          const mail: ReceivedMail = {
            from: parsed.from?.text ?? "",
            to: toList,
            subject: parsed.subject ?? "",
            text: parsed.text ?? "",
            html: typeof parsed.html === "string" ? parsed.html : "",
            authUser: typeof session.user === "string" ? session.user : "",
          };
          mails.push(mail);
          for (const w of [...waiters]) {
            if (w.pred(mail)) {
              waiters.splice(waiters.indexOf(w), 1);
              w.resolve(mail);
            }
          }
          cb();
        })
        .catch((err: Error) => cb(err));
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    mails,
    waitFor(pred, timeoutMs = 5000) {
      const hit = mails.find(pred);
      if (hit) return Promise.resolve(hit);
      return new Promise((resolve, reject) => {
        const w = { pred, resolve: (m: ReceivedMail) => (clearTimeout(timer), resolve(m)) };
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(w), 1);
          reject(new Error("no matching mail arrived in time"));
        }, timeoutMs);
        waiters.push(w);
      });
    },
    to(address) {
      return mails.filter((m) => m.to.includes(address));
    },
    stop() {
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The token of a dashboard link in a mail (`…/confirm-verification/<token>` etc.). */
export function tokenFromMail(mail: ReceivedMail, action: string): string {
  const m = new RegExp(`${action}/([A-Za-z0-9_.-]+)`).exec(mail.text + "\n" + mail.html);
  if (!m) throw new Error(`no ${action} link in the mail "${mail.subject}"`);
  return m[1]!;
}
