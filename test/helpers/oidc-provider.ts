import { OAuth2Server } from "oauth2-mock-server";
import type { AddressInfo } from "node:net";

/** A real OAuth2/OIDC provider (oauth2-mock-server) on 127.0.0.1. */
export interface OidcProvider {
  server: OAuth2Server;
  /** The issuer URL, e.g. `http://127.0.0.1:40123`. */
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts oauth2-mock-server on a random 127.0.0.1 port with an RS256 signing key. Its
 * `/authorize` redirects straight back with a code (PKCE checked at `/token`); shape the
 * answers with `server.service.on("beforeUserinfo" | "beforeTokenSigning" | "beforeResponse" | …)`.
 */
export async function startOidcProvider(): Promise<OidcProvider> {
  const server = new OAuth2Server();
  await server.issuer.keys.generate("RS256");
  await server.start(0, "127.0.0.1");
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  server.issuer.url = url;
  return {
    server,
    url,
    stop: () => server.stop(),
  };
}

/**
 * Plays the browser's part of the code flow: opens the provider's authorization URL (the one
 * `auth-methods` lists, plus our redirect URL) and returns the `code` it redirects back with.
 */
export async function authorize(authURL: string, redirectURL: string): Promise<{ code: string; state: string; location: string }> {
  const res = await fetch(authURL + encodeURIComponent(redirectURL), { redirect: "manual" });
  const location = res.headers.get("location") ?? "";
  if (res.status !== 302 || !location) throw new Error(`authorize answered ${res.status}: ${await res.text()}`);
  const u = new URL(location);
  return { code: u.searchParams.get("code") ?? "", state: u.searchParams.get("state") ?? "", location };
}
