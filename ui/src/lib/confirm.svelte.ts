/** A promise-based confirmation dialog (rendered once by the app shell). */

/** The dialog currently asked, if any. */
export const confirmState = $state({
  open: false,
  title: "",
  text: "",
  confirmText: "Yes",
  danger: false,
  /** When set, the user must type this exact text to confirm. */
  typeToConfirm: "",
  resolve: null as null | ((ok: boolean) => void),
});

/** Asks the user; resolves true on confirm. */
export function confirmDialog(opts: { title: string; text?: string; confirmText?: string; danger?: boolean; typeToConfirm?: string }): Promise<boolean> {
  confirmState.resolve?.(false);
  return new Promise((resolve) => {
    Object.assign(confirmState, {
      open: true,
      title: opts.title,
      text: opts.text ?? "",
      confirmText: opts.confirmText ?? "Yes",
      danger: opts.danger ?? false,
      typeToConfirm: opts.typeToConfirm ?? "",
      resolve,
    });
  });
}

/** Closes the dialog with an answer. */
export function answerConfirm(ok: boolean): void {
  const r = confirmState.resolve;
  confirmState.open = false;
  confirmState.resolve = null;
  r?.(ok);
}
