/**
 * The pb_hooks files of the custom-code scenarios (bench/hooks/): a PocketBase-style JS file
 * (upstream's JS route and hook) and a TypeScript file in Satchel's native API (our counterpart
 * of upstream's Go route and hook). The harness copies them into the seeded pb_data's `pb_hooks`
 * and starts `serve --hooksDir=<pb_data>/pb_hooks`.
 */
import { copyFileSync, mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";

/** Where the hook files live in the repository. */
export const HOOK_SOURCES = join(import.meta.dir, "hooks");

/**
 * One flavour of custom code: its route, and the name the posts10k collection is renamed to
 * while its update hook is measured (upstream's trick, so that the hook fires only then).
 */
export interface CustomVariant {
  key: "js" | "ts";
  /** The hooks file that defines it. */
  file: string;
  /** Upstream's name for it: the TypeScript file stands in for upstream's Go code. */
  upstream: "JS" | "Go";
  route: string;
  hookCollection: string;
  /** The title its update hook writes. */
  hookTitle: string;
}

/** The two flavours, JS first (upstream's order). */
export const CUSTOM_VARIANTS: readonly CustomVariant[] = [
  { key: "js", file: "custom-js.pb.js", upstream: "JS", route: "/js", hookCollection: "js", hookTitle: "js_update" },
  { key: "ts", file: "custom-ts.pb.ts", upstream: "Go", route: "/ts", hookCollection: "ts", hookTitle: "ts_update" },
];

/** The hooks dir inside a bench pb_data. */
export function hooksDirOf(dataDir: string): string {
  return join(dataDir, "pb_hooks");
}

/** Copies every hooks file of bench/hooks/ into `<dataDir>/pb_hooks`; returns their paths. */
export function writeHookFiles(dataDir: string): string[] {
  const dir = hooksDirOf(dataDir);
  mkdirSync(dir, { recursive: true });
  return readdirSync(HOOK_SOURCES)
    .filter((name) => /\.pb\.(js|ts)$/.test(name))
    .sort()
    .map((name) => {
      copyFileSync(join(HOOK_SOURCES, name), join(dir, name));
      return join(dir, name);
    });
}
