/**
 * Published figures to put ours beside (reference/pocketbase-benchmarks.md): PocketBase v0.36 on
 * a 2-vCPU Hetzner CAX11 (pure Go, client in-process, new connection per request), and PocketBun
 * on a 2-vCPU dedicated CCX13 with an external client (single run, ±20–30 %). Completed wall
 * times for the same request count and concurrency as our full-mode scenario.
 *
 * NB: the `custom.*.ts` rows carry upstream's Go route and Go hook figures: our TypeScript hooks
 * file in Satchel's native API stands where upstream's Go code stands (bench/hook-files.ts).
 */

/** One published figure: `n` requests completed in `ms`. */
export interface Published {
  n: number;
  ms: number;
}

/** PocketBase v0.36.0, CAX11 (2 vCPU ARM, shared), pure Go build. */
export const POCKETBASE_CAX11: { [scenarioId: string]: Published } = {
  "create.organizations.norule": { n: 50, ms: 19 },
  "create.users.norule": { n: 250, ms: 16_800 },
  "create.posts10k.norule": { n: 5000, ms: 2630 },
  "create.posts100k.norule": { n: 50_000, ms: 24_800 },
  "create.posts100k.rule": { n: 50_000, ms: 36_800 },
  "auth.password.c10": { n: 250, ms: 8380 },
  "auth.password.chigh": { n: 250, ms: 8430 },
  "auth.refresh.c100": { n: 1000, ms: 310 },
  "auth.refresh.c1000": { n: 1000, ms: 360 },
  "view.users.c100": { n: 1000, ms: 380 },
  "view.users.c1000": { n: 1000, ms: 460 },
  "delete.posts100k.norule": { n: 100, ms: 82 },
  "delete.users.cascade": { n: 100, ms: 14_900 },
  "delete.organizations.cascade": { n: 100, ms: 35_000 },
  "custom.route.js.c500": { n: 500, ms: 10_619 },
  "custom.route.ts.c500": { n: 500, ms: 9352 },
  "custom.route.js.c50": { n: 500, ms: 6179 },
  "custom.route.ts.c50": { n: 500, ms: 6506 },
  "custom.route.js.c1": { n: 500, ms: 9861 },
  "custom.route.ts.c1": { n: 500, ms: 9941 },
  "custom.hook.js": { n: 100, ms: 225 },
  "custom.hook.ts": { n: 100, ms: 72 },
  ...perCollection("simpleA", 1000, [3140, 5090, 8010, 13_300]),
  ...perCollection("simpleB", 1000, [1480, 2350, 3970, 6870]),
  ...perCollection("simpleC", 1000, [760, 850, 840, 890]),
  ...perCollection("mixed", 1000, [1920, 2700, 4420, 7880]),
  ...perCollection("expandAuthor", 100, [220, 300, 440, 740]),
  ...perCollection("expandAuthorPerms", 100, [320, 360, 490, 820]),
  ...perCollection("ruleAuth", 100, [140, 210, 370, 630]),
  ...perCollection("ruleAuthor", 100, [680, 1330, 2170, 4430]),
  ...perCollection("ruleAuthorIdx", 100, [130, 280, 350, 350]),
  ...perCollection("ruleAuthorIdxSkip", 100, [84, 83, 93, 87]),
  ...perCollection("like", 100, [480, 1160, 2250, 4880]),
  ...perCollection("likeIdxSkip", 100, [110, 140, 210, 240]),
  ...perCollection("eachAll", 100, [3720, 10_300, 22_800, 51_100]),
  ...perCollection("nestedSingle", 100, [2520, 6070, 12_600, 24_300]),
  ...perCollection("nestedMultiAll", 100, [19_200, 49_300, 102_000, 209_000]),
  ...perCollection("nestedMultiAllSkip", 100, [380, 540, 700, 770]),
};

/** PocketBun (Bun port of PocketBase), 2 dedicated vCPU, 2 workers, external client. */
export const POCKETBUN_2VCPU: { [scenarioId: string]: Published } = {
  "create.posts100k.norule": { n: 50_000, ms: 7480 },
  "create.posts100k.rule": { n: 50_000, ms: 10_600 },
  "create.users.norule": { n: 250, ms: 8190 },
  "auth.password.c10": { n: 250, ms: 8090 },
  "auth.refresh.c100": { n: 1000, ms: 125 },
  "view.users.c1000": { n: 1000, ms: 117 },
  "list.posts10k.simpleA": { n: 1000, ms: 840 },
  "list.posts100k.simpleA": { n: 1000, ms: 3610 },
  "list.posts100k.simpleB": { n: 1000, ms: 2420 },
  "list.posts100k.simpleC": { n: 1000, ms: 260 },
  "list.posts100k.mixed": { n: 1000, ms: 2460 },
  "list.posts100k.expandAuthor": { n: 100, ms: 330 },
  "list.posts100k.ruleAuthorIdx": { n: 100, ms: 56 },
  "list.posts100k.nestedMultiAny": { n: 100, ms: 92_000 },
  "delete.organizations.cascade": { n: 100, ms: 16_900 },
  "custom.route.js.c500": { n: 500, ms: 4210 },
  "custom.hook.js": { n: 100, ms: 53 },
};

function perCollection(key: string, n: number, ms: [number, number, number, number]): { [id: string]: Published } {
  const cols = ["posts10k", "posts25k", "posts50k", "posts100k"];
  return Object.fromEntries(cols.map((c, i) => [`list.${c}.${key}`, { n, ms: ms[i]! }]));
}

/** Requests per second of a published figure. */
export function publishedRate(p: Published | undefined): number | null {
  return p ? (p.n * 1000) / p.ms : null;
}
