/**
 * The load generator, PocketBase-suite style: `iterations` requests, at most `concurrency` in
 * flight, each timed from the fetch call to the last body byte. Runs in the client process.
 */

/** One HTTP request to send. */
export interface RequestSpec {
  method: string;
  url: string;
  headers?: { [k: string]: string };
  body?: string;
}

/** One measured scenario. Request `i` is `requests[i % requests.length]`. */
export interface Job {
  name: string;
  iterations: number;
  concurrency: number;
  /** false: a new TCP connection per request (upstream's client); true: connections are reused. */
  keepAlive: boolean;
  requests: RequestSpec[];
  /** Requests fired all at once alongside the measured ones and not counted (the "mixed" list). */
  background?: RequestSpec[];
  /** Per-job deadline; unfinished requests count as errors. */
  timeoutMs?: number;
}

/** The figures of one job, upstream's Best/Worst/Completed plus req/s and percentiles. */
export interface JobResult {
  name: string;
  iterations: number;
  concurrency: number;
  keepAlive: boolean;
  completedMs: number;
  bestMs: number;
  worstMs: number;
  p50Ms: number;
  p99Ms: number;
  reqPerSec: number;
  errors: number;
  /** The first failure, e.g. `400 {"message":...}` or a network error. */
  firstError?: string;
  backgroundMs?: number;
  backgroundErrors?: number;
}

/** The value at quantile `q` (0..1) of an ascending-sorted array (nearest rank). */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return 0;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[idx]!;
}

async function send(spec: RequestSpec, keepAlive: boolean, signal: AbortSignal): Promise<string | null> {
  try {
    const res = await fetch(spec.url, { method: spec.method, headers: spec.headers, body: spec.body, keepalive: keepAlive, signal });
    const text = await res.text();
    if (res.status >= 200 && res.status < 300) return null;
    return `${res.status} ${text.slice(0, 300)}`;
  } catch (err) {
    return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  }
}

async function pool(n: number, concurrency: number, fn: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    for (;;) {
      const i = next++;
      if (i >= n) return;
      await fn(i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, n)) }, worker));
}

/** Runs one job and measures it. */
export async function runJob(job: Job): Promise<JobResult> {
  const n = job.iterations;
  const lat = new Float64Array(n);
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), job.timeoutMs ?? 300_000);
  let errors = 0;
  let firstError: string | undefined;
  let backgroundMs: number | undefined;
  let backgroundErrors: number | undefined;

  const t0 = performance.now();
  const background = job.background?.length
    ? (async () => {
        const b0 = performance.now();
        const out = await Promise.all(job.background!.map((spec) => send(spec, job.keepAlive, abort.signal)));
        backgroundMs = performance.now() - b0;
        backgroundErrors = out.filter((x) => x !== null).length;
      })()
    : Promise.resolve();
  await pool(n, job.concurrency, async (i) => {
    const spec = job.requests[i % job.requests.length]!;
    const s = performance.now();
    const err = await send(spec, job.keepAlive, abort.signal);
    lat[i] = performance.now() - s;
    if (err !== null) {
      errors++;
      firstError ??= err;
    }
  });
  const completedMs = performance.now() - t0;
  await background;
  clearTimeout(timer);

  const sorted = lat.slice().sort();
  return {
    name: job.name,
    iterations: n,
    concurrency: job.concurrency,
    keepAlive: job.keepAlive,
    completedMs,
    bestMs: sorted[0] ?? 0,
    worstMs: sorted[n - 1] ?? 0,
    p50Ms: quantile(sorted, 0.5),
    p99Ms: quantile(sorted, 0.99),
    reqPerSec: completedMs > 0 ? (n * 1000) / completedMs : 0,
    errors,
    firstError,
    backgroundMs,
    backgroundErrors,
  };
}
