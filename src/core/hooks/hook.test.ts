import { describe, expect, test } from "bun:test";
import { Hook, type HookEvent } from "./hook.ts";

interface E extends HookEvent {
  log: string[];
}
const ev = (): E => ({ log: [], next: () => undefined });

describe("Hook", () => {
  test("runs handlers by priority then registration order, with the built-in behaviour last", () => {
    const h = new Hook<E>();
    h.bindFunc((e) => (e.log.push("a"), e.next()));
    h.bind({ priority: -1, func: (e) => (e.log.push("first"), e.next()) });
    h.bindFunc((e) => (e.log.push("b"), e.next()));
    const e = ev();
    h.trigger(e, (x) => x.log.push("final"));
    expect(e.log).toEqual(["first", "a", "b", "final"]);
  });

  test("tagged chains follow every bind, unbind and unbindAll between triggers", async () => {
    const h = new Hook<E>();
    const run = (tags: string[]): string[] => {
      const e = ev();
      h.trigger(e, (x) => x.log.push("final"), tags);
      return e.log;
    };
    expect(run(["posts"])).toEqual(["final"]);
    const posts = h.bindFunc((e) => (e.log.push("posts"), e.next()), ["posts"]);
    expect(run(["id1", "posts"])).toEqual(["posts", "final"]);
    expect(run(["users"])).toEqual(["final"]);
    h.bindFunc((e) => (e.log.push("all"), e.next()));
    expect(run(["id1", "posts"])).toEqual(["posts", "all", "final"]);
    expect(run(["users"])).toEqual(["all", "final"]);
    h.unbind(posts);
    expect(run(["id1", "posts"])).toEqual(["all", "final"]);
    h.unbindAll();
    expect(run(["id1", "posts"])).toEqual(["final"]);
    // the async flavour with no handler runs the built-in behaviour, and e.next is restored
    const e = ev();
    const before = e.next;
    await h.triggerAsync(e, async (x) => {
      x.log.push("final");
    }, ["posts"]);
    expect(e.log).toEqual(["final"]);
    expect(e.next).toBe(before);
  });

  test("a handler that does not call next stops the chain; unbind removes it", () => {
    const h = new Hook<E>();
    const id = h.bindFunc((e) => e.log.push("stop"));
    const e = ev();
    h.trigger(e, (x) => x.log.push("final"));
    expect(e.log).toEqual(["stop"]);
    h.unbind(id);
    const e2 = ev();
    h.trigger(e2, (x) => x.log.push("final"));
    expect(e2.log).toEqual(["final"]);
  });

  test("tags restrict handlers to matching events", () => {
    const h = new Hook<E>();
    h.bind({ func: (e) => (e.log.push("posts"), e.next()) }, ["posts"]);
    h.bind({ func: (e) => (e.log.push("all"), e.next()) });
    const e = ev();
    h.trigger(e, () => {}, ["users", "_pb_users_auth_"]);
    expect(e.log).toEqual(["all"]);
    const e2 = ev();
    h.trigger(e2, () => {}, ["posts", "pbc_1"]);
    expect(e2.log).toEqual(["posts", "all"]);
  });

  test("a synchronous model hook returning a Promise is refused", () => {
    const h = new Hook<E>("onRecordCreate");
    h.bindFunc(async (e) => {
      await e.next();
    });
    expect(() => h.trigger(ev())).toThrow(/must be synchronous/);
  });

  test("async chains are awaited, even when a handler forgets to await next()", async () => {
    const h = new Hook<E>();
    h.bindFunc((e) => {
      e.log.push("a");
      void e.next();
    });
    h.bindFunc(async (e) => {
      await Bun.sleep(5);
      e.log.push("b");
      await e.next();
    });
    const e = ev();
    await h.triggerAsync(e, async (x) => {
      await Bun.sleep(5);
      x.log.push("final");
    });
    expect(e.log).toEqual(["a", "b", "final"]);
  });

  test("errors propagate out of trigger", async () => {
    const h = new Hook<E>();
    h.bindFunc(() => {
      throw new Error("boom");
    });
    expect(() => h.trigger(ev())).toThrow("boom");
    await expect(h.triggerAsync(ev())).rejects.toThrow("boom");
  });
});
