import type { Middleware } from "../router.ts";
import { findAuthRecordByToken } from "../../core/auth/tokens.ts";

/**
 * Reads the `Authorization` header PocketBase's way: the raw token or `Bearer <token>` (the
 * prefix is case-insensitive). Only `auth` tokens count; anything invalid means guest, never 401.
 */
export const loadAuthTokenMiddleware: Middleware = async (e, next) => {
  const header = e.request.headers.get("authorization");
  if (header) {
    const token = header.replace(/^bearer\s+/i, "").trim();
    if (token) {
      const found = findAuthRecordByToken(e.app, token, "auth");
      if (found) e.auth = found.record;
    }
  }
  await next();
};
