/** Toast notifications (top-right), auto-dismissed. */

/** One notification. */
export interface Toast {
  id: number;
  kind: "success" | "error" | "info";
  text: string;
}

/** The visible toasts. */
export const toasts = $state<Toast[]>([]);
let seq = 0;

/** Shows a toast for a few seconds (errors stay longer). */
export function toast(text: string, kind: Toast["kind"] = "success"): void {
  const id = ++seq;
  toasts.push({ id, kind, text });
  if (toasts.length > 3) toasts.splice(0, toasts.length - 3);
  setTimeout(() => dismiss(id), kind === "error" ? 7000 : 3500);
}

/** Removes a toast. */
export function dismiss(id: number): void {
  const i = toasts.findIndex((t) => t.id === id);
  if (i >= 0) toasts.splice(i, 1);
}
