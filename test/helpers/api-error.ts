import { ClientResponseError } from "pocketbase";

/** Awaits an SDK call that must fail and returns its `ClientResponseError`. */
export async function apiError(p: Promise<unknown>): Promise<ClientResponseError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof ClientResponseError) return err;
    throw err;
  }
  throw new Error("expected the request to fail");
}
