/**
 * The orchestrator's own calls to the server under test, outside the measured requests: log in
 * the superuser and a user, change a collection's rules or indexes between scenarios (upstream
 * does this through its App), and pick random record ids.
 */
import { PASSWORD, SUPERUSER_EMAIL } from "./schema.ts";

/** A logged-in handle on the server under test. */
export class SuiteApi {
  /** The superuser token (setup calls only). */
  superToken = "";
  /** A user's token (upstream's `randomUserAuth`: the first user). */
  userToken = "";
  /** That user's id. */
  userId = "";

  constructor(readonly url: string) {}

  private async call(method: string, path: string, body?: unknown, token = this.superToken): Promise<{ [k: string]: unknown }> {
    const headers: { [k: string]: string } = { "content-type": "application/json" };
    if (token) headers.authorization = token;
    const res = await fetch(this.url + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${text.slice(0, 400)}`);
    return text ? (JSON.parse(text) as { [k: string]: unknown }) : {};
  }

  /** Logs in the benchmark superuser and `users0@example.com`. */
  async login(): Promise<void> {
    const su = await this.call("POST", "/api/collections/_superusers/auth-with-password", { identity: SUPERUSER_EMAIL, password: PASSWORD }, "");
    this.superToken = String(su.token);
    const user = await this.call("POST", "/api/collections/users/auth-with-password", { identity: "users0@example.com", password: PASSWORD }, "");
    this.userToken = String(user.token);
    this.userId = String((user.record as { id: string }).id);
  }

  /** Updates a collection (rules, indexes) as the superuser. */
  async patchCollection(name: string, data: { [k: string]: unknown }): Promise<void> {
    await this.call("PATCH", `/api/collections/${name}`, data);
  }

  /** Up to `n` random record ids of a collection. */
  async randomIds(name: string, n: number): Promise<string[]> {
    const out: string[] = [];
    while (out.length < n) {
      const want = Math.min(1000, n - out.length);
      const r = await this.call("GET", `/api/collections/${name}/records?perPage=${want}&sort=@random&fields=id&skipTotal=1`);
      const ids = (r.items as { id: string }[]).map((x) => x.id).filter((id) => !out.includes(id));
      if (ids.length === 0) break;
      out.push(...ids);
    }
    return out.slice(0, n);
  }

  /** One record as the superuser sees it. */
  async record(name: string, id: string): Promise<{ [k: string]: unknown }> {
    return this.call("GET", `/api/collections/${name}/records/${id}`);
  }

  /** The number of records of a collection. */
  async count(name: string): Promise<number> {
    const r = await this.call("GET", `/api/collections/${name}/records?perPage=1&fields=id`);
    return Number(r.totalItems);
  }
}
