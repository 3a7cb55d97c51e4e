import type { ApiClient } from './api.js';
import { makeRecord, rng, type RecordFields } from './data.js';
import { runCount } from './load.js';
import type { RawSql } from './raw.js';

export const BATCH = 1000;

export interface BatchResult {
  records: number;
  batches: number;
  inFlight: number;
  seconds: number;
  recordsPerSecond: number;
  batchP50: number;
  batchP99: number;
}

/** The seeded records, the same every run; record `n` is also what the raw inserts write for it. */
export function recordBatch(first: number, count: number, seed = 42): RecordFields[] {
  const random = rng(seed + first);
  return Array.from({ length: count }, (_, i) => makeRecord(random, first + i));
}

const result = (records: number, batches: number, inFlight: number, run: { seconds: number; p50: number; p99: number }): BatchResult => ({
  records,
  batches,
  inFlight,
  seconds: run.seconds,
  recordsPerSecond: records / run.seconds,
  batchP50: run.p50,
  batchP99: run.p99,
});

/** Seeds the sheet through the API, POSTing `{records: [...]}` of 1000: the batch-insert measurement. Answers the new ids too. */
export async function seedThroughApi(api: ApiClient, path: string, total: number, inFlight: number, progress: (done: number) => void) {
  const batches = Math.ceil(total / BATCH);
  const ids: string[] = new Array<string>(total);
  let done = 0;
  const run = await runCount(batches, inFlight, async (b) => {
    const first = b * BATCH;
    const records = recordBatch(first, Math.min(BATCH, total - first));
    const body = await api.post<{ records: { id: string }[] }>(path, { records: records.map((fields) => ({ fields })) });
    body.records.forEach((r, i) => (ids[first + i] = r.id));
    done += records.length;
    progress(done);
  });
  return { ids, batch: result(total, batches, inFlight, run) };
}

/** The same batches written by hand (INSERT … FROM jsonb_to_recordset RETURNING, plus history), then removed again. */
export async function rawBatchInsert(raw: RawSql, batches: number, inFlight: number): Promise<BatchResult> {
  const created: string[] = [];
  const run = await runCount(batches, inFlight, async (b) => {
    const rows = await raw.createMany(recordBatch(10_000_000 + b * BATCH, BATCH, 7));
    for (const row of rows) created.push(row.id);
  });
  await raw.pool.query(`DELETE FROM record_history WHERE sheet_id = $1 AND record_id = ANY($2::bigint[])`, [raw.sheet.id, created]);
  await raw.pool.query(`DELETE FROM ${raw.table} WHERE id = ANY($1::bigint[])`, [created]);
  return result(batches * BATCH, batches, inFlight, run);
}

/** A job queued with the sheet builds its trigram index concurrently once it is created; search is measured only once it is valid. */
export async function waitForSearchIndexes(raw: RawSql, expected: number, timeoutMs = 120_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await raw.pool.query<{ n: string }>(
      `SELECT count(*) AS n FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam
       WHERE i.indrelid = $1::regclass AND i.indisvalid AND a.amname = 'gin'`,
      [raw.table],
    );
    if (Number(rows[0]!.n) >= expected) return;
    if (Date.now() > until) throw new Error(`only ${rows[0]!.n} of ${expected} search indexes are valid after ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Fresh statistics and a clean visibility map, so plans and timings do not depend on when autovacuum last ran. */
export async function settleTables(raw: RawSql): Promise<void> {
  await raw.pool.query(`VACUUM ANALYZE ${raw.table}`);
  await raw.pool.query(`VACUUM ANALYZE record_history`);
}

/** Keeps only the terms that find at least one record. */
export async function matchingTerms(raw: RawSql, terms: string[]): Promise<string[]> {
  const kept: string[] = [];
  for (const term of terms) {
    const { rows } = await raw.search(term, 1);
    if (rows.length) kept.push(term);
  }
  return kept;
}
