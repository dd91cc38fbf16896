/**
 * An async readers/writer lock. Any number of shared holders, or one exclusive holder; a pending
 * exclusive request blocks new shared ones so it cannot starve. Imports nothing of ours.
 */
export class AsyncRWLock {
  private shared = 0;
  private exclusiveHeld = false;
  private waitingExclusive: (() => void)[] = [];
  private waitingShared: (() => void)[] = [];

  /** True while an exclusive holder runs or waits. */
  get exclusivePending(): boolean {
    return this.exclusiveHeld || this.waitingExclusive.length > 0;
  }

  /** Acquires a shared hold; resolves to an idempotent release function. */
  acquireShared(): Promise<() => void> | (() => void) {
    if (!this.exclusivePending) {
      this.shared++;
      return this.sharedRelease();
    }
    return new Promise((resolve) => {
      this.waitingShared.push(() => {
        this.shared++;
        resolve(this.sharedRelease());
      });
    });
  }

  /**
   * Acquires the exclusive hold (waits for every shared holder to release). Rejects after
   * `timeoutMs` when given.
   */
  acquireExclusive(timeoutMs?: number): Promise<() => void> {
    return new Promise((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const grant = () => {
        if (timer) clearTimeout(timer);
        this.exclusiveHeld = true;
        let done = false;
        resolve(() => {
          if (done) return;
          done = true;
          this.exclusiveHeld = false;
          this.drain();
        });
      };
      this.waitingExclusive.push(grant);
      if (timeoutMs !== undefined) {
        timer = setTimeout(() => {
          const i = this.waitingExclusive.indexOf(grant);
          if (i >= 0) {
            this.waitingExclusive.splice(i, 1);
            this.drain();
            reject(new Error("lock timeout"));
          }
        }, timeoutMs);
      }
      this.drain();
    });
  }

  private sharedRelease(): () => void {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.shared--;
      this.drain();
    };
  }

  private drain(): void {
    if (this.exclusiveHeld) return;
    if (this.waitingExclusive.length > 0) {
      if (this.shared === 0) this.waitingExclusive.shift()!();
      return;
    }
    const list = this.waitingShared;
    this.waitingShared = [];
    for (const go of list) go();
  }
}
