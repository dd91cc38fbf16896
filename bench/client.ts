/**
 * The benchmark client process. Started by `bench/run.ts` with an IPC channel; it receives one
 * `Job` per message, runs it and answers with the `JobResult`. Keeping the load generator in its
 * own process means its CPU time is not charged to the server's event loop (it still shares the
 * machine's cores, as upstream's in-process client does).
 *
 * NB: Bun's fetch allows only 256 requests in flight by default; the parent raises
 * `BUN_CONFIG_MAX_HTTP_REQUESTS` so that concurrency 1000 really means 1000.
 */
import { runJob, type Job } from "./load.ts";

process.on("message", (msg: unknown) => {
  const job = msg as Job;
  runJob(job).then(
    (result) => process.send?.({ ok: true, result }),
    (err: unknown) => process.send?.({ ok: false, error: err instanceof Error ? err.stack ?? err.message : String(err) }),
  );
});
process.send?.({ ready: true });
