/** The state of a form that submits to the API: busy flag, field errors and one message. */
import { errorData, errorMessage } from "./pb.ts";

/**
 * Runs submits with the dashboard's shared pattern: mark busy, clear the old errors, run the
 * call, and on failure keep the API's field errors (shown beside their inputs) and its message.
 */
export class FormState {
  busy = $state(false);
  errors: Record<string, unknown> = $state({});
  message = $state("");

  /** Runs `action`; returns true when it succeeded. `describe` may replace the message of an error. */
  async run(action: () => Promise<void>, describe?: (err: unknown, message: string) => string): Promise<boolean> {
    this.busy = true;
    this.errors = {};
    this.message = "";
    try {
      await action();
      return true;
    } catch (err) {
      this.errors = errorData(err);
      const msg = errorMessage(err);
      this.message = describe ? describe(err, msg) : msg;
      return false;
    } finally {
      this.busy = false;
    }
  }
}
