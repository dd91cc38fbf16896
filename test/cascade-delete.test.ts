/**
 * Cascade deletes across two levels (organization → members → posts) through the SDK, with the
 * batched reads of record-delete.ts: the same records go, hooks fire once per record in
 * PocketBase's depth-first order, and a hook that writes in the middle of a cascade (or rolls a
 * savepoint back) is seen exactly as a per-record scan would see it.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import PocketBase, { ClientResponseError } from "pocketbase";
import { Record } from "../src/core/records/record.ts";
import type { RecordEvent } from "../src/core/events.ts";
import { startTestServer, type TestServer } from "./helpers/test-server.ts";

let ts: TestServer;
let su: PocketBase;
let run = 0;

beforeAll(async () => {
  ts = await startTestServer();
  su = await ts.superuser();
  await su.collections.create({ name: "orgs", type: "base", fields: [{ name: "name", type: "text" }] });
  const orgs = await su.collections.getOne("orgs");
  await su.collections.create({ name: "members", type: "base", fields: [{ name: "name", type: "text" }, { name: "org", type: "relation", collectionId: orgs.id, maxSelect: 1, cascadeDelete: true }] });
  const members = await su.collections.getOne("members");
  for (const name of ["postsA", "postsB"]) {
    await su.collections.create({ name, type: "base", fields: [{ name: "title", type: "text" }, { name: "author", type: "relation", collectionId: members.id, maxSelect: 1, cascadeDelete: true }] });
  }
});
afterAll(async () => {
  await ts.stop();
});

/** An organization with `n` members, each with two postsA and one postsB; returns the ids. */
async function seed(n: number): Promise<{ org: string; members: string[]; posts: { [member: string]: string[] } }> {
  run++;
  const org = (await su.collection("orgs").create({ name: `o${run}` })).id;
  const members: string[] = [];
  const posts: { [member: string]: string[] } = {};
  for (let i = 0; i < n; i++) {
    const m = (await su.collection("members").create({ name: `m${i}`, org })).id;
    members.push(m);
    posts[m] = [];
    for (const [coll, title] of [["postsA", "a1"], ["postsA", "a2"], ["postsB", "b1"]] as const) {
      posts[m]!.push(`${coll}:${(await su.collection(coll).create({ title, author: m })).id}`);
    }
  }
  return { org, members, posts };
}

/** Records every onRecordDelete as `collection:id` while `fn` runs. */
async function recordingDeletes(fn: () => Promise<unknown>, extra?: (e: RecordEvent) => void): Promise<string[]> {
  const seen: string[] = [];
  const id = ts.app.onRecordDelete().bindFunc((e) => {
    seen.push(`${e.record.collection().name}:${e.record.id}`);
    extra?.(e);
    return e.next();
  });
  try {
    await fn();
  } finally {
    ts.app.onRecordDelete().unbind(id);
  }
  return seen;
}

/** The ids of `coll` whose author is one of `authors`. */
function postsOf(coll: string, authors: string[]): string[] {
  return ts.app.findAllRecords(coll).filter((r) => authors.includes(r.getString("author"))).map((r) => r.id);
}

