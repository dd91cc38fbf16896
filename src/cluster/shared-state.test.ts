import { describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CacheGeneration } from "./cache-generation.ts";
import { ReplicatedStore, type StoreChange } from "./replicated-store.ts";

describe("cache generation", () => {
  test("a bump by one process is seen once by every other, never by itself", () => {
    const dir = mkdtempSync(join(tmpdir(), "satchel-gen-"));
    try {
      const path = join(dir, "gen");
      CacheGeneration.create(path);
      const a = new CacheGeneration(path);
      const b = new CacheGeneration(path);
      expect(a.changed()).toBe(false);
      a.bump();
      expect(a.changed()).toBe(false);
      expect(b.changed()).toBe(true);
      expect(b.changed()).toBe(false);
      // both change at once: each still reloads for the other's change
      b.bump();
      a.bump();
      expect(a.changed()).toBe(true);
      expect(b.changed()).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("replicated store", () => {
  test("reports its own changes and applies others' silently", () => {
    const sent: StoreChange[] = [];
    const a = new ReplicatedStore();
    a.connect((c) => sent.push(c));
    a.set("k", { n: 1 });
    a.delete("k");
    a.clear();
    expect(sent.map((c) => c.op)).toEqual(["set", "delete", "clear"]);
    a.apply({ op: "set", key: "x", value: 2 });
    expect(a.get("x")).toBe(2);
    expect(sent.length).toBe(3);
  });

  test("a value that cannot be copied stays local, with one warning", () => {
    const a = new ReplicatedStore();
    a.connect(() => {
      throw new Error("could not be cloned");
    });
    const warn = console.warn;
    let warnings = 0;
    console.warn = () => void warnings++;
    try {
      a.set("f", () => 1);
      a.set("g", () => 2);
    } finally {
      console.warn = warn;
    }
    expect(typeof a.get("f")).toBe("function");
    expect(warnings).toBe(1);
  });
});
