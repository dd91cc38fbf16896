/**
 * PocketBase's `$app.store()` for `serve --workers=N`: a Map whose changes are copied to every
 * other process through the primary, so a value set while handling one request is seen by the
 * next request whichever worker answers it (after the ~0.1 ms the copy takes). Values that
 * cannot be copied between processes (functions, class instances with methods) stay in the
 * process that set them; a warning says so once.
 */
export type StoreChange = { op: "set"; key: string; value: unknown } | { op: "delete"; key: string } | { op: "clear" };

/** A Map that reports its own changes and applies the other processes' changes silently. */
export class ReplicatedStore extends Map<string, unknown> {
  private send: ((change: StoreChange) => void) | null = null;
  private warned = false;

  /** Starts reporting changes through `send`. */
  connect(send: (change: StoreChange) => void): void {
    this.send = send;
  }

  /** Sets a value here and in the other processes. */
  override set(key: string, value: unknown): this {
    super.set(key, value);
    this.report({ op: "set", key, value });
    return this;
  }

  /** Removes a key here and in the other processes. */
  override delete(key: string): boolean {
    const had = super.delete(key);
    this.report({ op: "delete", key });
    return had;
  }

  /** Empties the store here and in the other processes. */
  override clear(): void {
    super.clear();
    this.report({ op: "clear" });
  }

  /** Applies a change made by another process. */
  apply(change: StoreChange): void {
    if (change.op === "set") super.set(change.key, change.value);
    else if (change.op === "delete") super.delete(change.key);
    else super.clear();
  }

  private report(change: StoreChange): void {
    if (!this.send) return;
    try {
      this.send(change);
    } catch (err) {
      if (!this.warned) {
        this.warned = true;
        console.warn(`[satchel] $app.store(): the value of "${change.op === "clear" ? "" : change.key}" cannot be shared with the other workers and stays in this one (${err instanceof Error ? err.message : String(err)}).`);
      }
    }
  }
}
