/** The application's name and dashboard options from the settings (`meta`), for the whole UI. */
import { pb } from "./pb.ts";

/** `meta.appName` and `meta.hideControls`, once loaded. */
export const appMeta = $state({ appName: "", hideControls: false });

/** Applies a settings `meta` object (after loading or saving the settings). */
export function setAppMeta(meta: { appName?: unknown; hideControls?: unknown } | undefined): void {
  appMeta.appName = typeof meta?.appName === "string" ? meta.appName : "";
  appMeta.hideControls = meta?.hideControls === true;
  document.title = appMeta.appName ? `${appMeta.appName} · Satchel` : "Satchel";
}

/** Loads the settings' `meta` (superusers only; failures leave the defaults). */
export async function loadAppMeta(): Promise<void> {
  try {
    const s = await pb.settings.getAll({ fields: "meta" });
    setAppMeta(s.meta);
  } catch {
    // not fatal: the dashboard works with the defaults
  }
}
