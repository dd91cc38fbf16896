/**
 * The collections of PocketBase's benchmark data set (reference/pocketbase-benchmarks.md §1.1):
 * organizations, permissions, users (auth, with an organization and permissions) and four posts
 * collections of the same shape. Collection and field ids are the suite's, so rules and
 * relations read the same as upstream.
 */

/** A collection as JSON (the import form). */
export type CollectionJson = { [k: string]: unknown };

/** The posts collections and their seeded sizes. */
export const POSTS_COLLECTIONS = [
  { name: "posts10k", id: "fzbkdgh2fr7ak3z", size: 10_000 },
  { name: "posts25k", id: "8tdh70gfoplhw4i", size: 25_000 },
  { name: "posts50k", id: "3wb14jxop88yw2j", size: 50_000 },
  { name: "posts100k", id: "n1ai0r1nhwpcup3", size: 100_000 },
] as const;

/** The collection ids of the non-posts collections. */
export const IDS = { organizations: "mfslsmb563utlfe", permissions: "mum324voxqe7tp4", users: "_pb_users_auth_" } as const;

/** The ≈470-character lorem ipsum every post carries as `description`. */
export const LOREM =
  "Lorem ipsum dolor sit amet, consectetur adipiscing elit. Donec sit amet sodales nisl, quis pretium nunc. " +
  "Suspendisse vel auctor velit, sed luctus lectus. Phasellus rhoncus imperdiet feugiat. Duis et laoreet felis, " +
  "ut facilisis enim. Quisque aliquet aliquam magna eget eleifend. Duis sed tellus nibh. Nunc ac lacus auctor, " +
  "scelerisque magna congue, euismod purus. Fusce sollicitudin pharetra egestas. Quisque pulvinar augue nec " +
  "aliquam placerat. Suspendisse dapibus ornare sodales.";

/** The password of every benchmark user and of the benchmark superuser. */
export const PASSWORD = "1234567890";
/** The benchmark superuser's email. */
export const SUPERUSER_EMAIL = "test@example.com";

const OPEN_RULES = { listRule: "", viewRule: "", createRule: "", updateRule: "", deleteRule: "" };

function text(id: string, name: string, extra: { [k: string]: unknown } = {}): CollectionJson {
  return { id, name, type: "text", autogeneratePattern: "", hidden: false, max: 0, min: 0, pattern: "", presentable: false, primaryKey: false, required: false, system: false, ...extra };
}

function bool(id: string, name: string): CollectionJson {
  return { id, name, type: "bool", hidden: false, presentable: false, required: false, system: false };
}

function relation(id: string, name: string, collectionId: string, maxSelect: number, required = false): CollectionJson {
  return { id, name, type: "relation", cascadeDelete: true, collectionId, hidden: false, maxSelect, minSelect: 0, presentable: false, required, system: false };
}

function autodates(): CollectionJson[] {
  return [
    { id: "autodate2990389176", name: "created", type: "autodate", onCreate: true, onUpdate: false, hidden: false, presentable: false, system: false },
    { id: "autodate3332085495", name: "updated", type: "autodate", onCreate: true, onUpdate: true, hidden: false, presentable: false, system: false },
  ];
}

const ID_FIELD = text("text3208210256", "id", { autogeneratePattern: "[a-z0-9]{15}", max: 15, min: 15, pattern: "^[a-z0-9]+$", primaryKey: true, required: true, system: true });

function postsCollection(id: string, name: string): CollectionJson {
  return {
    id,
    name,
    type: "base",
    ...OPEN_RULES,
    fields: [
      ID_FIELD,
      text(`t_${id.slice(0, 10)}`, "title"),
      { id: `d_${id.slice(0, 10)}`, name: "description", type: "editor", convertURLs: false, maxSize: 0, hidden: false, presentable: false, required: false, system: false },
      bool(`p_${id.slice(0, 10)}`, "public"),
      { id: `s_${id.slice(0, 10)}`, name: "type", type: "select", maxSelect: 3, values: ["a", "b", "c", "d"], hidden: false, presentable: false, required: false, system: false },
      relation(`a_${id.slice(0, 10)}`, "author", IDS.users, 1),
      ...autodates(),
    ],
    indexes: [],
  };
}

/**
 * The suite's collections as import JSON. `users` keeps its system auth fields (the import merges
 * them back) and gets the suite's `username`, `organization` and `permissions`.
 */
export function benchmarkCollections(): CollectionJson[] {
  return [
    { id: IDS.organizations, name: "organizations", type: "base", ...OPEN_RULES, fields: [ID_FIELD, text("59ivonnc", "name"), ...autodates()], indexes: [] },
    { id: IDS.permissions, name: "permissions", type: "base", ...OPEN_RULES, fields: [ID_FIELD, text("qualee2c", "name"), bool("svbmsok7", "active"), ...autodates()], indexes: [] },
    {
      id: IDS.users,
      name: "users",
      type: "auth",
      ...OPEN_RULES,
      authRule: "",
      manageRule: null,
      passwordAuth: { enabled: true, identityFields: ["email", "username"] },
      fields: [
        { id: "password901924565", name: "password", type: "password", cost: 10, hidden: true, max: 0, min: 8, pattern: "", presentable: false, required: true, system: true },
        text("text4166911607", "username", { autogeneratePattern: "users[0-9]{6}", max: 150, min: 3, pattern: "^[\\w][\\w\\.\\-]*$", required: true }),
        relation("dzrx3l87", "organization", IDS.organizations, 1, true),
        relation("8tmffoqz", "permissions", IDS.permissions, 2147483647),
        ...autodates(),
      ],
      indexes: [
        "CREATE UNIQUE INDEX `__pb_users_auth__username_idx` ON `users` (username COLLATE NOCASE)",
        "CREATE UNIQUE INDEX `__pb_users_auth__email_idx` ON `users` (`email`) WHERE `email` != ''",
        "CREATE UNIQUE INDEX `__pb_users_auth__tokenKey_idx` ON `users` (`tokenKey`)",
      ],
    },
    ...POSTS_COLLECTIONS.map((p) => postsCollection(p.id, p.name)),
  ];
}
