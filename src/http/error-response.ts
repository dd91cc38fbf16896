import { ApiError, ValidationError } from "../core/api-error.ts";

/**
 * Turns anything thrown by a handler into PocketBase's error envelope. `ApiError` is sent as is;
 * a core `ValidationError` becomes a 400 with its field errors; anything else is logged and
 * answered with a 500 that leaks nothing (the cause is shown only in `--dev`).
 */
export function toApiError(err: unknown, isDev: boolean, fallbackMessage?: string): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof ValidationError) return new ApiError(400, fallbackMessage ?? "Failed to process the request.", err.errors);
  console.error("[satchel] unhandled error:", err);
  const msg = isDev && err instanceof Error ? err.message : undefined;
  return new ApiError(500, msg);
}

/** The JSON response of an error envelope. */
export function errorResponse(err: ApiError): Response {
  return new Response(JSON.stringify(err.toJSON()) + "\n", {
    status: err.status,
    headers: { "content-type": "application/json" },
  });
}
