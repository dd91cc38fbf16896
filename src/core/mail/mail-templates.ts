import type { App } from "../app.ts";
import type { Record } from "../records/record.ts";
import type { EmailTemplate } from "../collections/collection-types.ts";

/** PocketBase's email template placeholders. */
export const PLACEHOLDERS = {
  appName: "{APP_NAME}",
  appURL: "{APP_URL}",
  token: "{TOKEN}",
  otp: "{OTP}",
  otpId: "{OTP_ID}",
  alertInfo: "{ALERT_INFO}",
} as const;

/** Escapes text for HTML. */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

/**
 * Resolves a collection's email template for a record. `{APP_NAME}` and `{APP_URL}` come from
 * the settings, `{RECORD:field}` from the record's non-hidden fields (HTML-escaped; hidden ones
 * such as `tokenKey` stay unresolved, as in PocketBase), the rest from `extra`. The body is
 * wrapped in a small HTML layout.
 */
export function resolveEmailTemplate(
  app: App,
  record: Record,
  template: EmailTemplate,
  extra: { [placeholder: string]: string } = {},
): { subject: string; html: string } {
  const meta = app.settings().meta;
  const values = new Map<string, string>([
    [PLACEHOLDERS.appName, meta.appName],
    [PLACEHOLDERS.appURL, meta.appURL.replace(/\/+$/, "")],
  ]);
  for (const [k, v] of Object.entries(extra)) values.set(k, v);
  for (const f of record.collection().fields) {
    if (f.hidden || f.type === "password") continue;
    const key = `{RECORD:${f.name}}`;
    if (!values.has(key)) values.set(key, escapeHtml(record.getString(f.name)));
  }
  const apply = (s: string) => s.replace(/\{[A-Z_]+(?::[\w]+)?\}/g, (m) => values.get(m) ?? m);
  return { subject: apply(template.subject ?? ""), html: wrapLayout(apply(template.body ?? "")) };
}

/** The HTML layout every mail body is wrapped in. */
export function wrapLayout(content: string): string {
  return `<!DOCTYPE html>
<html>
<head>
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Type" content="text/html; charset=UTF-8">
<style>
body, html { padding: 0; margin: 0; border: 0; color: #16161a; background: #fff; font-size: 14px; line-height: 20px; font-family: Arial, Helvetica, sans-serif; }
p { display: block; margin: 10px 0; }
a { color: #5499ff; }
.btn { display: inline-block; padding: 10px 20px; border-radius: 4px; background: #16161a; color: #fff !important; text-decoration: none; font-weight: bold; }
</style>
</head>
<body>
${content}
</body>
</html>`;
}