describe("cascade deletes", () => {
  test("org → members → posts: every record once, depth-first, in scan order; one read per relation", async () => {
    const { org, members, posts } = await seed(4);
    const other = await seed(1);
    const db = ts.app.db();
    const all = db.all.bind(db);
    const reads: string[] = [];
    db.all = ((sql: string, params?: readonly unknown[]) => {
      if (sql.includes(`"author"`)) reads.push(sql.includes("json_each(?)") ? "batched" : "per-record");
      return all(sql, params as never);
    }) as typeof db.all;
    let seen: string[];
    try {
      seen = await recordingDeletes(() => su.collection("orgs").delete(org));
    } finally {
      db.all = all;
    }
    expect(seen).toEqual([`orgs:${org}`, ...members.flatMap((m) => [`members:${m}`, ...posts[m]!])]);
    expect(reads).toEqual(["batched", "batched"]);
    expect(postsOf("postsA", members)).toEqual([]);
    expect(postsOf("postsB", members)).toEqual([]);
    // the other organization is untouched
    expect(postsOf("postsA", other.members)).toHaveLength(2);
    expect((await su.collection("members").getOne(other.members[0]!)).org).toBe(other.org);
  });

  test("a hook that adds or moves posts mid-cascade is seen, as with a fresh scan", async () => {
    const { org, members } = await seed(3);
    const survivor = await seed(1);
    const [m0, , m2] = members as [string, string, string];
    const moved = postsOf("postsB", [m2])[0]!;
    let added = "";
    await recordingDeletes(
      () => su.collection("orgs").delete(org),
      (e) => {
        if (e.record.id !== m0) return;
        // while the first member goes: a new post for the last one, and one of its posts moves away
        const post = new Record(e.app.findCollectionByNameOrId("postsA"), { title: "late", author: m2 });
        e.app.save(post);
        added = post.id;
        const p = e.app.findRecordById("postsB", moved);
        p.set("author", survivor.members[0]);
        e.app.save(p);
      },
    );
    expect(added).not.toBe("");
    expect(postsOf("postsA", members)).toEqual([]);
    expect(postsOf("postsB", members)).toEqual([]);
    expect((await su.collection("postsB").getOne(moved)).author).toBe(survivor.members[0]);
  });

  test("a delete undone by a hook's rolled-back savepoint is cascaded later", async () => {
    const { org, members } = await seed(3);
    const [m0, , m2] = members as [string, string, string];
    const target = postsOf("postsA", [m2])[0]!;
    const seen = await recordingDeletes(
      () => su.collection("orgs").delete(org),
      (e) => {
        if (e.record.id !== m0) return;
        try {
          e.app.db().transaction(() => {
            e.app.delete(e.app.findRecordById("postsA", target));
            throw new Error("undo");
          });
        } catch {
          // the savepoint brought the post back
        }
      },
    );
    expect(seen.filter((s) => s === `postsA:${target}`)).toHaveLength(2);
    expect(postsOf("postsA", members)).toEqual([]);
    expect(await ts.app.findRecordsByFilter("postsA", `id = {:id}`, "", 0, 0, { id: target })).toEqual([]);
  });

  test("a required reference blocks the whole cascade; nothing is half-deleted and later cascades still batch", async () => {
    await su.collections.create({ name: "badges", type: "base", fields: [{ name: "member", type: "relation", collectionId: (await su.collections.getOne("members")).id, maxSelect: 1, required: true }] });
    const { org, members } = await seed(3);
    const badge = await su.collection("badges").create({ member: members[2] });
    const err = await su.collection("orgs").delete(org).then(
      () => null,
      (e: ClientResponseError) => e,
    );
    expect(err?.status).toBe(400);
    expect(err?.message).toContain("required relation reference");
    expect((await su.collection("orgs").getOne(org)).id).toBe(org);
    expect(postsOf("postsA", members)).toHaveLength(6);
    expect(postsOf("postsB", members)).toHaveLength(3);
    // once the blocker is gone the same cascade goes through
    await su.collection("badges").delete(badge.id);
    const seen = await recordingDeletes(() => su.collection("orgs").delete(org));
    expect(seen).toHaveLength(1 + 3 + 9);
    expect(postsOf("postsA", members)).toEqual([]);
    await su.collections.delete("badges");
  });

  test("multiple relations lose the id (and stop the batching), single ones cascade", async () => {
    const members = await su.collections.getOne("members");
    await su.collections.create({ name: "teams", type: "base", fields: [{ name: "people", type: "relation", collectionId: members.id, maxSelect: 5 }] });
    const { org, members: ms } = await seed(3);
    const survivor = await seed(1);
    const t1 = await su.collection("teams").create({ people: [ms[0], survivor.members[0], ms[2]] });
    const t2 = await su.collection("teams").create({ people: [ms[1]] });
    await su.collection("orgs").delete(org);
    expect((await su.collection("teams").getOne(t1.id)).people).toEqual([survivor.members[0]]);
    expect((await su.collection("teams").getOne(t2.id)).people).toEqual([]);
    expect(postsOf("postsA", ms)).toEqual([]);
    expect(postsOf("postsB", ms)).toEqual([]);
    await su.collections.delete("teams");
  });
});
