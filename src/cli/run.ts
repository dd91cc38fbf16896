import { runServe } from "./serve.ts";
import { runSuperuser } from "./superuser.ts";
import { UsageError } from "./args.ts";
import { VERSION } from "./version.ts";

const HELP = `Satchel CLI

Usage:
  satchel [command]

Available Commands:
  serve       Starts the web server (default to 127.0.0.1:8090)
  superuser   Manage superusers

Flags:
  -h, --help      help for satchel
  -v, --version   version for satchel

Use "satchel [command] --help" for more information about a command.
`;

/** Dispatches a command line; returns the exit code. Usage errors print a message, not a trace. */
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
      default:
        throw new UsageError(`unknown command "${cmd}" for "satchel"\nRun 'satchel --help' for usage.`);
    }
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`Error: ${err.message}`);
      return 1;
    }
    console.error(`Error: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
}
