import type { App } from "../app.ts";
import { Collection } from "../collections/collection.ts";
import type { FieldConfig } from "../collections/collection-types.ts";
import { autodateFields } from "../collections/auth-defaults.ts";

/**
 * PocketBase parity: the system migrations a fresh PocketBase v0.39 records in `_migrations`.
 * Satchel's init creates the same end state, so PocketBase can open a pb_data Satchel created.
 */
export const SYSTEM_MIGRATIONS: readonly string[] = [
  "1640988000_init.go",
  "1640988000_aux_init.go",
  "1717233556_v0.23_migrate.go",
  "1717233557_v0.23_migrate2.go",
  "1717233558_v0.23_migrate3.go",
  "1717233559_v0.23_migrate4.go",
  "1762785011_update_default_auth_alert_templates.go",
  "1763020353_update_default_auth_alert_templates.go",
  "1778828400_normalize_indexes.go",
];

const OWNER_RULE = "@request.auth.id != '' && recordRef = @request.auth.id && collectionRef = @request.auth.collectionId";

function text(id: string, name: string, extra: Partial<FieldConfig> = {}): FieldConfig {
  return { autogeneratePattern: "", hidden: false, id, max: 0, min: 0, name, pattern: "", presentable: false, primaryKey: false, required: true, system: true, type: "text", ...extra };
}

function refFields(): FieldConfig[] {
  return [text("text455797646", "collectionRef"), text("text127846527", "recordRef")];
}

/** Applies the system migrations that are not recorded yet (all of them on a new pb_data). */
export function runSystemMigrations(app: App): void {
  const db = app.db();
  db.exec("CREATE TABLE IF NOT EXISTS `_migrations` (file VARCHAR(255) PRIMARY KEY NOT NULL, applied INTEGER NOT NULL)");
  const applied = new Set(db.all<{ file: string }>("SELECT file FROM _migrations").map((r) => r.file));
  initAux(app);
  if (applied.has("1640988000_init.go") || db.hasTable("_collections")) {
    recordMissing(app, applied);
    return;
  }
  db.transaction(() => {
    db.exec(`CREATE TABLE \`_params\` (
      \`id\`      TEXT PRIMARY KEY DEFAULT ('r'||lower(hex(randomblob(7)))) NOT NULL,
      \`value\`   JSON DEFAULT NULL,
      \`created\` TEXT DEFAULT (strftime('%Y-%m-%d %H:%M:%fZ')) NOT NULL,
      \`updated\` TEXT DEFAULT (strftime('%Y-%m-%d %H:%M:%fZ')) NOT NULL
    )`);
    db.exec(`CREATE TABLE \`_collections\` (
      \`id\`         TEXT PRIMARY KEY DEFAULT ('r'||lower(hex(randomblob(7)))) NOT NULL,
      \`system\`     BOOLEAN DEFAULT FALSE NOT NULL,
      \`type\`       TEXT DEFAULT "base" NOT NULL,
      \`name\`       TEXT UNIQUE NOT NULL,
      \`fields\`     JSON DEFAULT "[]" NOT NULL,
      \`indexes\`    JSON DEFAULT "[]" NOT NULL,
      \`listRule\`   TEXT DEFAULT NULL,
      \`viewRule\`   TEXT DEFAULT NULL,
      \`createRule\` TEXT DEFAULT NULL,
      \`updateRule\` TEXT DEFAULT NULL,
      \`deleteRule\` TEXT DEFAULT NULL,
      \`options\`    JSON DEFAULT "{}" NOT NULL,
      \`created\`    TEXT DEFAULT (strftime('%Y-%m-%d %H:%M:%fZ')) NOT NULL,
      \`updated\`    TEXT DEFAULT (strftime('%Y-%m-%d %H:%M:%fZ')) NOT NULL
    )`);
    db.exec("CREATE INDEX IF NOT EXISTS idx__collections_type on `_collections` (`type`)");
    app.reloadCollections();
    for (const c of systemCollections()) app.save(c);
    recordMissing(app, applied);
  });
}

