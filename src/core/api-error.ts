import type { FieldError } from "./fields/field-kind.ts";

/** Nested validation errors: field name → error, or → nested errors (arrays use "0", "1", …). */
export interface ErrorData {
  [key: string]: FieldError | ErrorData;
}

const DEFAULT_MESSAGES: Record<number, string> = {
  400: "Something went wrong while processing your request.",
  401: "Missing or invalid authentication.",
  403: "You are not allowed to perform this request.",
  404: "The requested resource wasn't found.",
  413: "Request entity too large.",
  429: "Too Many Requests.",
  500: "Something went wrong while processing your request.",
};

/**
 * PocketBase parity: messages are "sentenized": first letter upper-cased and a `.` appended
 * unless the text already ends in `.`, `?` or `!`.
 */
export function sentenize(text: string): string {
  const t = text.trim();
  if (t === "") return "";
  const first = t[0]!.toUpperCase() + t.slice(1);
  return /[.?!]$/.test(first) ? first : first + ".";
}

/**
 * The one error type the API renders, as PocketBase's `{status, message, data}` envelope.
 * `data` holds field validation errors only; internal causes stay in `cause` and are never sent.
 */
export class ApiError extends Error {
  readonly status: number;
  readonly data: ErrorData;
  constructor(status: number, message?: string, data: ErrorData = {}, options?: { cause?: unknown }) {
    super(sentenize(message || DEFAULT_MESSAGES[status] || DEFAULT_MESSAGES[400]!), options);
    this.status = status;
    this.data = data;
  }
  /** The JSON body PocketBase sends. */
  toJSON(): { status: number; message: string; data: ErrorData } {
    return { status: this.status, message: this.message, data: sentenizeData(this.data) };
  }
}

function sentenizeData(data: ErrorData): ErrorData {
  const out: ErrorData = {};
  for (const [k, v] of Object.entries(data)) {
    if (isFieldError(v)) out[k] = { ...v, message: sentenize(v.message) };
    else out[k] = sentenizeData(v);
  }
  return out;
}

/** True when the value is a leaf `{code, message}` error. */
export function isFieldError(v: unknown): v is FieldError {
  return typeof v === "object" && v !== null && typeof (v as FieldError).code === "string" && typeof (v as FieldError).message === "string";
}

/** 400 with the given message and optional field errors. */
export function badRequest(message?: string, data?: ErrorData, cause?: unknown): ApiError {
  return new ApiError(400, message, data, { cause });
}
/** 401. */
export function unauthorized(message?: string): ApiError {
  return new ApiError(401, message);
}
/** 403. */
export function forbidden(message?: string): ApiError {
  return new ApiError(403, message);
}
/** 404. */
export function notFound(message?: string): ApiError {
  return new ApiError(404, message);
}

/**
 * A validation failure raised by the data core (collection or record validation). The HTTP
 * layer turns it into a 400 with the action's message ("Failed to create record.").
 */
export class ValidationError extends Error {
  readonly errors: ErrorData;
  constructor(errors: ErrorData, message = "Validation failed.") {
    super(message);
    this.errors = errors;
  }
}

/** Shorthand to build a `{code, message, params?}` leaf. */
export function fieldError(code: string, message: string, params?: Record<string, unknown>): FieldError {
  return params ? { code, message, params } : { code, message };
}
