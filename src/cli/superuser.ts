import { App } from "../core/app.ts";
import { Record } from "../core/records/record.ts";
import { ValidationError, ApiError } from "../core/api-error.ts";
import { parseArgs, formatFlags, UsageError, type FlagSpec } from "./args.ts";
import { defaultDataDir } from "./paths.ts";
import { randomString } from "../tools/security.ts";

const FLAGS: FlagSpec[] = [
  { name: "dir", type: "string", description: "the PocketBase-compatible data directory", default: "" },
  { name: "encryptionEnv", type: "string", description: "the env variable holding the settings encryption key", default: "" },
  { name: "duration", type: "number", description: "otp: how long the one-time password is valid, in seconds", default: 0 },
];

/** Help text of `superuser`. */
export const SUPERUSER_HELP = `Manage superusers

Usage:
  satchel superuser create EMAIL PASS
  satchel superuser upsert EMAIL PASS
  satchel superuser update EMAIL PASS
  satchel superuser delete EMAIL
  satchel superuser otp EMAIL

Flags:
${formatFlags(FLAGS)}
`;

function describe(err: unknown): string {
  if (err instanceof ValidationError) {
    return Object.entries(err.errors)
      .map(([k, v]) => `${k}: ${"message" in v ? String(v.message) : JSON.stringify(v)}`)
      .join("; ");
  }
  return err instanceof Error ? err.message : String(err);
}

/** Runs `superuser …`; returns the exit code. */
export async function runSuperuser(argv: string[]): Promise<number> {
  if (argv.length === 0 || argv.includes("--help") || argv.includes("-h")) {
    console.log(SUPERUSER_HELP);
    return argv.length === 0 ? 1 : 0;
  }
  const { flags, positional } = parseArgs(argv, FLAGS);
  const [action, email, password] = positional;
  const needsPass = ["create", "upsert", "update"].includes(action ?? "");
  if (!["create", "upsert", "update", "delete", "otp"].includes(action ?? "")) throw new UsageError(`unknown superuser command "${action ?? ""}" (expected create, upsert, update, delete or otp)`);
  if (!email) throw new UsageError("missing EMAIL argument");
  if (needsPass && !password) throw new UsageError("missing PASS argument");
  const app = new App({ dataDir: String(flags.dir || defaultDataDir()), encryptionEnv: String(flags.encryptionEnv) });
  app.bootstrap();
  try {
    const c = app.findCollectionByNameOrId("_superusers");
    let existing: Record | null = null;
    try {
      existing = app.findAuthRecordByEmail(c, email);
    } catch {
      existing = null;
    }
    switch (action) {
      case "create":
      case "upsert":
      case "update": {
        if (action === "create" && existing) throw new Error(`superuser "${email}" already exists`);
        if (action === "update" && !existing) throw new Error(`superuser with email "${email}" doesn't exist`);
        const r = existing ?? new Record(c);
        r.setEmail(email);
        r.setPassword(password!);
        app.save(r);
        console.log(action === "create" ? `Successfully created new superuser "${email}"!` : `Successfully ${action === "update" ? "changed" : "saved"} superuser "${email}"${action === "update" ? " password" : ""}!`);
        return 0;
      }
      case "delete": {
        if (!existing) {
          console.log(`Superuser "${email}" is missing or already deleted.`);
          return 0;
        }
        app.delete(existing);
        console.log(`Successfully deleted superuser "${email}"!`);
        return 0;
      }
      default: {
        if (!existing) throw new Error(`superuser with email "${email}" doesn't exist`);
        const duration = Number(flags.duration) || c.otp?.duration || 180;
        const pass = randomString(8, "0123456789");
        const otp = new Record(app.findCollectionByNameOrId("_otps"));
        otp.set("collectionRef", c.id);
        otp.set("recordRef", existing.id);
        otp.set("password", pass);
        app.save(otp);
        console.log(`Successfully created OTP for superuser "${email}":\n├─ Id:    ${otp.id}\n├─ Pass:  ${pass}\n└─ Valid: ${duration}s`);
        return 0;
      }
    }
  } catch (err) {
    if (err instanceof UsageError) throw err;
    console.error(`Error: ${err instanceof ApiError ? err.message : describe(err)}`);
    return 1;
  } finally {
    app.terminate();
  }
}
