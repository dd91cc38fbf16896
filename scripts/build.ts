/**
 * `npm run build`: compiles Satchel into the single executable `dist/satchel` with everything
 * embedded (no node_modules, no native files needed beside it).
 */
import { mkdirSync } from "node:fs";

mkdirSync("dist", { recursive: true });
const proc = Bun.spawn([process.execPath, "build", "--compile", "--minify", "--sourcemap=none", "src/main.ts", "--outfile", "dist/satchel"], {
  stdout: "inherit",
  stderr: "inherit",
});
const code = await proc.exited;
if (code !== 0) process.exit(code);
const size = Bun.file("dist/satchel").size;
console.log(`dist/satchel: ${(size / 1024 / 1024).toFixed(1)} MB`);
