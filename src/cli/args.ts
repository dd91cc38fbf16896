/** Thrown for a bad command line; the CLI prints the message and exits with code 1. */
export class UsageError extends Error {}

/** A flag a command accepts. */
export interface FlagSpec {
  name: string;
  type: "string" | "bool" | "number";
  description: string;
  default?: string | boolean | number;
}

/** Parsed flags and positional arguments. */
export interface ParsedArgs {
  flags: { [k: string]: string | boolean | number };
  positional: string[];
}

/**
 * Parses `--name=value`, `--name value` and boolean `--flag` (also `--flag=false`), Go-style
 * single dashes included. Unknown flags and bad values are `UsageError`s.
 */
export function parseArgs(argv: string[], specs: FlagSpec[]): ParsedArgs {
  const flags: { [k: string]: string | boolean | number } = {};
  for (const s of specs) if (s.default !== undefined) flags[s.name] = s.default;
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith("-") || arg === "-") {
      positional.push(arg);
      continue;
    }
    if (arg === "--") {
      positional.push(...argv.slice(i + 1));
      break;
    }
    const body = arg.replace(/^--?/, "");
    const eq = body.indexOf("=");
    const name = eq >= 0 ? body.slice(0, eq) : body;
    const spec = specs.find((s) => s.name === name);
    if (!spec) throw new UsageError(`unknown flag: --${name}`);
    let raw: string | undefined = eq >= 0 ? body.slice(eq + 1) : undefined;
    if (spec.type === "bool") {
      if (raw === undefined) flags[name] = true;
      else if (["true", "1", "t"].includes(raw.toLowerCase())) flags[name] = true;
      else if (["false", "0", "f"].includes(raw.toLowerCase())) flags[name] = false;
      else throw new UsageError(`invalid boolean value "${raw}" for flag --${name}`);
      continue;
    }
    if (raw === undefined) {
      raw = argv[++i];
      if (raw === undefined) throw new UsageError(`flag needs an argument: --${name}`);
    }
    if (spec.type === "number") {
      const n = Number(raw);
      if (raw.trim() === "" || !Number.isFinite(n) || n < 0) throw new UsageError(`invalid value "${raw}" for flag --${name}: expected a non-negative number`);
      flags[name] = n;
    } else {
      flags[name] = raw;
    }
  }
  return { flags, positional };
}

/** Formats the flag list for `--help`. */
export function formatFlags(specs: FlagSpec[]): string {
  return specs
    .map((s) => {
      const def = s.default !== undefined && s.default !== "" && s.default !== false ? ` (default ${JSON.stringify(s.default)})` : "";
      return `  --${s.name}${s.type === "bool" ? "" : " " + s.type}\n        ${s.description}${def}`;
    })
    .join("\n");
}
