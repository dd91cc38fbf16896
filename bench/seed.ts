/**
 * Seeds the benchmark data set into a pb_data through Satchel's own App API: the collections by
 * import, then every record with `app.save` inside one `app.runInTransaction` per collection.
 */
import { App } from "../src/core/app.ts";
import { Record } from "../src/core/records/record.ts";
import { importCollections } from "../src/core/collections/collections-import.ts";
import { benchmarkCollections, LOREM, PASSWORD, SUPERUSER_EMAIL } from "./schema.ts";
import { seededRandom } from "../src/tools/seeded-random.ts";

/** How many records each collection gets. */
export interface SeedSizes {
  organizations: number;
  permissions: number;
  users: number;
  /** The posts collections to fill (the others stay empty). */
  posts: { name: string; size: number }[];
}

/** What seeding did, with timings. */
export interface SeedSummary {
  counts: { [collection: string]: number };
  ms: { [step: string]: number };
}


/** Picks one element at random. */
export function pick<T>(list: readonly T[], rnd: () => number): T {
  return list[Math.floor(rnd() * list.length)]!;
}

/**
 * Creates the collections and records in `dataDir` (a new or empty pb_data) and closes the app.
 * NB: every user gets the same bcrypt hash (cost 10) of the suite's password, computed once:
 * hashing 500 passwords would take ~40 s and measure nothing, and verification cost is the same.
 */
export function seedDataSet(dataDir: string, sizes: SeedSizes, log: (line: string) => void = () => undefined): SeedSummary {
  const rnd = seededRandom(20260116);
  const ms: { [step: string]: number } = {};
  const counts: { [collection: string]: number } = {};
  const time = <T>(step: string, fn: () => T): T => {
    const t0 = performance.now();
    const out = fn();
    ms[step] = Math.round(performance.now() - t0);
    log(`  seeded ${step} in ${ms[step]} ms`);
    return out;
  };
  const app = new App({ dataDir });
  app.bootstrap();
  try {
    const s = app.settings();
    // PocketBase's suite disables the request logs (Logs.MaxDays = 0)
    app.saveSettings({ ...s, logs: { ...s.logs, maxDays: 0 } });
    time("collections", () => importCollections(app, benchmarkCollections(), true));

    time("superuser", () => {
      const su = new Record(app.findCollectionByNameOrId("_superusers"));
      su.setEmail(SUPERUSER_EMAIL);
      su.setPassword(PASSWORD);
      app.save(su);
    });

    const orgs = time("organizations", () =>
      app.runInTransaction((tx) => {
        const c = tx.findCollectionByNameOrId("organizations");
        const ids: string[] = [];
        for (let i = 0; i < sizes.organizations; i++) {
          const r = new Record(c, { name: `organizations${i}` });
          tx.save(r);
          ids.push(r.id);
        }
        return ids;
      }),
    );
    const perms = time("permissions", () =>
      app.runInTransaction((tx) => {
        const c = tx.findCollectionByNameOrId("permissions");
        const ids: string[] = [];
        for (let i = 0; i < sizes.permissions; i++) {
          const r = new Record(c, { name: `permissions${i}`, active: i % 2 === 0 });
          tx.save(r);
          ids.push(r.id);
        }
        return ids;
      }),
    );
    const hash = Bun.password.hashSync(PASSWORD, { algorithm: "bcrypt", cost: 10 });
    const users = time("users", () =>
      app.runInTransaction((tx) => {
        const c = tx.findCollectionByNameOrId("users");
        const ids: string[] = [];
        for (let i = 0; i < sizes.users; i++) {
          const r = new Record(c, {
            email: `users${i}@example.com`,
            username: `users${i}`,
            organization: pick(orgs, rnd),
            permissions: [pick(perms, rnd), pick(perms, rnd), pick(perms, rnd)],
          });
          r.setRaw("password", { hash });
          tx.save(r);
          ids.push(r.id);
        }
        return ids;
      }),
    );
    counts.organizations = orgs.length;
    counts.permissions = perms.length;
    counts.users = users.length;

    const types = ["a", "b", "c", "d"];
    for (const p of sizes.posts) {
      time(p.name, () =>
        app.runInTransaction((tx) => {
          const c = tx.findCollectionByNameOrId(p.name);
          for (let i = 0; i < p.size; i++) {
            tx.save(
              new Record(c, {
                title: `${p.name}${i}`,
                description: LOREM,
                public: i % 2 !== 0,
                type: [pick(types, rnd), pick(types, rnd)],
                author: pick(users, rnd),
              }),
            );
          }
        }),
      );
      counts[p.name] = p.size;
    }
  } finally {
    app.terminate();
  }
  return { counts, ms };
}
