import { describe, expect, test } from "bun:test";
import { WriteTurnArbiter, WriteTurns } from "./write-turns.ts";

/** Two processes and an arbiter wired together in memory, messages delivered in order. */
function cluster() {
  const queue: (() => void)[] = [];
  const flush = async () => {
    while (queue.length) {
      queue.shift()!();
      await Promise.resolve();
    }
    await Bun.sleep(0);
  };
  const arbiter: WriteTurnArbiter<string> = new WriteTurnArbiter((to, m) => queue.push(() => (m === "grant" ? procs[to]!.granted() : procs[to]!.yieldRequested())));
  const procs: { [k: string]: WriteTurns } = {};
  for (const name of ["a", "b"]) procs[name] = new WriteTurns((m) => queue.push(() => (m === "want" ? arbiter.want(name) : arbiter.release(name))));
  return { a: procs.a!, b: procs.b!, arbiter, flush };
}

describe("write turns", () => {
  test("one process holds the turn at a time; its own requests run together", async () => {
    const { a, b, arbiter, flush } = cluster();
    const a1 = a.acquire();
    const a2 = a.acquire();
    await flush();
    const [endA1, endA2] = await Promise.all([a1, a2]);
    expect(arbiter.current()).toBe("a");
    let bIn = false;
    const b1 = b.acquire().then((end) => ((bIn = true), end));
    await flush();
    // b waits while a's requests are in flight, and a admits nothing new meanwhile
    expect(bIn).toBe(false);
    let a3In = false;
    const a3 = a.acquire().then((end) => ((a3In = true), end));
    endA1();
    await flush();
    expect(bIn).toBe(false);
    endA2();
    await flush();
    expect(bIn).toBe(true);
    expect(a3In).toBe(false);
    expect(arbiter.current()).toBe("b");
    (await b1)();
    await flush();
    expect(a3In).toBe(true);
    expect(arbiter.current()).toBe("a");
    (await a3)();
  });

  test("a process keeps an idle turn until another asks; a release is idempotent", async () => {
    const { a, b, arbiter, flush } = cluster();
    const end = await (async () => {
      const p = a.acquire();
      await flush();
      return p;
    })();
    end();
    end();
    await flush();
    expect(arbiter.current()).toBe("a");
    expect(a.holds()).toBe(true);
    const p = b.acquire();
    await flush();
    expect(arbiter.current()).toBe("b");
    expect(a.holds()).toBe(false);
    (await p)();
  });

  test("a process that goes away loses its turn and its place", async () => {
    const { a, b, arbiter, flush } = cluster();
    void a.acquire();
    await flush();
    let bIn = false;
    void b.acquire().then(() => (bIn = true));
    await flush();
    expect(bIn).toBe(false);
    arbiter.gone("a");
    await flush();
    expect(bIn).toBe(true);
    expect(arbiter.current()).toBe("b");
  });
});
