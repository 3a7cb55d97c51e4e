import type { ApiClient } from './api.js';
import { makeRecord, pick, rng, STAGES } from './data.js';
import type { Operation } from './load.js';
import type { RawSql } from './raw.js';

export interface BenchCase {
  name: string;
  /** What each request does, for the report. */
  description: string;
  api: Operation;
  raw: Operation;
  /** Requests in flight for this case, instead of --concurrency (1: one at a time, for a write's latency). */
  concurrency?: number;
  /** Alternating slices per side, instead of 5: finer, for small differences on a machine whose load comes and goes. */
  rounds?: number;
  /** The second side goes through the API too: the server's CPU is measured on both. */
  bothThroughApi?: boolean;
  /** Run before the case's measurement, and after it (even when it fails). */
  before?(): Promise<void>;
  after?(): Promise<void>;
}

export interface CaseInputs {
  api: ApiClient;
  raw: RawSql;
  workspaceId: string;
  /** Ids of the seeded records. */
  ids: string[];
  /** Search terms known to match. */
  terms: string[];
}

const PAGE = 50;

/** The cases of the mixed-type sheet, by name: run.ts seeds that sheet only when `--only` keeps one of them. */
export const SHEET_CASES = ['get one record', 'list 50, filter + sort', 'search (substring)', 'summary by stage and month', 'create one record', 'update one record'] as const;

/** Amount thresholds from 0 to 200,000, most of them low: from nearly every deal of a stage to a few hundred. */
const threshold = (random: () => number) => Math.round(random() ** 2 * 200_000);

function expectRecords(body: { records: unknown[] }, what: string): void {
  if (!Array.isArray(body.records)) throw new Error(`${what}: no records in the answer`);
}

export function buildCases({ api, raw, workspaceId, ids, terms }: CaseInputs): BenchCase[] {
  const records = `/api/w/${workspaceId}/sheets/${raw.sheet.id}/records`;
  const random = rng(2024);
  const anyId = () => pick(random, ids);
  let created = 0;
  return [
    {
      name: 'get one record',
      description: 'GET /records/:id of a random seeded record',
      api: async () => {
        await api.get(`${records}/${anyId()}`);
      },
      raw: async () => {
        await raw.getOne(anyId());
      },
    },
    {
      name: 'list 50, filter + sort',
      description: 'Stage == <random stage> and Amount >= <random threshold>, sort -Amount, limit 50',
      api: async () => {
        const filter = JSON.stringify({ and: [{ '==': [{ var: 'Stage' }, pick(random, STAGES)] }, { '>=': [{ var: 'Amount' }, threshold(random)] }] });
        const body = await api.get<{ records: unknown[] }>(`${records}?limit=${PAGE}&sort=-Amount&filter=${encodeURIComponent(filter)}`);
        expectRecords(body, 'list');
      },
      raw: async () => {
        await raw.listByStageAndAmount(pick(random, STAGES), threshold(random), PAGE);
      },
    },
    {
      name: 'search (substring)',
      description: 'search=<random 3-5 character term that matches>, limit 50',
      api: async () => {
        const body = await api.get<{ records: unknown[] }>(`${records}?limit=${PAGE}&search=${encodeURIComponent(pick(random, terms))}`);
        expectRecords(body, 'search');
      },
      raw: async () => {
        await raw.search(pick(random, terms), PAGE);
      },
    },
    {
      name: 'summary by stage and month',
      description: 'GET /summary?groupBy=Stage,Close date:month&values=count,sum(Amount),avg(Amount) over the whole sheet',
      api: async () => {
        const body = await api.get<{ rows: unknown[] }>(`/api/w/${workspaceId}/sheets/${raw.sheet.id}/summary?groupBy=${encodeURIComponent('Stage,Close date:month')}&values=${encodeURIComponent('count,sum(Amount),avg(Amount)')}`);
        if (!Array.isArray(body.rows)) throw new Error('summary: no rows in the answer');
      },
      raw: async () => {
        await raw.summaryByStageAndMonth();
      },
    },
    {
      name: 'create one record',
      description: 'POST /records {fields} with all 10 fields, history row included',
      api: async () => {
        await api.post(records, { fields: makeRecord(random, 20_000_000 + created++) });
      },
      raw: async () => {
        await raw.createMany([makeRecord(random, 20_000_000 + created++)]);
      },
    },
    {
      name: 'update one record',
      description: 'PATCH /records/:id {Amount, Stage} of a random seeded record, history row included',
      api: async () => {
        const fields = { Amount: threshold(random) + 0.5, Stage: pick(random, STAGES) };
        await api.patch(`${records}/${anyId()}`, { fields });
      },
      raw: async () => {
        await raw.updateAmountAndStage(anyId(), threshold(random) + 0.5, pick(random, STAGES));
      },
    },
  ];
}
