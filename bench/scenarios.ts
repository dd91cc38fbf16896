/**
 * The scenarios of PocketBase's benchmark suite (reference/pocketbase-benchmarks.md §1.1), as
 * jobs for the client process. Each scenario sets the collection up through the API (rules,
 * indexes), then hands the client its requests.
 *
 * Order: view → auth → list → custom → create → delete. Upstream runs create first (its create
 * phase builds the data set); we seed the data set beforehand, so the lists and the custom route
 * run on exactly 10k/25k/… rows and the creates come after them.
 */
import type { RequestSpec } from "./load.ts";
import type { SuiteApi } from "./suite-api.ts";
import { LOREM, PASSWORD } from "./schema.ts";
import { pick } from "./seed.ts";
import { seededRandom } from "../src/tools/seeded-random.ts";
import { CUSTOM_VARIANTS, type CustomVariant } from "./hook-files.ts";

/** What the bare baseline answers the same way, for the Satchel/bare ratio. */
export type BareKind = "view" | "list" | "create";

/** One scenario. */
export interface Scenario {
  /** Stable key, e.g. `list.posts10k.simpleC` (used for medians and published figures). */
  id: string;
  group: "view" | "auth" | "list" | "custom" | "create" | "delete";
  /** Upstream's heading, with our request count and concurrency. */
  title: string;
  iterations: number;
  concurrency: number;
  /** Applies the collection setup and builds the requests (not timed). */
  prepare(api: SuiteApi): Promise<Prepared>;
  /** Set on the scenarios the bare baseline repeats. */
  bare?: BareKind;
}

/** What a scenario's setup hands the harness. */
export interface Prepared {
  requests: RequestSpec[];
  /** Requests fired alongside the measured ones and not counted (the "mixed" list). */
  background?: RequestSpec[];
  /**
   * Runs after the measured requests, whatever their outcome (not timed): undoes the setup and
   * checks what the requests should have done; throwing marks the scenario failed.
   */
  finish?: () => Promise<void>;
}

/** Which scenarios, how many requests. */
export interface SuiteProfile {
  /** The posts collections used (quick: posts10k only). */
  posts: string[];
  /** Scales the request counts (quick mode), keeping concurrency. */
  quick: boolean;
}

const json = (token?: string): { [k: string]: string } => (token ? { "content-type": "application/json", authorization: token } : { "content-type": "application/json" });

/** One list scenario's upstream parameters. */
interface ListCase {
  key: string;
  comment: string;
  n: number;
  conc: number;
  query: string;
  rule?: string;
  index?: string;
  mixed?: boolean;
}

