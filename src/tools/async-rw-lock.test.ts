import { describe, expect, test } from "bun:test";
import { AsyncRWLock } from "./async-rw-lock.ts";

describe("AsyncRWLock", () => {
  test("shared holders run together; exclusive waits for them and blocks newcomers", async () => {
    const lock = new AsyncRWLock();
    const log: string[] = [];
    const r1 = await lock.acquireShared();
    const r2 = await lock.acquireShared();
    const ex = lock.acquireExclusive().then((release) => {
      log.push("exclusive");
      return release;
    });
    const late = Promise.resolve(lock.acquireShared()).then((release) => {
      log.push("late shared");
      release();
    });
    await Bun.sleep(5);
    expect(log).toEqual([]);
    r1();
    r2();
    r2();
    const releaseEx = await ex;
    await Bun.sleep(5);
    expect(log).toEqual(["exclusive"]);
    releaseEx();
    await late;
    expect(log).toEqual(["exclusive", "late shared"]);
  });

  test("an exclusive request times out while a shared holder stays", async () => {
    const lock = new AsyncRWLock();
    const r = await lock.acquireShared();
    await expect(lock.acquireExclusive(20)).rejects.toThrow("lock timeout");
    const again = await lock.acquireShared();
    again();
    r();
    const ex = await lock.acquireExclusive(20);
    ex();
  });
});
