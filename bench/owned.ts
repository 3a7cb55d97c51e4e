import type pg from 'pg';
import { acceptInvitation, type ApiClient, type ClientKind, type SheetJson } from './api.js';
import type { BenchCase } from './cases.js';
import { pick, rng, SHEET_FIELDS } from './data.js';
import { runCount } from './load.js';
import { BATCH, recordBatch } from './seed.js';

/**
 * A sales rep's grid: the mixed-type sheet with an owner field, its records shared out among reps, listed 50 at a time
 * by a rep whose role reads only their own records, beside the workspace owner listing the same sheet (every record).
 * The second side is the owner through the API, not hand-written SQL: the budget is the rep's p50 within 15% of it.
 */
export const OWNED_CASE = 'list 50 as a sales rep (own records)';
/** Reps sharing the records out, round robin: each owns 1 in REPS of them, spread over the whole sheet. */
export const REPS = 20;
const PAGE = 50;
const WALK = 1000;

interface Page {
  records: { id: string; fields: Record<string, unknown> }[];
  nextCursor: string | null;
}

export interface OwnedSetup {
  sheet: SheetJson;
  rep: ApiClient;
  repId: string;
}

/** The sheet, a "Sales rep" role reading its own records, REPS reps invited with it, then `records` records seeded in batches of 1000. */
export async function seedOwned(api: ApiClient, kind: ClientKind, workspaceId: string, records: number, inFlight: number, log: (line: string) => void): Promise<OwnedSetup> {
  const base = `/api/w/${workspaceId}`;
  const sheet = await api.post<SheetJson>(`${base}/sheets`, { name: 'Owned deals', fields: [...SHEET_FIELDS, { name: 'Owner', type: 'user', options: { owner: true } }] });
  await api.post(`${base}/roles`, { name: 'Sales rep', sheets: { [sheet.id]: { read: 'own', create: true, update: 'own', delete: 'none' } } });
  const reps: { api: ApiClient; userId: string }[] = [];
  for (let i = 0; i < REPS; i++) {
    const invitation = await api.post<{ url: string }>(`${base}/invitations`, { email: `rep${i}@example.com`, role: 'Sales rep' });
    reps.push(await acceptInvitation(api.baseUrl, kind, invitation.url, `Rep ${i}`));
  }
  const path = `${base}/sheets/${sheet.id}/records`;
  const batches = Math.ceil(records / BATCH);
  await runCount(batches, inFlight, async (b) => {
    const first = b * BATCH;
    const rows = recordBatch(first, Math.min(BATCH, records - first), 77);
    await api.post(path, { records: rows.map((fields, i) => ({ fields: { ...fields, Owner: reps[(first + i) % REPS]!.userId } })) });
  });
  log(`  seeded ${records.toLocaleString('en-US')} records owned by ${REPS} reps`);
  return { sheet, rep: reps[0]!.api, repId: reps[0]!.userId };
}

/** Cursors spread over what `api` sees of the sheet in grid order (each with a full page after it). */
async function gridStarts(api: ApiClient, path: string): Promise<string[]> {
  const starts = [''];
  let cursor: string | null = null;
  for (;;) {
    const page: Page = await api.get<Page>(`${path}?limit=${WALK}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    if (!page.nextCursor || page.records.length < WALK) break;
    cursor = page.nextCursor;
    starts.push(`&cursor=${encodeURIComponent(cursor)}`);
  }
  if (starts.length > 1) starts.pop();
  return starts;
}

/** The rep's pages (first side) and the owner's (second side), both in grid order from cursors spread over what each sees. */
export async function ownedCase(owner: ApiClient, pool: pg.Pool, workspaceId: string, setup: OwnedSetup): Promise<BenchCase> {
  await pool.query('VACUUM ANALYZE');
  const path = `/api/w/${workspaceId}/sheets/${setup.sheet.id}/records`;
  const [repStarts, ownerStarts] = [await gridStarts(setup.rep, path), await gridStarts(owner, path)];
  // Before measuring: the rep's page is theirs alone, and a full one.
  const first = await setup.rep.get<Page>(`${path}?limit=${PAGE}`);
  const strangers = first.records.filter((r) => (r.fields.Owner as { id?: string } | undefined)?.id !== setup.repId);
  if (first.records.length !== PAGE || strangers.length) throw new Error(`${OWNED_CASE}: the rep's page has ${first.records.length} records, ${strangers.length} not theirs`);
  const random = rng(7);
  const page = (api: ApiClient, starts: string[]) => async () => {
    const body = await api.get<Page>(`${path}?limit=${PAGE}${pick(random, starts)}`);
    if (body.records.length !== PAGE) throw new Error(`${OWNED_CASE}: ${body.records.length} records`);
  };
  return {
    name: OWNED_CASE,
    description: `GET /records?limit=${PAGE}&cursor=<one of ${repStarts.length} spread over the rep's ${setup.sheet.name}>, no sort, as a rep owning 1 in ${REPS}; beside the owner at one of ${ownerStarts.length} cursors over every record`,
    api: page(setup.rep, repStarts),
    raw: page(owner, ownerStarts),
  };
}
