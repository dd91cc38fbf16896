/**
 * A small hash router (`/_/#/collections?collection=posts`), the way PocketBase's dashboard
 * addresses its pages, so links in emails (`#/auth/confirm-verification/{token}`) keep working.
 */

/** The current route: the path after `#` and its query. */
export const route = $state({ path: "/", query: {} as Record<string, string> });

function parse(): void {
  const raw = location.hash.replace(/^#/, "") || "/";
  const q = raw.indexOf("?");
  const path = q >= 0 ? raw.slice(0, q) : raw;
  const query: Record<string, string> = {};
  if (q >= 0) new URLSearchParams(raw.slice(q + 1)).forEach((v, k) => (query[k] = v));
  route.path = path || "/";
  route.query = query;
}

parse();
addEventListener("hashchange", parse);

/** Builds a hash link for a path and query. */
export function href(path: string, query: Record<string, string | undefined> = {}): string {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== "") qs.set(k, v);
  const s = qs.toString();
  return `#${path}${s ? `?${s}` : ""}`;
}

/** Navigates to a path (pushes a history entry unless `replace`). */
export function navigate(path: string, query: Record<string, string | undefined> = {}, replace = false): void {
  const h = href(path, query);
  if (replace) {
    history.replaceState(null, "", h);
    parse();
  } else location.hash = h;
}

/** Replaces one query parameter of the current route (no new history entry). */
export function setQuery(patch: Record<string, string | undefined>): void {
  navigate(route.path, { ...route.query, ...patch }, true);
}

/** Matches `pattern` (`/auth/confirm-verification/:token`) against a path; returns params or null. */
export function match(pattern: string, path: string): Record<string, string> | null {
  const a = pattern.split("/").filter(Boolean);
  const b = path.split("/").filter(Boolean);
  if (a.length !== b.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < a.length; i++) {
    if (a[i]!.startsWith(":")) params[a[i]!.slice(1)] = decodeURIComponent(b[i]!);
    else if (a[i] !== b[i]) return null;
  }
  return params;
}
