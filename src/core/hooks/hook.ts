/** The minimal shape of an event a hook chain runs over. */
export interface HookEvent {
  /** Continues with the next handler (or the built-in behaviour as the last link). */
  next(): unknown;
}

/** A registered handler. */
export interface HookHandler<E> {
  /** Unique id (generated when omitted). */
  id?: string;
  /** Lower runs first; handlers with equal priority run in registration order. */
  priority?: number;
  /** The function; it calls `e.next()` to continue the chain. */
  func: (e: E) => unknown;
}

interface Bound<E> {
  id: string;
  priority: number;
  seq: number;
  tags: readonly string[];
  func: (e: E) => unknown;
}

let seqCounter = 0;

/**
 * An ordered chain of handlers (PocketBase's `hook.Hook`). Handlers may carry tags (a
 * collection's name and id): a tagged handler runs only for events with a matching tag.
 *
 * Two flavours share the chain: `trigger` (synchronous, for model hooks inside the data core:
 * a handler returning a Promise is refused) and `triggerAsync` (request-level hooks: `e.next()`
 * returns a Promise the chain awaits, and a handler that forgets to await `e.next()` still has
 * the chain finish before `triggerAsync` resolves).
 */
export class Hook<E extends HookEvent> {
  private handlers: Bound<E>[] = [];
  /** The handlers that run for a tag list (joined), rebuilt after any bind/unbind. */
  private chains = new Map<string, Bound<E>[]>();
  /** Name used in error messages. */
  readonly name: string;

  constructor(name = "hook") {
    this.name = name;
  }

  /** Registers a handler; returns its id. */
  bind(handler: HookHandler<E>, tags: readonly string[] = []): string {
    const id = handler.id || `h${++seqCounter}_${Math.random().toString(36).slice(2, 8)}`;
    this.handlers = this.handlers.filter((h) => h.id !== id);
    this.handlers.push({ id, priority: handler.priority ?? 0, seq: ++seqCounter, tags, func: handler.func });
    this.handlers.sort((a, b) => a.priority - b.priority || a.seq - b.seq);
    this.chains.clear();
    return id;
  }

  /** Registers a plain function; returns its generated id. */
  bindFunc(func: (e: E) => unknown, tags: readonly string[] = []): string {
    return this.bind({ func }, tags);
  }

  /** Removes handlers by id. */
  unbind(...ids: string[]): void {
    this.handlers = this.handlers.filter((h) => !ids.includes(h.id));
    this.chains.clear();
  }

  /** Removes every handler. */
  unbindAll(): void {
    this.handlers = [];
    this.chains.clear();
  }

  /** The number of registered handlers. */
  get length(): number {
    return this.handlers.length;
  }

  private chainFor(tags: readonly string[]): Bound<E>[] {
    if (this.handlers.length === 0) return this.handlers;
    // NB: every save triggers several hooks with the same tags; the filtered list is reused
    // (callers only read it, and a bind/unbind meanwhile builds new lists)
    const key = tags.length === 0 ? "" : tags.length === 1 ? tags[0]! : tags.join("\u0000");
    let chain = this.chains.get(key);
    if (chain === undefined) {
      chain = this.handlers.filter((h) => h.tags.length === 0 || h.tags.some((t) => tags.includes(t)));
      if (this.chains.size >= 500) this.chains.clear();
      this.chains.set(key, chain);
    }
    return chain;
  }

  /**
   * Runs the chain synchronously; `final` is the built-in behaviour, run when the last handler
   * calls `e.next()`. NB: a handler that returns a Promise is refused with an error, because a
   * model hook runs inside the synchronous data core (possibly inside a transaction).
   */
  trigger(event: E, final: (e: E) => void = () => {}, tags: readonly string[] = []): void {
    const chain = this.chainFor(tags);
    let i = 0;
    const prevNext = event.next;
    const next = (): void => {
      const h = chain[i++];
      if (!h) {
        final(event);
        return;
      }
      const r = h.func(event);
      if (isThenable(r)) {
        throw new Error(`${this.name}: a model hook handler returned a Promise; model hooks run inside the synchronous data core and must be synchronous (use a *Request hook for async work).`);
      }
    };
    event.next = next;
    try {
      next();
    } finally {
      event.next = prevNext;
    }
  }

  /** Runs the chain, awaiting async handlers (request-level hooks). */
  async triggerAsync(event: E, final: (e: E) => unknown = () => {}, tags: readonly string[] = []): Promise<void> {
    const chain = this.chainFor(tags);
    if (chain.length === 0) {
      // NB: hot path (most request hooks have no handler): the built-in behaviour runs directly
      const prevNext = event.next;
      event.next = resolvedNext;
      try {
        await final(event);
      } finally {
        event.next = prevNext;
      }
      return;
    }
    let i = 0;
    const pending: Promise<unknown>[] = [];
    const prevNext = event.next;
    const next = (): Promise<void> => {
      const h = chain[i++];
      const p = (async () => {
        if (!h) await final(event);
        else await h.func(event);
      })();
      pending.push(p);
      return p;
    };
    event.next = next;
    try {
      await next();
      // a handler that called e.next() without awaiting it: still finish the chain first
      for (let k = 0; k < pending.length; k++) await pending[k];
    } finally {
      event.next = prevNext;
    }
  }
}

/** `e.next()` once the chain has run out: nothing left to continue with. */
function resolvedNext(): Promise<void> {
  return Promise.resolve();
}

/** A view of a hook that binds every handler with fixed tags (`app.onRecordCreate("posts")`). */
export class TaggedHook<E extends HookEvent> {
  constructor(
    private readonly hook: Hook<E>,
    private readonly tags: readonly string[],
  ) {}
  /** Registers a handler for the tags. */
  bind(handler: HookHandler<E>): string {
    return this.hook.bind(handler, this.tags);
  }
  /** Registers a plain function for the tags. */
  bindFunc(func: (e: E) => unknown): string {
    return this.hook.bind({ func }, this.tags);
  }
  /** Removes handlers by id. */
  unbind(...ids: string[]): void {
    this.hook.unbind(...ids);
  }
}

/** True for Promises and other thenables. */
export function isThenable(v: unknown): v is PromiseLike<unknown> {
  return typeof v === "object" && v !== null && typeof (v as { then?: unknown }).then === "function";
}
