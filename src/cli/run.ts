import { runServe } from "./serve.ts";
import { runSuperuser } from "./superuser.ts";
import { runMigrate } from "./migrate.ts";
import { UsageError } from "./args.ts";
import { GLOBAL_FLAGS } from "./global-flags.ts";
import { VERSION } from "./version.ts";

/** Help text of the bare command. */
export const HELP = `Satchel CLI

Usage:
  satchel [command]

Available Commands:
  serve       Starts the web server (default to 127.0.0.1:8090 if no domain is specified)
  superuser   Manage superusers
  migrate     Executes app DB migration scripts

Flags:
  -h, --help      help for satchel
  -v, --version   version for satchel

Use "satchel [command] --help" for more information about a command.
`;

/** One line, whatever the error: the CLI never prints a stack trace. */
function oneLine(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return msg.trim().replace(/\s*\n\s*/g, " ") || (err instanceof Error ? err.name : "unknown error");
}

/**
 * Dispatches a command line; returns the exit code. Every failure — a bad flag or value, an
 * unknown command, a failed bootstrap — prints `Error: <message>` to stderr and returns 1.
 */
export async function runCli(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  try {
    switch (cmd) {
      case undefined:
      case "help":
      case "--help":
      case "-h":
        console.log(HELP);
        return 0;
      case "--version":
      case "-v":
      case "version":
        console.log(`satchel version ${VERSION}`);
        return 0;
      case "serve":
        return await runServe(rest);
      case "superuser":
      case "admin":
        return await runSuperuser(rest);
      case "migrate":
        return await runMigrate(rest);
      default:
        if (cmd.startsWith("-")) {
          const name = cmd.replace(/^--?/, "").split("=")[0];
          if (GLOBAL_FLAGS.some((f) => f.name === name)) throw new UsageError(`flags go after the command, e.g. satchel serve ${cmd}`);
          throw new UsageError(`unknown flag: --${name}; run 'satchel --help' for usage`);
        }
        throw new UsageError(`unknown command "${cmd}" for "satchel"; run 'satchel --help' for usage`);
    }
  } catch (err) {
    console.error(`Error: ${oneLine(err)}`);
    return 1;
  }
}
