import type { App } from "../app.ts";
import { defaultSettings, deepMerge, type Settings } from "./settings-defaults.ts";
import { decryptSettings, encryptSettings } from "./settings-crypto.ts";
import { nowString } from "../../tools/dates.ts";

function encryptionKey(app: App): string {
  const env = app.config.encryptionEnv;
  if (!env) return "";
  const key = process.env[env] ?? "";
  if (key.length !== 32) throw new Error(`The settings encryption key in $${env} must be exactly 32 characters long.`);
  return key;
}

/**
 * Reads the settings from `_params` (row `settings`), merged over the defaults. The row is written
 * with the defaults when missing. With `--encryptionEnv` the value is AES-encrypted; a plain value
 * is still read (and encrypted on the next save).
 */
export function loadSettings(app: App): Settings {
  const row = app.db().get<{ value: string | Uint8Array | null }>("SELECT value FROM _params WHERE id = 'settings'");
  if (!row || row.value === null) {
    const s = defaultSettings();
    saveSettings(app, s);
    return s;
  }
  // NB: PocketBase stores the value as a BLOB
  let text = typeof row.value === "string" ? row.value : new TextDecoder().decode(row.value);
  const key = encryptionKey(app);
  if (key && !text.trimStart().startsWith("{")) {
    text = decryptSettings(text.trim().replace(/^"|"$/g, ""), key);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error("The stored settings are not valid JSON (wrong --encryptionEnv key?).");
  }
  return deepMerge(defaultSettings(), parsed);
}

/** Writes the settings to `_params`. */
export function saveSettings(app: App, s: Settings): void {
  const key = encryptionKey(app);
  const json = JSON.stringify(s);
  const value = key ? encryptSettings(json, key) : json;
  const now = nowString();
  app.db().run(
    "INSERT INTO _params (id, value, created, updated) VALUES ('settings', ?, ?, ?) ON CONFLICT(id) DO UPDATE SET value = excluded.value, updated = excluded.updated",
    [value, now, now],
  );
}
