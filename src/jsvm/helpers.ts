import { ApiError, type ErrorData } from "../core/api-error.ts";
import { Record } from "../core/records/record.ts";
import { newAuthToken, newEmailChangeToken, newPasswordResetToken, newRecordToken, newVerificationToken } from "../core/auth/tokens.ts";

function text(v: unknown, max?: number): string {
  let s: string;
  if (v === null || v === undefined) s = "";
  else if (typeof v === "string") s = v;
  else if (v instanceof Uint8Array || v instanceof ArrayBuffer) s = new TextDecoder().decode(v);
  else if (Array.isArray(v) && v.every((x) => typeof x === "number")) s = new TextDecoder().decode(Uint8Array.from(v as number[]));
  else if (typeof v === "object") s = JSON.stringify(v);
  else s = String(v);
  return max !== undefined && max > 0 ? s.slice(0, max) : s;
}

/** PocketBase's JS helpers (`toString`, `toBytes`, `sleep`, `readerToString`). */
export const helpers = {
  /** Bytes (or a byte array) as UTF-8 text; other values as text (objects as JSON). */
  toString: text,
  /** Alias kept by PocketBase for readers. */
  readerToString: text,
  /** The UTF-8 bytes of a value. */
  toBytes: (v: unknown, max?: number): Uint8Array => {
    const b = v instanceof Uint8Array ? v : new TextEncoder().encode(text(v));
    return max !== undefined && max > 0 ? b.slice(0, max) : b;
  },
  /** PocketBase parity: a synchronous sleep. NB: it blocks the event loop; prefer `await Bun.sleep(ms)` in async handlers. */
  sleep: (ms: number) => Bun.sleepSync(Math.max(0, Number(ms) || 0)),
};

function errorClass(status: number, name: string): new (message?: string, data?: ErrorData) => ApiError {
  const C = class extends ApiError {
    constructor(message?: string, data?: ErrorData) {
      super(status, message, data ?? {});
    }
  };
  Object.defineProperty(C, "name", { value: name });
  return C;
}

/** The JS error classes; all render as PocketBase's `{status, message, data}` envelope. */
export const errorClasses = {
  ApiError: ApiError,
  BadRequestError: errorClass(400, "BadRequestError"),
  UnauthorizedError: errorClass(401, "UnauthorizedError"),
  ForbiddenError: errorClass(403, "ForbiddenError"),
  NotFoundError: errorClass(404, "NotFoundError"),
  TooManyRequestsError: errorClass(429, "TooManyRequestsError"),
  InternalServerError: errorClass(500, "InternalServerError"),
};

/** PocketBase's JS `new ValidationError(code, message)`: a field error for an ApiError's `data`. */
export class JsValidationError {
  constructor(
    readonly code: string,
    readonly message: string,
  ) {}
  /** The message (Go's `error()`). */
  error(): string {
    return this.message;
  }
}

/** PocketBase's `new Timezone(name)`: here simply the IANA name (for `$app.cron().setTimezone`). */
export const Timezone = function Timezone(name: string): string {
  return String(name || "UTC");
} as unknown as new (name: string) => string;

/** PocketBase's `new Command({...})` (custom console commands are not supported yet). */
export class JsCommand {
  constructor(readonly config: { use?: string; short?: string; run?: (...args: unknown[]) => unknown } = {}) {}
}

const NS_PER_SECOND = 1e9;

/**
 * Adds the token methods of PocketBase's JS Record API (`newAuthToken()`, …) to the core Record.
 * NB: installed from here because the record model must not import the token signer (a cycle).
 * Durations are nanoseconds, as PocketBase's Go `time.Duration` (0 = the collection's duration).
 */
export function installRecordTokenMethods(): void {
  const proto = Record.prototype as unknown as { [k: string]: unknown };
  if (proto.newAuthToken) return;
  const methods: { [k: string]: (this: Record, ...a: never[]) => string } = {
    newAuthToken() {
      return newAuthToken(this);
    },
    newStaticAuthToken(durationNs = 0) {
      return newAuthToken(this, false, durationNs > 0 ? Math.max(1, Math.round(durationNs / NS_PER_SECOND)) : undefined);
    },
    newVerificationToken() {
      return newVerificationToken(this);
    },
    newPasswordResetToken() {
      return newPasswordResetToken(this);
    },
    newEmailChangeToken(newEmail: string) {
      return newEmailChangeToken(this, newEmail);
    },
    newFileToken() {
      return newRecordToken(this, "file");
    },
  };
  for (const [k, fn] of Object.entries(methods)) Object.defineProperty(proto, k, { value: fn, enumerable: false, configurable: true, writable: true });
}
