import { performance } from 'node:perf_hooks';

/** One unit of work: picks its own inputs, resolves when done, throws on a wrong answer. */
export type Operation = () => Promise<void>;

export interface LoadOptions {
  /** Requests in flight at any time. */
  concurrency: number;
  /** Measured time per side; requests still running at the end are awaited and counted. */
  durationMs: number;
  /** Unmeasured run first (connections, JIT, caches, plans). */
  warmupMs: number;
}

export interface LoadStats {
  requests: number;
  errors: number;
  seconds: number;
  throughput: number;
  p50: number;
  p95: number;
  p99: number;
  mean: number;
  /** CPU of this (load-generating) process per request, µs: the HTTP client, or the `pg` driver for raw SQL. */
  clientCpuUs: number;
  /** CPU of the server process per request, µs (API side only). */
  serverCpuUs?: number;
  firstError?: string;
}

/** Cumulative CPU milliseconds of the server process. */
export type CpuMeter = () => Promise<number>;

const ownCpuMs = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
};

/** `concurrency` loops issue operations back to back until the time is up; latencies are kept for percentiles. */
async function drive(operation: Operation, concurrency: number, durationMs: number, latencies: number[] | null) {
  const start = performance.now();
  const end = start + durationMs;
  let errors = 0;
  let firstError: string | undefined;
  const worker = async () => {
    while (performance.now() < end) {
      const t0 = performance.now();
      try {
        await operation();
        latencies?.push(performance.now() - t0);
      } catch (error) {
        errors++;
        firstError ??= error instanceof Error ? error.message : String(error);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { seconds: (performance.now() - start) / 1000, errors, firstError };
}

export function percentile(sorted: readonly number[], p: number): number {
  if (!sorted.length) return NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

interface Side {
  operation: Operation;
  server?: CpuMeter;
  latencies: number[];
  seconds: number;
  errors: number;
  firstError?: string;
  clientCpuMs: number;
  serverCpuMs: number;
}

/**
 * Measures the API and its raw-SQL ceiling in alternating slices (API, raw, API, raw, ...) after a warm-up of each, so
 * that other load on the machine, which comes and goes, weighs on both sides alike and their ratio stays meaningful.
 */
export async function runPaired(
  api: Operation,
  raw: Operation,
  options: LoadOptions & { rounds: number; serverCpu?: CpuMeter; /** The second side is served by the server too. */ rawServerCpu?: CpuMeter },
): Promise<{ api: LoadStats; raw: LoadStats }> {
  const side = (operation: Operation, server?: CpuMeter): Side => ({ operation, server, latencies: [], seconds: 0, errors: 0, clientCpuMs: 0, serverCpuMs: 0 });
  const sides = [side(api, options.serverCpu), side(raw, options.rawServerCpu)];
  for (const s of sides) if (options.warmupMs > 0) await drive(s.operation, options.concurrency, options.warmupMs, null);
  for (let round = 0; round < options.rounds; round++) {
    for (const s of sides) {
      const [client0, server0] = [ownCpuMs(), (await s.server?.()) ?? 0];
      const run = await drive(s.operation, options.concurrency, options.durationMs / options.rounds, s.latencies);
      s.clientCpuMs += ownCpuMs() - client0;
      s.serverCpuMs += ((await s.server?.()) ?? 0) - server0;
      s.seconds += run.seconds;
      s.errors += run.errors;
      s.firstError ??= run.firstError;
    }
  }
  const [apiStats, rawStats] = sides.map(summarize);
  return { api: apiStats!, raw: rawStats! };
}

function summarize(side: Side): LoadStats {
  const { latencies } = side;
  latencies.sort((a, b) => a - b);
  const perRequestUs = (ms: number) => (ms * 1000) / (latencies.length || 1);
  const stats: LoadStats = {
    requests: latencies.length,
    errors: side.errors,
    seconds: side.seconds,
    throughput: latencies.length / side.seconds,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    mean: latencies.reduce((sum, v) => sum + v, 0) / (latencies.length || 1),
    clientCpuUs: perRequestUs(side.clientCpuMs),
  };
  if (side.server) stats.serverCpuUs = perRequestUs(side.serverCpuMs);
  if (side.firstError !== undefined) stats.firstError = side.firstError;
  return stats;
}

/** Runs `count` operations with at most `concurrency` in flight; answers the elapsed seconds and each one's latency. */
export async function runCount(count: number, concurrency: number, operation: (index: number) => Promise<void>) {
  let next = 0;
  const latencies: number[] = [];
  const start = performance.now();
  const worker = async () => {
    while (next < count) {
      const index = next++;
      const t0 = performance.now();
      await operation(index);
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  latencies.sort((a, b) => a - b);
  return { seconds: (performance.now() - start) / 1000, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}