function listCases(col: string): ListCase[] {
  const idxAuthor = `CREATE INDEX author_idx ON ${col} (author)`;
  const idxDesc = `CREATE INDEX descriptions_idx ON ${col} (description)`;
  const q20 = "?perPage=20";
  const skip = "?perPage=20&skipTotal=1";
  return [
    { key: "simpleA", comment: "simpleA (many requests, no rules, no concurrency)", n: 1000, conc: 1, query: q20 },
    { key: "simpleB", comment: "simpleB (many requests, no rules, high concurrency)", n: 1000, conc: 1000, query: q20 },
    { key: "simpleC", comment: "simpleC (many requests, no rules, high concurrency, skipTotal)", n: 1000, conc: 1000, query: skip },
    { key: "mixed", comment: "mixed read and write (simpleB list with 300 concurrent updates in the background)", n: 1000, conc: 1000, query: q20, mixed: true },
    { key: "expandAuthor", comment: "expand author", n: 100, conc: 10, query: `${q20}&expand=author` },
    { key: "expandAuthorFields", comment: "expand author (limited fields)", n: 100, conc: 10, query: `${q20}&expand=author&fields=id,collectionId,expand.author.id` },
    { key: "expandAuthorPerms", comment: "expand author.permissions", n: 100, conc: 10, query: `${q20}&expand=author.permissions` },
    { key: "expandAuthorPermsFields", comment: "expand author.permissions (limited fields)", n: 100, conc: 10, query: `${q20}&expand=author.permissions&fields=id,collectionId,expand.author.id,expand.author.expand.permissions.id` },
    { key: "ruleAuth", comment: "simple auth rule", n: 100, conc: 10, query: q20, rule: "@request.auth.id != ''" },
    { key: "ruleAuthor", comment: "author check (no index)", n: 100, conc: 10, query: q20, rule: "author = @request.auth.id" },
    { key: "ruleAuthorIdx", comment: "author check (with index)", n: 100, conc: 10, query: q20, rule: "author = @request.auth.id", index: idxAuthor },
    { key: "ruleAuthorIdxSkip", comment: "author check (with index and skipTotal)", n: 100, conc: 10, query: skip, rule: "author = @request.auth.id", index: idxAuthor },
    { key: "ruleAuthorJoin", comment: "author.id (extra join) check (no index)", n: 100, conc: 10, query: q20, rule: "author.id = @request.auth.id" },
    { key: "ruleAuthorJoinIdx", comment: "author.id (extra join) check (with index)", n: 100, conc: 10, query: q20, rule: "author.id = @request.auth.id", index: idxAuthor },
    { key: "ruleAuthorJoinIdxSkip", comment: "author.id (extra join) check (with index and skipTotal)", n: 100, conc: 10, query: skip, rule: "author.id = @request.auth.id", index: idxAuthor },
    { key: "like", comment: "loose large text search (no index)", n: 100, conc: 10, query: q20, rule: "description ~ 'ipsum dolor'" },
    { key: "likeIdx", comment: "loose large text search (with index)", n: 100, conc: 10, query: q20, rule: "description ~ 'ipsum dolor'", index: idxDesc },
    { key: "likeIdxSkip", comment: "loose large text search (with index and skipTotal)", n: 100, conc: 10, query: skip, rule: "description ~ 'ipsum dolor'", index: idxDesc },
    { key: "eachAll", comment: "multiple select :each (no index, match-all)", n: 100, conc: 10, query: q20, rule: "type:each != 'c'" },
    { key: "eachAllSkip", comment: "multiple select :each (no index, match-all, skipTotal)", n: 100, conc: 10, query: skip, rule: "type:each != 'c'" },
    { key: "eachAny", comment: "multiple select :each (no index, at-least-one)", n: 100, conc: 10, query: q20, rule: "type:each ?!= 'c'" },
    { key: "eachAnySkip", comment: "multiple select :each (no index, at-least-one, skipTotal)", n: 100, conc: 10, query: skip, rule: "type:each ?!= 'c'" },
    { key: "nestedSingle", comment: "nested single relations lookup (no indexes)", n: 100, conc: 10, query: q20, rule: "author.organization.name != 'test'" },
    { key: "nestedSingleSkip", comment: "nested single relations lookup (no indexes, skipTotal)", n: 100, conc: 10, query: skip, rule: "author.organization.name != 'test'" },
    { key: "nestedMultiAll", comment: "nested multiple relations lookup (no indexes, match-all)", n: 100, conc: 10, query: q20, rule: "author.permissions.active = true" },
    { key: "nestedMultiAllSkip", comment: "nested multiple relations lookup (no indexes, match-all, skipTotal)", n: 100, conc: 10, query: skip, rule: "author.permissions.active = true" },
    { key: "nestedMultiAny", comment: "nested multiple relations lookup (no indexes, at-least-one)", n: 100, conc: 10, query: q20, rule: "author.permissions.active ?= true" },
    { key: "nestedMultiAnySkip", comment: "nested multiple relations lookup (no indexes, at-least-one, skipTotal)", n: 100, conc: 10, query: skip, rule: "author.permissions.active ?= true" },
  ];
}

