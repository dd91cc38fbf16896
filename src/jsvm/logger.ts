/** PocketBase's `$app.logger()` (a Go slog logger) backed by the console. */
export class JsLogger {
  constructor(
    private readonly attrs: unknown[] = [],
    private readonly group = "",
    private readonly dev = false,
  ) {}

  private line(msg: unknown, kv: unknown[]): string {
    const all = [...this.attrs, ...kv];
    const parts: string[] = [String(msg ?? "")];
    for (let i = 0; i < all.length; i += 2) {
      const key = String(all[i]);
      const v = all[i + 1];
      parts.push(`${this.group ? this.group + "." : ""}${key}=${typeof v === "string" ? JSON.stringify(v) : safeJson(v)}`);
    }
    return parts.join(" ");
  }

  /** Logs at debug level (printed only with `--dev`). */
  debug(msg: unknown, ...kv: unknown[]): void {
    if (this.dev) console.debug(`DEBUG ${this.line(msg, kv)}`);
  }
  /** Logs at info level. */
  info(msg: unknown, ...kv: unknown[]): void {
    console.info(`INFO ${this.line(msg, kv)}`);
  }
  /** Logs at warn level. */
  warn(msg: unknown, ...kv: unknown[]): void {
    console.warn(`WARN ${this.line(msg, kv)}`);
  }
  /** Logs at error level. */
  error(msg: unknown, ...kv: unknown[]): void {
    console.error(`ERROR ${this.line(msg, kv)}`);
  }
  /** A logger that adds these key/value pairs to every line. */
  with(...kv: unknown[]): JsLogger {
    return new JsLogger([...this.attrs, ...kv], this.group, this.dev);
  }
  /** A logger whose keys are prefixed with the group name. */
  withGroup(name: string): JsLogger {
    return new JsLogger(this.attrs, this.group ? `${this.group}.${name}` : String(name), this.dev);
  }
}

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}
