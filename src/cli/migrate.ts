import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { App } from "../core/app.ts";
import { parseArgs, formatFlags, UsageError } from "./args.ts";
import { GLOBAL_FLAGS, bootstrapApp, resolveGlobalOptions, type GlobalOptions } from "./global-flags.ts";
import { loadJsvm } from "./jsvm-setup.ts";
import { snakecase } from "../tools/inflector.ts";
import { historySync, lastApplied, migrateDown } from "../jsvm/migrations.ts";
import { blankMigrationTemplate, collectionsSnapshotTemplate } from "../jsvm/migration-templates.ts";

/** Help text of `migrate` (PocketBase's wording). */
export const MIGRATE_HELP = `Executes app DB migration scripts

Supported arguments are:
- up                   - runs all available migrations
- down [number]        - reverts the last [number] applied migrations
- create name          - creates new blank migration template file
- collections          - creates new migration file with snapshot of the local collections configuration
- history-sync         - ensures that the _migrations history table doesn't have references to deleted migration files

Usage:
  satchel migrate [up | down [number] | create name | collections | history-sync] [flags]

Flags:
${formatFlags(GLOBAL_FLAGS)}
  -h, --help
        help for migrate
`;

/**
 * Asks a yes/no question on stdout and reads the answer from stdin (default no; a closed stdin
 * is a no). PocketBase parity: `migrate down`, `create` and `collections` ask first.
 */
async function confirm(question: string): Promise<boolean> {
  process.stdout.write(`${question} (y/N) `);
  for await (const line of console) {
    const a = String(line).trim().toLowerCase();
    return a === "y" || a === "yes";
  }
  return false;
}

async function withApp<T>(opts: GlobalOptions, fn: (app: App, jsvm: Awaited<ReturnType<typeof loadJsvm>>) => T | Promise<T>): Promise<T> {
  const app = new App({ dataDir: opts.dataDir, isDev: opts.dev, encryptionEnv: opts.encryptionEnv, queryTimeout: opts.queryTimeout });
  const jsvm = await loadJsvm(app, opts);
  bootstrapApp(app, opts);
  try {
    return await fn(app, jsvm);
  } finally {
    app.terminate();
  }
}

async function createFile(opts: GlobalOptions, name: string, content: () => string): Promise<number> {
  const file = join(opts.migrationsDir, `${Math.floor(Date.now() / 1000)}_${snakecase(name)}.js`);
  if (!(await confirm(`Do you really want to create migration "${file}"?`))) {
    console.log("The command has been cancelled");
    return 0;
  }
  mkdirSync(opts.migrationsDir, { recursive: true });
  writeFileSync(file, content());
  console.log(`Successfully created file "${file}"`);
  return 0;
}

/** Runs `migrate [up | down [n] | create NAME | collections | history-sync]`; returns the exit code. */
export async function runMigrate(argv: string[]): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) {
    console.log(MIGRATE_HELP);
    return 0;
  }
  const { flags, positional } = parseArgs(argv, GLOBAL_FLAGS);
  const [cmd = "up", ...args] = positional;
  const opts = resolveGlobalOptions(flags);
  switch (cmd) {
    case "create": {
      const name = args[0] ?? "";
      if (!snakecase(name)) throw new UsageError("Missing migration file name");
      return createFile(opts, name, blankMigrationTemplate);
    }
    case "collections": {
      const snapshot = await withApp(opts, (app) => collectionsSnapshotTemplate(app.findAllCollections()));
      return createFile(opts, "collections_snapshot", () => snapshot);
    }
    case "up":
      return withApp(opts, (_app, jsvm) => {
        const applied = jsvm.migrateUp();
        if (applied.length === 0) console.log("No new migrations to apply.");
        for (const f of applied) console.log(`Applied ${f}`);
        return 0;
      });
    case "down": {
      const raw = args[0] ?? "1";
      const n = Number(raw);
      if (!Number.isInteger(n)) throw new UsageError(`invalid number of migrations to revert: "${raw}"`);
      return withApp(opts, async (app, jsvm) => {
        const names = lastApplied(app, jsvm.migrations, n);
        if (names.length === 0) {
          console.log("No migrations to revert.");
          return 0;
        }
        if (!(await confirm(`\n${names.join("\n")}\nDo you really want to revert the last ${names.length} applied migration(s)?`))) {
          console.log("The command has been cancelled");
          return 0;
        }
        for (const f of migrateDown(app, jsvm.migrations, n)) console.log(`Reverted ${f}`);
        return 0;
      });
    }
    case "history-sync":
      return withApp(opts, (app, jsvm) => {
        const removed = historySync(app, jsvm.migrations);
        console.log(`The _migrations table was synced with the available migrations (${removed} removed).`);
        return 0;
      });
    default:
      throw new UsageError(`Unsupported command: "${cmd}"`);
  }
}
