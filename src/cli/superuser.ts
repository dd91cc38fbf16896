import { isIP } from "node:net";
import { App } from "../core/app.ts";
import { Record } from "../core/records/record.ts";
import { ValidationError } from "../core/api-error.ts";
import { parseArgs, formatFlags, UsageError } from "./args.ts";
import { GLOBAL_FLAGS, bootstrapApp, resolveGlobalOptions } from "./global-flags.ts";
import { randomString } from "../tools/security.ts";

/** Help text of `superuser`. */
export const SUPERUSER_HELP = `Manage superusers

Usage:
  satchel superuser create EMAIL PASS     Creates a new superuser
  satchel superuser upsert EMAIL PASS     Creates, or updates the password of an existing superuser
  satchel superuser update EMAIL PASS     Changes the password of a superuser
  satchel superuser delete EMAIL          Deletes a superuser
  satchel superuser otp EMAIL             Creates a one-time password (OTP auth must be enabled)
  satchel superuser ips [IP|CIDR ...]     Sets (or, without arguments, clears) the IPs superusers may come from

Flags:
${formatFlags(GLOBAL_FLAGS)}
  -h, --help
        help for superuser
`;

const ACTIONS = ["create", "upsert", "update", "delete", "otp", "ips"] as const;
type Action = (typeof ACTIONS)[number];

/** The positional arguments each action takes (after the action itself). */
const ARITY: { [A in Action]: string[] | null } = {
  create: ["EMAIL", "PASS"],
  upsert: ["EMAIL", "PASS"],
  update: ["EMAIL", "PASS"],
  delete: ["EMAIL"],
  otp: ["EMAIL"],
  ips: null,
};

function describe(err: unknown): string {
  if (err instanceof ValidationError) {
    return Object.entries(err.errors)
      .map(([k, v]) => `${k}: ${"message" in v ? String(v.message) : JSON.stringify(v)}`)
      .join("; ");
  }
  return err instanceof Error ? err.message : String(err);
}

/** True for an IPv4/IPv6 address or a CIDR range such as `10.0.0.0/8`. */
function isIPOrCIDR(s: string): boolean {
  const slash = s.indexOf("/");
  if (slash < 0) return isIP(s) !== 0;
  const version = isIP(s.slice(0, slash));
  const bits = s.slice(slash + 1);
  if (version === 0 || !/^\d{1,3}$/.test(bits)) return false;
  return Number(bits) <= (version === 4 ? 32 : 128);
}

/** Checks the action and its arguments before any database is opened. */
function checkArgs(positional: string[]): { action: Action; args: string[] } {
  const [name, ...args] = positional;
  const action = ACTIONS.find((a) => a === name);
  if (!action) throw new UsageError(`unknown superuser command "${name ?? ""}" (expected ${ACTIONS.join(", ")})`);
  const arity = ARITY[action];
  if (arity) {
    const usage = `usage: satchel superuser ${action} ${arity.join(" ")}`;
    const missing = arity.filter((_, i) => !args[i]);
    if (missing.length) throw new UsageError(`missing ${missing.join(" and ")} argument${missing.length > 1 ? "s" : ""}; ${usage}`);
    if (args.length > arity.length) throw new UsageError(`too many arguments; ${usage}`);
  } else {
    const bad = args.find((a) => !isIPOrCIDR(a));
    if (bad !== undefined) throw new UsageError(`invalid IP address or CIDR range "${bad}"`);
  }
  return { action, args };
}

/** Runs `superuser …`; returns the exit code. */
export async function runSuperuser(argv: string[]): Promise<number> {
  if (argv.length === 0 || argv.includes("--help") || argv.includes("-h")) {
    console.log(SUPERUSER_HELP);
    return 0;
  }
  const { flags, positional } = parseArgs(argv, GLOBAL_FLAGS);
  const { action, args } = checkArgs(positional);
  const opts = resolveGlobalOptions(flags);
  const app = new App({ dataDir: opts.dataDir, isDev: opts.dev, encryptionEnv: opts.encryptionEnv, queryTimeout: opts.queryTimeout });
  bootstrapApp(app, opts);
  try {
    console.log(execute(app, action, args));
    return 0;
  } catch (err) {
    console.error(`Error: ${describe(err)}`);
    return 1;
  } finally {
    app.terminate();
  }
}

/** Performs one action; returns the success message, throws with a user-facing message. */
function execute(app: App, action: Action, args: string[]): string {
  const c = app.findCollectionByNameOrId("_superusers");
  if (action === "ips") {
    const s = structuredClone(app.settings());
    s.superuserIPs = args;
    app.saveSettings(s);
    return args.length ? `Successfully restricted superusers to: ${args.join(", ")}` : "Successfully cleared the superuser IPs restriction; superusers may connect from anywhere.";
  }
  const [email, password] = args as [string, string | undefined];
  let existing: Record | null;
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
      if (action === "create") return `Successfully created new superuser "${email}"!`;
      return action === "update" ? `Successfully changed superuser "${email}" password!` : `Successfully saved superuser "${email}"!`;
    }
    case "delete": {
      // PocketBase parity: a missing superuser is only a warning
      if (!existing) return `Superuser "${email}" is missing or already deleted.`;
      app.delete(existing);
      return `Successfully deleted superuser "${email}"!`;
    }
    case "otp": {
      if (!existing) throw new Error(`superuser with email "${email}" doesn't exist`);
      if (!c.otp?.enabled) throw new Error("OTP auth is not enabled for the _superusers collection (enable it in the collection's options first)");
      const pass = randomString(c.otp.length || 8, "0123456789");
      const otp = new Record(app.findCollectionByNameOrId("_otps"));
      otp.set("collectionRef", c.id);
      otp.set("recordRef", existing.id);
      otp.set("password", pass);
      app.save(otp);
      return `Successfully created OTP for superuser "${email}":\n├─ Id:    ${otp.id}\n├─ Pass:  ${pass}\n└─ Valid: ${c.otp.duration}s`;
    }
  }
  throw new UsageError(`unknown superuser command "${action}"`);
}
