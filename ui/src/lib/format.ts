/** Formatting helpers for dates, sizes and record values. */

/** PocketBase's date format (`2006-01-02 15:04:05.000Z`) → a local, readable string. */
export function formatDate(value: unknown): string {
  if (typeof value !== "string" || !value) return "";
  const d = new Date(value.replace(" ", "T"));
  if (Number.isNaN(d.getTime())) return value;
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** A UTC date string of the API → the value of an `<input type="datetime-local">` (UTC). */
export function toDatetimeLocal(value: unknown): string {
  if (typeof value !== "string" || !value) return "";
  return value.replace(" ", "T").slice(0, 19);
}

/** An `<input type="datetime-local">` value (taken as UTC) → the API's date format. */
export function fromDatetimeLocal(value: string): string {
  if (!value) return "";
  const v = value.length === 16 ? `${value}:00` : value;
  return `${v.replace("T", " ")}.000Z`;
}

/** Bytes → `1.2 MB`. */
export function formatSize(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** Strips HTML to plain text (for rich-text previews in tables). */
export function plainText(html: unknown): string {
  if (typeof html !== "string") return "";
  const div = document.createElement("div");
  div.innerHTML = html;
  return (div.textContent ?? "").replace(/\s+/g, " ").trim();
}

/** Truncates a string with an ellipsis. */
export function truncate(s: string, n = 80): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

/** True when a file name looks like an image the server can thumbnail. */
export function isImage(name: string): boolean {
  return /\.(png|jpe?g|gif|webp|svg|avif)$/i.test(name);
}

/** Decodes a JWT's payload (no verification; the server checks the token). */
export function jwtPayload(token: string): Record<string, unknown> {
  try {
    const part = token.split(".")[1] ?? "";
    const bin = atob(part.replace(/-/g, "+").replace(/_/g, "/"));
    const json = new TextDecoder().decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)));
    return JSON.parse(json) as Record<string, unknown>;
  } catch {
    return {};
  }
}

/** Copies text to the clipboard (falls back to a hidden textarea). */
export async function copyText(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    const ta = document.createElement("textarea");
    ta.value = text;
    document.body.appendChild(ta);
    ta.select();
    document.execCommand("copy");
    ta.remove();
  }
}
