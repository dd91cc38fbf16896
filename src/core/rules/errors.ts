/**
 * Errors of the rule/filter compiler. Internally every problem is a `RuleSyntaxError` carrying
 * the detailed reason; at the public boundary it becomes a 400 `ApiError` whose message says
 * nothing about the internals (the reason stays in `cause`).
 */
import { ApiError } from "../api-error.ts";

/** A malformed or unresolvable filter/rule/sort. The message is the internal reason. */
export class RuleSyntaxError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = "RuleSyntaxError";
  }
}

/** Throws a `RuleSyntaxError` with the given reason. */
export function fail(reason: string): never {
  throw new RuleSyntaxError(reason);
}

/** The public message used for malformed client filters. */
export const INVALID_FILTER_MESSAGE = "Invalid filter parameters.";
/** The public message used for malformed sort parameters. */
export const INVALID_SORT_MESSAGE = "Invalid sort parameters.";
/** The public message used for malformed API rules. */
export const INVALID_RULE_MESSAGE = "Invalid rule.";

/**
 * Runs `fn` and converts any compiler failure (or unexpected internal error, e.g. a RangeError)
 * into a 400 `ApiError` with `message`; `ApiError`s (such as the 403s) pass through unchanged.
 */
export function withApiErrors<T>(message: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof ApiError) throw err;
    throw new ApiError(400, message, {}, { cause: err });
  }
}