function initAux(app: App): void {
  const aux = app.auxDb();
  aux.exec(`CREATE TABLE IF NOT EXISTS \`_logs\` (
    \`id\`      TEXT PRIMARY KEY DEFAULT ('r'||lower(hex(randomblob(7)))) NOT NULL,
    \`level\`   INTEGER DEFAULT 0 NOT NULL,
    \`message\` TEXT DEFAULT "" NOT NULL,
    \`data\`    JSON DEFAULT "{}" NOT NULL,
    \`created\` TEXT DEFAULT (strftime('%Y-%m-%d %H:%M:%fZ')) NOT NULL
  )`);
  aux.exec("CREATE INDEX IF NOT EXISTS idx_logs_level on `_logs` (`level`)");
  aux.exec("CREATE INDEX IF NOT EXISTS idx_logs_message on `_logs` (`message`)");
  aux.exec("CREATE INDEX IF NOT EXISTS idx_logs_created_hour on `_logs` (strftime('%Y-%m-%d %H:00:00', `created`))");
}

function recordMissing(app: App, applied: Set<string>): void {
  const now = Date.now() * 1000;
  for (const file of SYSTEM_MIGRATIONS) {
    if (!applied.has(file)) app.db().run("INSERT OR IGNORE INTO _migrations (file, applied) VALUES (?, ?)", [file, now]);
  }
}

/** The system collections of a new pb_data, with PocketBase's ids, fields, rules and indexes. */
function systemCollections(): Collection[] {
  const superusers = new Collection({ type: "auth", id: "pbc_3142635823", name: "_superusers", system: true });
  superusers.fields.push(...autodateFields(true));
  superusers.authToken!.duration = 86400;

  const users = new Collection({
    type: "auth", id: "_pb_users_auth_", name: "users",
    listRule: "id = @request.auth.id", viewRule: "id = @request.auth.id", createRule: "",
    updateRule: "id = @request.auth.id", deleteRule: "id = @request.auth.id",
  });
  users.fields.push(
    { autogeneratePattern: "", hidden: false, id: "text1579384326", max: 255, min: 0, name: "name", pattern: "", presentable: false, primaryKey: false, required: false, system: false, type: "text" },
    { hidden: false, id: "file376926767", maxSelect: 1, maxSize: 0, mimeTypes: ["image/jpeg", "image/png", "image/svg+xml", "image/gif", "image/webp"], name: "avatar", presentable: false, protected: false, required: false, system: false, thumbs: null, type: "file" },
    ...autodateFields(false),
  );
  users.oauth2!.mappedFields = { id: "", name: "name", username: "", avatarURL: "avatar" };

  const mfas = new Collection({ type: "base", id: "pbc_2279338944", name: "_mfas", system: true, listRule: OWNER_RULE, viewRule: OWNER_RULE });
  mfas.fields.push(...refFields(), text("text1582905952", "method"), ...autodateFields(true));
  mfas.addIndex("idx_mfas_collectionRef_recordRef", false, "`collectionRef`, `recordRef`");

  const otps = new Collection({ type: "base", id: "pbc_1638494021", name: "_otps", system: true, listRule: OWNER_RULE, viewRule: OWNER_RULE });
  otps.fields.push(
    ...refFields(),
    { cost: 8, hidden: true, id: "password901924565", max: 0, min: 0, name: "password", pattern: "", presentable: false, required: true, system: true, type: "password" },
    text("text3866985172", "sentTo", { hidden: true, required: false }),
    ...autodateFields(true),
  );
  otps.addIndex("idx_otps_collectionRef_recordRef", false, "`collectionRef`, `recordRef`");

  const externalAuths = new Collection({ type: "base", id: "pbc_2281828961", name: "_externalAuths", system: true, listRule: OWNER_RULE, viewRule: OWNER_RULE, deleteRule: OWNER_RULE });
  externalAuths.fields.push(...refFields(), text("text2462348188", "provider"), text("text1044722854", "providerId"), ...autodateFields(true));
  externalAuths.addIndex("idx_externalAuths_record_provider", true, "`collectionRef`, `recordRef`, `provider`");
  externalAuths.addIndex("idx_externalAuths_collection_provider", true, "`collectionRef`, `provider`, `providerId`");

  const authOrigins = new Collection({ type: "base", id: "pbc_4275539003", name: "_authOrigins", system: true, listRule: OWNER_RULE, viewRule: OWNER_RULE, deleteRule: OWNER_RULE });
  authOrigins.fields.push(...refFields(), text("text4228609354", "fingerprint"), ...autodateFields(true));
  authOrigins.addIndex("idx_authOrigins_unique_pairs", true, "`collectionRef`, `recordRef`, `fingerprint`");

  return [superusers, users, mfas, otps, externalAuths, authOrigins];
}