/** Builds the scenario list of a profile. */
export function buildScenarios(profile: SuiteProfile): Scenario[] {
  const q = (full: number, quick: number): number => (profile.quick ? quick : full);
  const rnd = seededRandom(7);
  const out: Scenario[] = [];

  // --- view and auth --------------------------------------------------------------------------
  for (const conc of [1000, 100]) {
    out.push({
      id: `view.users.c${conc}`,
      group: "view",
      title: `users - getOne (${conc === 1000 ? "high" : "medium"} concurrency)`,
      iterations: 1000,
      concurrency: conc,
      bare: conc === 100 ? "view" : undefined,
      prepare: async (api) => ({ requests: [{ method: "GET", url: `${api.url}/api/collections/users/records/${api.userId}`, headers: json(api.userToken) }] }),
    });
  }
  for (const conc of [1000, 100]) {
    out.push({
      id: `auth.refresh.c${conc}`,
      group: "auth",
      title: `users - auth refresh (${conc === 1000 ? "high" : "medium"} concurrency)`,
      iterations: 1000,
      concurrency: conc,
      prepare: async (api) => ({ requests: [{ method: "POST", url: `${api.url}/api/collections/users/auth-refresh`, headers: json(api.userToken) }] }),
    });
  }
  for (const [n, conc] of [[q(250, 50), q(250, 50)], [q(250, 50), 10]] as const) {
    out.push({
      id: `auth.password.c${conc === 10 ? 10 : "high"}`,
      group: "auth",
      title: `users auth with email/pass - ${conc === 10 ? "small" : "high"} concurrency`,
      iterations: n,
      concurrency: conc,
      prepare: async (api) => ({
        requests: [{ method: "POST", url: `${api.url}/api/collections/users/auth-with-password`, headers: json(), body: JSON.stringify({ identity: "users0@example.com", password: PASSWORD }) }],
      }),
    });
  }

  // --- lists ----------------------------------------------------------------------------------
  for (const col of profile.posts) {
    for (const c of listCases(col)) {
      out.push({
        id: `list.${col}.${c.key}`,
        group: "list",
        title: `${col} - ${c.comment} [rule: \`${c.rule ?? ""}\`, query: \`${c.query}\`]`,
        iterations: c.n,
        concurrency: c.conc,
        bare: col === "posts10k" && c.key === "simpleC" ? "list" : undefined,
        prepare: async (api) => {
          await api.patchCollection(col, { listRule: c.rule ?? "", indexes: c.index ? [c.index] : [] });
          const requests = [{ method: "GET", url: `${api.url}/api/collections/${col}/records${c.query}`, headers: json(api.userToken) }];
          if (!c.mixed) return { requests };
          const ids = await api.randomIds(col, 300);
          const background = ids.map((id) => ({ method: "PATCH", url: `${api.url}/api/collections/${col}/records/${id}`, headers: json(api.userToken), body: JSON.stringify({ title: `update${id}` }) }));
          return { requests, background };
        },
      });
    }
  }

  out.push(...customScenarios());

  // --- create ---------------------------------------------------------------------------------
  const createCase = (col: string, n: number, conc: number, rule: string, withToken: boolean, body: (i: number, api: SuiteApi, ids: { [k: string]: string[] }) => object, pools: string[] = [], bare?: BareKind): Scenario => ({
    id: `create.${col}.${rule ? "rule" : "norule"}`,
    group: "create",
    title: `Creating ${n} ${col} [conc: ${conc}, rule: \`${rule}\`]`,
    iterations: n,
    concurrency: conc,
    bare,
    prepare: async (api) => {
      await api.patchCollection(col, { createRule: rule });
      const total = await api.count(col);
      const ids: { [k: string]: string[] } = {};
      for (const p of pools) ids[p] = await api.randomIds(p, 999);
      const requests: RequestSpec[] = [];
      for (let i = 0; i < n; i++) {
        requests.push({ method: "POST", url: `${api.url}/api/collections/${col}/records`, headers: json(withToken ? api.userToken : undefined), body: JSON.stringify(body(i + total, api, ids)) });
      }
      return { requests };
    },
  });
  for (const rule of ["", "@request.body.name != ''"]) {
    out.push(createCase("organizations", 50, 10, rule, false, (i) => ({ name: `organizations${i}` })));
  }
  for (const rule of ["", "@request.body.name != ''"]) {
    out.push(createCase("permissions", 25, 5, rule, false, (i) => ({ name: `permissions${i}`, active: i % 2 === 0 })));
  }
  for (const rule of ["", "@request.body.email != '' && @request.body.permissions:length > 0"]) {
    out.push(
      createCase("users", q(250, 40), q(50, 20), rule, false, (i, _api, ids) => ({
        email: `users${i}@example.com`,
        username: `users${i}`,
        name: `users${i}`,
        organization: pick(ids.organizations!, rnd),
        permissions: [pick(ids.permissions!, rnd), pick(ids.permissions!, rnd), pick(ids.permissions!, rnd)],
        password: PASSWORD,
        passwordConfirm: PASSWORD,
      }), ["organizations", "permissions"]),
    );
  }
  const createSizes: { [col: string]: number } = { posts10k: 5000, posts25k: 12_500, posts50k: 25_000, posts100k: 50_000 };
  const types = ["a", "b", "c", "d"];
  for (const col of profile.posts) {
    for (const rule of ["", "@request.auth.id != '' && @request.body.public:isset = true"]) {
      out.push(
        createCase(col, q(createSizes[col] ?? 5000, 2000), 500, rule, rule !== "", (i, _api, ids) => ({
          title: `${col}${i}`,
          description: LOREM,
          public: i % 2 !== 0,
          type: [pick(types, rnd), pick(types, rnd)],
          author: pick(ids.users!, rnd),
        }), ["users"], col === "posts10k" && rule === "" ? "create" : undefined),
      );
    }
  }

  // --- delete ---------------------------------------------------------------------------------
  const deleteCase = (col: string, n: number, rule: string, comment: string): Scenario => ({
    id: `delete.${col}${col.startsWith("posts") ? (rule ? ".rule" : ".norule") : ".cascade"}`,
    group: "delete",
    title: `deleting ${n} ${col} - ${comment} [conc: 10, rule: \`${rule}\`]`,
    iterations: n,
    concurrency: 10,
    prepare: async (api) => {
      await api.patchCollection(col, { deleteRule: rule });
      const ids = await api.randomIds(col, n);
      return { requests: ids.map((id) => ({ method: "DELETE", url: `${api.url}/api/collections/${col}/records/${id}`, headers: json(api.userToken) })) };
    },
  });
  for (const col of profile.posts) {
    out.push(deleteCase(col, 100, "", "simple (no cascade, no rule)"));
    out.push(deleteCase(col, 100, "@request.auth.id != ''", "simple (no cascade, with rule)"));
  }
  out.push(deleteCase("users", q(100, 20), "", "with cascade deleting all associated posts"));
  out.push(deleteCase("organizations", q(100, 10), "", "with cascade deleting all users and associated posts"));
  return out;
}

