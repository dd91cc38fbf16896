import { runCli } from "./cli/run.ts";

process.exit(await runCli(process.argv.slice(2)));
