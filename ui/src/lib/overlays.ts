/**
 * The stack of open drawers and modals, so that Escape closes only the topmost one and focus
 * returns to where it was.
 */
const stack: number[] = [];
let seq = 0;

/** Registers an overlay; returns its handle. */
export function pushOverlay(): number {
  const id = ++seq;
  stack.push(id);
  return id;
}

/** Unregisters an overlay. */
export function popOverlay(id: number): void {
  const i = stack.indexOf(id);
  if (i >= 0) stack.splice(i, 1);
}

/** True when the overlay is the topmost one. */
export function isTopOverlay(id: number): boolean {
  return stack[stack.length - 1] === id;
}

/** True when any overlay is open (page-level shortcuts stay quiet then). */
export function anyOverlay(): boolean {
  return stack.length > 0;
}

/** Focuses the first focusable control inside `el` (autofocus-marked first). */
export function focusFirst(el: HTMLElement | undefined): void {
  if (!el) return;
  const target =
    el.querySelector<HTMLElement>("[autofocus], [data-autofocus]") ??
    el.querySelector<HTMLElement>("input:not([type=hidden]):not([disabled]), textarea, select, [contenteditable=true]");
  target?.focus();
}