/**
 * Upstream's custom-code scenarios, for the JS hooks file and its TypeScript counterpart
 * (bench/hooks/): the route (500 requests at concurrency 500, 50 and 1, JS and TS interleaved as
 * upstream interleaves JS and Go), then the update hook (100 PATCHes at concurrency 10), all as
 * the superuser, as upstream sends them. The same counts in quick mode: they take seconds.
 */
function customScenarios(): Scenario[] {
  const out: Scenario[] = [];
  const level = { 500: "high", 50: "medium", 1: "no" } as const;
  for (const conc of [500, 50, 1] as const) {
    for (const v of CUSTOM_VARIANTS) {
      out.push({
        id: `custom.route.${v.key}.c${conc}`,
        group: "custom",
        title: `${v.key.toUpperCase()} route (${level[conc]} concurrency)${v.upstream !== "JS" ? ` [upstream: ${v.upstream} route]` : ""}`,
        iterations: 500,
        concurrency: conc,
        prepare: async (api) => ({ requests: [{ method: "GET", url: `${api.url}${v.route}`, headers: json(api.superToken) }] }),
      });
    }
  }
  for (const v of CUSTOM_VARIANTS) out.push(hookScenario(v));
  return out;
}

/**
 * PATCHes with the variant's `onRecordUpdateRequest` hook: posts10k is renamed to the hook's
 * collection for the duration (upstream's way to have the hook fire only here), and renamed back
 * after it, when one PATCHed record must carry the title the hook wrote.
 */
function hookScenario(v: CustomVariant): Scenario {
  const n = 100;
  return {
    id: `custom.hook.${v.key}`,
    group: "custom",
    title: `${v.key.toUpperCase()} onRecordUpdateRequest hook handler${v.upstream !== "JS" ? ` [upstream: ${v.upstream} hook]` : ""}`,
    iterations: n,
    concurrency: 10,
    prepare: async (api) => {
      await api.patchCollection("posts10k", { name: v.hookCollection });
      const renameBack = () => api.patchCollection(v.hookCollection, { name: "posts10k" });
      let ids: string[];
      try {
        ids = await api.randomIds(v.hookCollection, n);
        if (ids.length === 0) throw new Error(`no ${v.hookCollection} records to update`);
      } catch (err) {
        await renameBack();
        throw err;
      }
      const requests = ids.map((id) => ({ method: "PATCH", url: `${api.url}/api/collections/${v.hookCollection}/records/${id}`, headers: json(api.superToken), body: JSON.stringify({ title: "hook_update" }) }));
      const finish = async (): Promise<void> => {
        try {
          const title = (await api.record(v.hookCollection, ids[0]!)).title;
          if (title !== v.hookTitle) throw new Error(`the ${v.file} hook did not run: title is ${JSON.stringify(title)}, expected "${v.hookTitle}"`);
        } finally {
          await renameBack();
        }
      };
      return { requests, finish };
    },
  };
}

/**
 * Undoes what a group's scenarios changed (upstream's `resetSchema` after each phase): list rules
 * and the scenario indexes of the posts collections, create and delete rules back to "".
 */
export async function resetAfterGroup(api: SuiteApi, group: Scenario["group"], profile: SuiteProfile): Promise<void> {
  if (group === "list") for (const col of profile.posts) await api.patchCollection(col, { listRule: "", indexes: [] });
  if (group === "create") for (const col of ["organizations", "permissions", "users", ...profile.posts]) await api.patchCollection(col, { createRule: "" });
  if (group === "delete") for (const col of ["organizations", "users", ...profile.posts]) await api.patchCollection(col, { deleteRule: "" });
}
