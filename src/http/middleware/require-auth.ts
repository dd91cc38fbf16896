import { ApiError } from "../../core/api-error.ts";
import type { Middleware } from "../router.ts";

/** 401 for guests, 403 for non-superusers (PocketBase's superuser-only routes). */
export const requireSuperuserAuth: Middleware = async (e, next) => {
  if (!e.auth) throw new ApiError(401, "The request requires valid record authorization token.");
  if (!e.hasSuperuserAuth()) throw new ApiError(403, "The authorized record is not allowed to perform this action.");
  await next();
};

/** 401 for guests (any auth record passes). */
export const requireAuth: Middleware = async (e, next) => {
  if (!e.auth) throw new ApiError(401, "The request requires valid record authorization token.");
  await next();
};
