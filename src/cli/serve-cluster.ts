import type { App } from "../core/app.ts";
import { registerRealtime } from "../core/realtime/register-realtime.ts";
import { handleRequest, type RunningServer, type ServeOptions } from "../http/server.ts";
import { errorResponse } from "../http/error-response.ts";
import { ApiError } from "../core/api-error.ts";
import { forwardedRemoteIP, setPeerDirectory } from "../http/peer-forward.ts";
import { ClusterWorker } from "../cluster/cluster-worker.ts";
import { WORKER_ENV, type PrimaryMessage } from "../cluster/protocol.ts";

/** The largest `--workers` value (client ids carry the worker's slot in two digits). */
export const MAX_WORKERS = 64;

/** The worker slot of this process when the primary of `serve --workers=N` started it, else null. */
export function workerSlotFromEnv(env: { [k: string]: string | undefined } = process.env): number | null {
  const raw = env[WORKER_ENV.slot];
  if (raw === undefined || raw === "" || !process.send) return null;
  const slot = Number(raw);
  return Number.isInteger(slot) && slot >= 0 && slot < MAX_WORKERS ? slot : null;
}

/**
 * Makes this `serve` process a worker of the cluster before its server starts: the shared
 * coordination (write turns, cache generation, `$app.store()`), the realtime bus, and client
 * ids that name this worker.
 */
export function joinCluster(app: App, slot: number): ClusterWorker {
  const generationFile = process.env[WORKER_ENV.generationFile];
  if (!generationFile) throw new Error(`${WORKER_ENV.generationFile} is not set: workers are started by \`serve --workers=N\`.`);
  const worker = new ClusterWorker(app, slot, generationFile);
  process.on("message", (m: PrimaryMessage) => worker.receive(m));
  const broker = registerRealtime(app, { bus: worker.bus });
  broker.clientIdSuffix = String(slot).padStart(2, "0");
  return worker;
}

/**
 * Starts the worker's private listener (127.0.0.1, a free port) for the requests other workers
 * forward to it, and tells the primary that this worker is ready. Returns the running server
 * with a `stop` that also closes the private listener.
 */
export function announceWorker(app: App, worker: ClusterWorker, running: RunningServer, opts: ServeOptions): RunningServer {
  const secret = process.env[WORKER_ENV.peerSecret] ?? "";
  setPeerDirectory(app, {
    secret,
    urlForClient: (clientId) => (/^\d\d$/.test(clientId.slice(-2)) ? worker.peerUrl(Number(clientId.slice(-2))) : null),
  });
  const peer = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch(req, srv) {
      const ip = forwardedRemoteIP(app, req);
      if (ip === null || !secret) return errorResponse(new ApiError(403, "Only the workers of this server may use this address."));
      return handleRequest(app, running.router, opts, req, ip, srv);
    },
  });
  process.send!({ t: "ready", slot: worker.slot, peerUrl: `http://127.0.0.1:${peer.port}` });
  return {
    ...running,
    async stop() {
      await Promise.all([running.stop(), peer.stop(true)]);
    },
  };
}
