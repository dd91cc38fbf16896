import { CronSchedule, cronMoment } from "./cron-expression.ts";

/** A job's function; it may be async (cron jobs run outside any transaction). */
export type CronJobFunc = () => unknown;

/** One registered job (PocketBase's `cron.Job`, with its JS method names). */
export class CronJob {
  readonly schedule: CronSchedule;
  /** Set while the job runs. */
  running: Promise<void> | null = null;
  constructor(
    private readonly jobId: string,
    schedule: CronSchedule,
    readonly func: CronJobFunc,
  ) {
    this.schedule = schedule;
  }
  /** The job id. */
  id(): string {
    return this.jobId;
  }
  /** The cron expression as given. */
  expression(): string {
    return this.schedule.expression;
  }
  /** JSON shape of `GET /api/crons`. */
  toJSON(): { id: string; expression: string } {
    return { id: this.jobId, expression: this.schedule.expression };
  }
}

/**
 * An in-process cron scheduler (PocketBase's `app.cron()`): jobs by id, checked once per minute
 * at :00 in UTC (or the zone set with `setTimezone`). Re-adding an id replaces the job; errors
 * of a job are logged and never stop the scheduler.
 */
export class CronScheduler {
  private jobsById = new Map<string, CronJob>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private timeZone = "UTC";
  private intervalMs = 60_000;

  /** Adds (or replaces) a job; throws for an invalid expression or an empty id. */
  add(id: string, expression: string, func: CronJobFunc): void {
    if (typeof id !== "string" || id === "") throw new Error("cron: the job id must be a non-empty string");
    if (typeof func !== "function") throw new Error(`cron: the job "${id}" needs a function`);
    this.jobsById.set(id, new CronJob(id, CronSchedule.parse(expression), func));
  }

  /** Like `add` (PocketBase's `mustAdd` panics where `add` returns an error; both throw here). */
  mustAdd(id: string, expression: string, func: CronJobFunc): void {
    this.add(id, expression, func);
  }

  /** Removes a job by id (unknown ids are ignored). */
  remove(id: string): void {
    this.jobsById.delete(id);
  }

  /** Removes every job. */
  removeAll(): void {
    this.jobsById.clear();
  }

  /** The number of jobs. */
  total(): number {
    return this.jobsById.size;
  }

  /** The jobs, sorted by id with PocketBase's own `__pb…` jobs last (as `GET /api/crons` lists them). */
  jobs(): CronJob[] {
    return [...this.jobsById.values()].sort((a, b) => {
      const sa = a.id().startsWith("__pb") ? 1 : 0;
      const sb = b.id().startsWith("__pb") ? 1 : 0;
      return sa - sb || (a.id() < b.id() ? -1 : a.id() > b.id() ? 1 : 0);
    });
  }

  /** The job with that id, or null. */
  job(id: string): CronJob | null {
    return this.jobsById.get(id) ?? null;
  }

  /** The time zone the expressions are read in (IANA name); throws for an unknown zone. */
  setTimezone(timeZone: string): void {
    cronMoment(new Date(), timeZone);
    this.timeZone = timeZone;
  }

  /** How often the scheduler checks the jobs (default one minute; restarts a running scheduler). */
  setInterval(ms: number): void {
    this.intervalMs = Math.max(1000, Number(ms) || 60_000);
    if (this.timer) {
      this.stop();
      this.start();
    }
  }

  /** True after `start` and before `stop`. */
  hasStarted(): boolean {
    return this.timer !== null;
  }

  /** Starts ticking, aligned to the next whole interval (the next minute at :00 by default). */
  start(): void {
    if (this.timer) return;
    const schedule = () => {
      const now = Date.now();
      const wait = this.intervalMs - (now % this.intervalMs);
      this.timer = setTimeout(() => {
        // NB: timers fire a little late (or, rarely, early): match the nearest whole interval
        this.tick(new Date(Math.round(Date.now() / this.intervalMs) * this.intervalMs));
        schedule();
      }, wait);
      // the scheduler alone never keeps the process alive
      (this.timer as { unref?: () => void }).unref?.();
    };
    schedule();
  }

  /** Stops ticking (running jobs finish). */
  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Runs every job whose schedule matches `at` (called by the ticker). */
  tick(at: Date): void {
    const m = cronMoment(at, this.timeZone);
    for (const job of this.jobsById.values()) {
      if (job.schedule.matches(m)) void this.runJob(job);
    }
  }

  /**
   * Runs a job now (`POST /api/crons/{id}`); resolves when it has finished. Errors are logged,
   * never thrown. Throws only for an unknown id.
   */
  run(id: string): Promise<void> {
    const job = this.jobsById.get(id);
    if (!job) throw new Error(`cron: unknown job "${id}"`);
    return this.runJob(job);
  }

  /**
   * Wraps every job run (`serve --workers=N`: the primary runs its jobs in its write turn).
   * Null runs jobs as they are.
   */
  guard: ((run: () => Promise<unknown>) => Promise<unknown>) | null = null;

  private runJob(job: CronJob): Promise<void> {
    const p = (async () => {
      try {
        if (this.guard) await this.guard(async () => await job.func());
        else await job.func();
      } catch (err) {
        // PocketBase parity (v0.39.1): a failing job is logged and the scheduler goes on
        console.error(`[cron] job "${job.id()}" failed:`, err);
      }
    })();
    job.running = p;
    void p.finally(() => {
      if (job.running === p) job.running = null;
    });
    return p;
  }
}
