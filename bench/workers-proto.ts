/**
 * Bench-only prototype of `serve --workers=N`, to measure what the real feature would gain and
 * where it breaks: one process of this script per worker, each with its own App (own SQLite
 * connection, own collection cache, own hooks) on the same pb_data, all listening on one port
 * with `reusePort` (Linux SO_REUSEPORT spreads the connections). Nothing is coordinated between
 * the processes: no single writer, no cache invalidation, no realtime bus — exactly the gaps the
 * measurements are meant to show.
 *
 * Usage: `bun bench/workers-proto.ts <pb_data dir> <port>` (start one process per worker).
 */
import { App } from "../src/core/app.ts";
import { buildRouter, handleRequest } from "../src/http/server.ts";
import { errorResponse, toApiError } from "../src/http/error-response.ts";

const [dataDir, portArg] = process.argv.slice(2);
if (!dataDir || !portArg) {
  console.error("usage: bun bench/workers-proto.ts <pb_data dir> <port>");
  process.exit(2);
}
const app = new App({ dataDir });
app.bootstrap();
const router = buildRouter(app);
const opts = { http: `127.0.0.1:${portArg}` };
const server = Bun.serve({
  hostname: "127.0.0.1",
  port: Number(portArg),
  reusePort: true,
  maxRequestBodySize: 1 << 30,
  fetch(req, srv) {
    return handleRequest(app, router, opts, req, srv.requestIP(req)?.address ?? "", srv);
  },
  error(err) {
    return errorResponse(toApiError(err, false));
  },
});

// the harness waits for this line: with reusePort a health check cannot tell the workers apart
console.log("ready");

process.on("SIGTERM", () => {
  void server.stop(true).then(() => {
    app.terminate();
    process.exit(0);
  });
});
