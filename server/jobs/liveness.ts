import pg from 'pg';
import type { WorkerUtils } from 'graphile-worker';
import { SESSION_OPTIONS } from '../database.js';

/**
 * Which job-queue workers are alive, so that a job left locked by a stopped server runs again at once.
 *
 * graphile-worker frees a job whose worker died only once its lock is four hours old. Here each runner keeps one
 * database session open for its whole life and registers its workers against that session (pid and start time); a
 * process that stops, however it stops, loses the session (PostgreSQL ends a backend whose client socket closed). A
 * job locked by a registered worker whose session is gone is unlocked with graphile-worker's own
 * force_unlock_workers, by any live runner: at its start and then every `interval`.
 *
 * A worker takes its first job as soon as it is created, before its registration is written; a job locked by a worker
 * nobody registered is therefore freed only when its lock is older than `unknownAfter` (a live runner registers its
 * workers within milliseconds, so only a runner killed in that instant leaves such a job).
 */
export interface WorkerLiveness {
  /** Records a worker of this runner (called as graphile-worker creates it). */
  register(workerId: string): void;
  /** Unlocks the jobs of workers whose runner is gone; answers their ids. */
  releaseDead(): Promise<string[]>;
  /** Stops checking, forgets this runner's workers and closes its session. */
  close(): Promise<void>;
}

export interface LivenessOptions {
  databaseUrl: string;
  applicationName: string;
  utils: Pick<WorkerUtils, 'forceUnlockWorkers'>;
  log: (message: string) => void;
  /** How often dead workers' jobs are looked for, in ms (default 30 s). */
  interval?: number;
  /** How old the lock of a worker nobody registered must be before it counts as dead, in seconds (default 300). */
  unknownAfter?: number;
}

/** Workers registered by a runner whose session is gone, and unregistered lockers older than the grace period. */
const DEAD_WORKERS = `
  WITH lockers AS (
    SELECT locked_by AS worker_id, min(locked_at) AS locked_at FROM graphile_worker._private_jobs WHERE locked_by IS NOT NULL GROUP BY locked_by
    UNION ALL
    SELECT locked_by, min(locked_at) FROM graphile_worker._private_job_queues WHERE locked_by IS NOT NULL GROUP BY locked_by
  )
  SELECT DISTINCT l.worker_id FROM lockers l
  LEFT JOIN job_workers w ON w.worker_id = l.worker_id
  WHERE NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.pid = w.backend_pid AND a.backend_start = w.backend_start)
    AND (w.worker_id IS NOT NULL OR l.locked_at < now() - make_interval(secs => $1))`;

const REGISTER = `
  INSERT INTO job_workers (worker_id, backend_pid, backend_start)
  SELECT $1, pid, backend_start FROM pg_stat_activity WHERE pid = pg_backend_pid()
  ON CONFLICT (worker_id) DO UPDATE SET backend_pid = excluded.backend_pid, backend_start = excluded.backend_start`;

/** Registrations whose session is gone and that lock nothing any more. */
const FORGET_DEAD = `
  DELETE FROM job_workers w
  WHERE NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.pid = w.backend_pid AND a.backend_start = w.backend_start)
    AND NOT EXISTS (SELECT 1 FROM graphile_worker._private_jobs j WHERE j.locked_by = w.worker_id)
    AND NOT EXISTS (SELECT 1 FROM graphile_worker._private_job_queues q WHERE q.locked_by = w.worker_id)`;

export async function startWorkerLiveness(options: LivenessOptions): Promise<WorkerLiveness> {
  const { databaseUrl, applicationName, utils, log, interval = 30_000, unknownAfter = 300 } = options;
  const workerIds: string[] = [];
  let writes: Promise<unknown> = Promise.resolve();
  let closed = false;
  let session: pg.Client;
  const connect = async (): Promise<void> => {
    const client = new pg.Client({ connectionString: databaseUrl, options: SESSION_OPTIONS, application_name: applicationName });
    // Until this session is back, this runner's workers look dead to the others, which may run their jobs a second
    // time, as after a crash (a step with an outside effect is guarded by its idempotency key): reconnected at once.
    client.on('error', (error) => {
      if (closed || client !== session) return;
      log(`job queue: the session proving this server's workers alive was lost (${error.message}); reconnecting`);
      writes = writes.then(reconnect);
    });
    await client.connect();
    session = client;
  };
  const reconnect = async (): Promise<void> => {
    for (let delay = 100; !closed; delay = Math.min(delay * 2, 10_000)) {
      try {
        await connect();
        for (const id of workerIds) await session.query(REGISTER, [id]);
        return;
      } catch (error) {
        log(`job queue: reconnecting the workers' session failed: ${String(error)}`);
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  };
  await connect();

  const releaseDead = async (): Promise<string[]> => {
    const { rows } = await session.query<{ worker_id: string }>(DEAD_WORKERS, [unknownAfter]);
    const dead = rows.map((r) => r.worker_id);
    if (dead.length) {
      await utils.forceUnlockWorkers(dead);
      log(`job queue: ran again the jobs of ${dead.length} worker(s) of a stopped server`);
    }
    await session.query(FORGET_DEAD);
    return dead;
  };

  let checking: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    checking = releaseDead().catch((error: unknown) => log(`job queue: looking for stopped servers' jobs failed: ${String(error)}`));
  }, interval);
  timer.unref();

  return {
    register(workerId) {
      workerIds.push(workerId);
      writes = writes
        // The session's start time read in the database, not through a JS Date, which would drop its microseconds.
        .then(() => session.query(REGISTER, [workerId]))
        .catch((error: unknown) => log(`job queue: registering worker ${workerId} failed: ${String(error)}`));
    },
    releaseDead: async () => {
      await writes;
      return releaseDead();
    },
    async close() {
      closed = true;
      clearInterval(timer);
      await checking;
      await writes;
      // A clean stop leaves no job locked, so its rows can go; if the session is already lost, FORGET_DEAD removes them.
      await session.query('DELETE FROM job_workers WHERE worker_id = ANY($1)', [workerIds]).catch(() => {});
      await session.end().catch(() => {});
    },
  };
}
