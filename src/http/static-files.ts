import { resolve, sep, join } from "node:path";
import { stat } from "node:fs/promises";

/**
 * Serves a file from `pb_public` (`--publicDir`). Paths are resolved inside the directory only;
 * `..` tricks and encoded separators resolve to nothing. A directory serves its index.html.
 */
export async function servePublicDir(dir: string, pathname: string): Promise<Response | null> {
  let rel: string;
  try {
    rel = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (rel.includes("\0")) return null;
  const root = resolve(dir);
  let full = resolve(join(root, rel));
  if (full !== root && !full.startsWith(root + sep)) return null;
  try {
    const st = await stat(full);
    if (st.isDirectory()) {
      full = join(full, "index.html");
      await stat(full);
    }
  } catch {
    return null;
  }
  const file = Bun.file(full);
  return new Response(file, { headers: { "content-type": file.type } });
}
