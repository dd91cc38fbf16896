import type { Router } from "../router.ts";
import type { App } from "../../core/app.ts";
import type { RequestEvent } from "../../core/request-event.ts";
import { realtimeBroker } from "../../core/realtime/register-realtime.ts";
import { bodyString } from "./record-auth-validate.ts";
import { forwardToClientOwner } from "../peer-forward.ts";

/** The realtime topic the SDK's all-in-one OAuth2 flow subscribes to. */
export const OAUTH2_TOPIC = "@oauth2";

/** Where the browser is sent after a delivered redirect (relative to `/api/oauth2-redirect`). */
export const OAUTH2_SUCCESS_PATH = "../_/#/auth/oauth2-redirect-success";
/** Where the browser is sent when the redirect could not be delivered or carried an error. */
export const OAUTH2_FAILURE_PATH = "../_/#/auth/oauth2-redirect-failure";

/**
 * Hands the provider's answer to the waiting SDK client: the realtime client whose id is the
 * OAuth2 `state`, that holds the exact `@oauth2` subscription and connected from the same IP,
 * gets an `@oauth2` message `{state, code[, error]}` and loses the subscription. Returns false
 * when there is no such client.
 */
export function deliverOAuth2Redirect(e: RequestEvent, data: { state: string; code: string; error: string }): boolean {
  const broker = realtimeBroker(e.app);
  const client = data.state ? broker?.clientById(data.state) : null;
  if (!broker || !client || client.isDiscarded() || !client.hasSubscription(OAUTH2_TOPIC)) return false;
  // PocketBase parity (v0.38.2+): the redirect must come from the browser that holds the connection
  if (client.remoteIP && client.remoteIP !== e.remoteIP) return false;
  const payload: { [k: string]: string } = { state: data.state, code: data.code };
  if (data.error) payload.error = data.error;
  const sent = broker.sendToClient(client.id(), OAUTH2_TOPIC, payload);
  client.unsubscribe(OAUTH2_TOPIC);
  return sent;
}

/**
 * `GET|POST /api/oauth2-redirect`: the redirect URL of the SDK's all-in-one OAuth2 flow. The
 * provider sends `state`, `code` (and maybe `error`) in the query, or as a form post
 * (`response_mode=form_post`, Apple). Answers with a redirect to the dashboard's success or
 * failure page: 307 for GET, 303 for POST.
 */
export function registerRecordAuthOAuth2RedirectRoutes(router: Router, _app: App): void {
  const handler = async (e: RequestEvent) => {
    const isPost = e.request.method === "POST";
    const q = e.url.searchParams;
    const read = (k: string) => (isPost ? bodyString(e, k) : "") || q.get(k) || "";
    const data = { state: read("state"), code: read("code"), error: read("error") };
    const status = isPost ? 303 : 307;
    if (data.state && !realtimeBroker(e.app)?.clientById(data.state)) {
      // `serve --workers=N`: the waiting client's stream may live in another worker
      const forwarded = await forwardToClientOwner(e, data.state);
      if (forwarded) {
        e.response = forwarded;
        return;
      }
    }
    const delivered = deliverOAuth2Redirect(e, data);
    e.redirect(status, delivered && !data.error && data.code ? OAUTH2_SUCCESS_PATH : OAUTH2_FAILURE_PATH);
  };
  router.add("GET", "/api/oauth2-redirect", handler);
  router.add("POST", "/api/oauth2-redirect", handler);
}
