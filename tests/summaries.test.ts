import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allRecords, csvObjects, runImport, uploadImport } from './helpers/imports.js';
import { startTestServer, type Client, type TestServer } from './helpers/server.js';
import { setupTeamWorkspace, type TeamWorkspace } from './helpers/team-workspace.js';

/**
 * The summary API (API.md "Summaries and dashboards"): every number is computed here again from the records the
 * listing answers, so a wrong GROUP BY, a lost empty group or a double count shows as a difference.
 */

let server: TestServer;
let owner: Client;
let ws: string;
type Rec = { id: string; fields: Record<string, any> };
let deals: Rec[];

const STAGES = ['Prospect', 'Qualified', 'Won', 'Lost'];
const COMPANIES = ['Zeta Ltd', 'Acme', 'Mid Co'];

async function ok(res: Promise<{ status: number; body: any }>, status = 201) {
  const answer = await res;
  if (answer.status !== status) throw new Error(`expected ${status}, got ${answer.status}: ${JSON.stringify(answer.body)}`);
  return answer.body;
}

const summary = (params: Record<string, unknown>, client = owner, sheet = 'Deals', headers: Record<string, string> = {}) => {
  const query = new URLSearchParams(Object.entries(params).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
  return client.request('GET', `/api/w/${ws}/sheets/${encodeURIComponent(sheet)}/summary?${query}`, undefined, headers);
};

/** Groups records by a key function (null for empty), with count, sum and average of Amount. */
function expected(records: Rec[], key: (r: Rec) => (string | null)[]) {
  const groups = new Map<string, Rec[]>();
  for (const r of records) {
    for (const k of key(r)) groups.set(JSON.stringify(k), [...(groups.get(JSON.stringify(k)) ?? []), r]);
  }
  return groups;
}
const amounts = (records: Rec[]) => records.map((r) => r.fields.Amount).filter((a): a is number => typeof a === 'number');
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

beforeAll(async () => {
  server = await startTestServer();
  ({ client: owner, workspaceId: ws } = await server.setup());
  await ok(owner.patch(`/api/w/${ws}/settings`, { timeZone: 'Asia/Taipei' }), 200);
  const companies = await ok(owner.post(`/api/w/${ws}/sheets`, { name: 'Companies', fields: [{ name: 'Name', type: 'text' }] }));
  void companies;
  await ok(
    owner.post(`/api/w/${ws}/sheets`, {
      name: 'Deals',
      fields: [
        { name: 'Name', type: 'text' },
        { name: 'Amount', type: 'currency', options: { currency: 'USD', precision: 2 } },
        { name: 'Probability', type: 'percent' },
        // Not in alphabetical order: a select groups in the order of its choices.
        { name: 'Stage', type: 'single_select', options: { choices: STAGES.map((name) => ({ name })) } },
        { name: 'Close date', type: 'date' },
        { name: 'Logged', type: 'datetime' },
        { name: 'Company', type: 'link', options: { sheet: 'Companies', relationship: 'many_to_one', inverseName: 'Deals' } },
        { name: 'Region', type: 'text' },
      ],
    }),
  );
  await ok(owner.post(`/api/w/${ws}/sheets/Deals/fields`, { name: 'Weighted', type: 'formula', options: { expression: '{Amount} * {Probability}' } }));
  const made = await ok(owner.post(`/api/w/${ws}/sheets/Companies/records`, { records: COMPANIES.map((Name) => ({ fields: { Name } })) }));
  const companyIds: string[] = made.records.map((r: { id: string }) => r.id);
  const records = Array.from({ length: 45 }, (_, i) => {
    const fields: Record<string, unknown> = { Name: `Deal ${i} ${i % 4 === 0 ? '北區' : 'south'}` };
    // Every fifth has no amount, every seventh no stage, every sixth no company: the empty groups.
    if (i % 5 !== 0) fields.Amount = Math.round(((i * 37) % 100) * 10.25 * 100) / 100;
    if (i % 7 !== 3) fields.Stage = STAGES[(i * 3) % 4];
    if (i % 6 !== 1) fields.Company = [companyIds[i % 3]];
    fields.Probability = ((i * 13) % 10) / 10;
    if (i % 9 !== 4) fields['Close date'] = `2026-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + ((i * 5) % 28)).padStart(2, '0')}`;
    // 20:00 UTC is the next day in Taipei: the last day of a month falls in the next month there.
    fields.Logged = `2026-0${1 + (i % 3)}-${i % 2 ? '31T20:00:00.000Z' : '15T01:00:00.000Z'}`.replace('02-31', '02-28');
    fields.Region = i % 2 ? 'North' : 'South';
    return { fields };
  });
  await ok(owner.post(`/api/w/${ws}/sheets/Deals/records`, { records }));
  deals = await allRecords(owner, ws, 'Deals');
});
afterAll(async () => {
  await server?.close();
});

describe('summary of a sheet', () => {
  it('counts, sums and averages over all records, with no groups', async () => {
    const res = await summary({ values: 'count,sum(Amount),avg(Amount),min(Amount),max(Amount),count_distinct(Stage),filled(Amount)' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const a = amounts(deals);
    const total = [deals.length, sum(a), sum(a) / a.length, Math.min(...a), Math.max(...a), new Set(deals.map((d) => d.fields.Stage).filter(Boolean)).size, a.length];
    expect(res.body.total[0]).toBe(45);
    expect(res.body.total[1]).toBeCloseTo(total[1]!, 6);
    expect(res.body.total[2]).toBeCloseTo(total[2]!, 6);
    expect(res.body.total.slice(3)).toEqual(total.slice(3));
    expect(res.body.rows).toEqual([{ group: [], values: res.body.total }]);
  });

  it('groups by a select in the order of its choices, the empty group last', async () => {
    const res = await summary({ groupBy: 'Stage', values: 'count,sum(Amount),avg(Amount)' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const groups = expected(deals, (r) => [r.fields.Stage ?? null]);
    expect(res.body.rows.map((r: { group: unknown[] }) => r.group[0])).toEqual([...STAGES, null]);
    for (const row of res.body.rows) {
      const members = groups.get(JSON.stringify(row.group[0]))!;
      expect(row.values[0]).toBe(members.length);
      expect(row.values[1]).toBeCloseTo(sum(amounts(members)), 6);
      expect(row.values[2]).toBeCloseTo(sum(amounts(members)) / amounts(members).length, 6);
    }
    expect(sum(res.body.rows.map((r: { values: number[] }) => r.values[0]))).toBe(res.body.total[0]);
  });

  it('groups by two fields', async () => {
    const res = await summary({ groupBy: 'Region,Stage', values: 'count,sum(Amount)' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const groups = expected(deals, (r) => [`${r.fields.Region}|${r.fields.Stage ?? null}`]);
    expect(res.body.rows).toHaveLength(groups.size);
    // Regions ascending, then stages in choice order.
    expect(res.body.rows.map((r: { group: unknown[] }) => r.group)).toEqual(
      ['North', 'South'].flatMap((region) => [...STAGES, null].filter((s) => groups.has(JSON.stringify(`${region}|${s}`))).map((s) => [region, s])),
    );
    for (const row of res.body.rows) {
      const members = groups.get(JSON.stringify(`${row.group[0]}|${row.group[1]}`))!;
      expect(row.values[0]).toBe(members.length);
      expect(row.values[1]).toBeCloseTo(sum(amounts(members)), 6);
    }
  });

  it('buckets dates by day, week, month, quarter and year; date-times in the workspace time zone', async () => {
    const month = await summary({ groupBy: 'Close date:month', values: 'count,sum(Amount)' });
    expect(month.status, JSON.stringify(month.body)).toBe(200);
    const byMonth = expected(deals, (r) => [r.fields['Close date']?.slice(0, 7) ?? null]);
    expect(month.body.rows.map((r: { group: unknown[] }) => r.group[0])).toEqual([...[...byMonth.keys()].map((k) => JSON.parse(k)).filter(Boolean).sort(), null]);
    for (const row of month.body.rows) {
      const members = byMonth.get(JSON.stringify(row.group[0]))!;
      expect(row.values).toEqual([members.length, expect.closeTo(sum(amounts(members)), 6)]);
    }
    const quarter = await summary({ groupBy: 'Close date:quarter' });
    const q = (d: string) => `${d.slice(0, 4)}-Q${Math.floor((Number(d.slice(5, 7)) - 1) / 3) + 1}`;
    const byQuarter = expected(deals, (r) => [r.fields['Close date'] ? q(r.fields['Close date']) : null]);
    expect(quarter.body.rows.map((r: { group: unknown[]; values: number[] }) => [r.group[0], r.values[0]])).toEqual(
      ['2026-Q1', '2026-Q2', '2026-Q3', '2026-Q4', null].map((k) => [k, byQuarter.get(JSON.stringify(k))!.length]),
    );
    const year = await summary({ groupBy: 'Close date:year' });
    expect(year.body.rows.map((r: { group: unknown[] }) => r.group[0])).toEqual(['2026', null]);
    // 2026-03-02 is a Monday: a week is named by its Monday.
    const week = await summary({ groupBy: 'Close date:week', filter: { '==': [{ var: 'Close date' }, '2026-03-04'] } });
    expect(week.body.rows.map((r: { group: unknown[] }) => r.group[0])).toEqual(deals.some((d) => d.fields['Close date'] === '2026-03-04') ? ['2026-03-02'] : []);
    const logged = await summary({ groupBy: 'Logged:month' });
    expect(logged.status, JSON.stringify(logged.body)).toBe(200);
    // In Taipei (UTC+8), 20:00 UTC on Jan 31 is Feb 1.
    const local = (iso: string) => new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 7);
    const byLogged = expected(deals, (r) => [local(r.fields.Logged)]);
    expect(logged.body.rows.map((r: { group: unknown[]; values: number[] }) => [r.group[0], r.values[0]])).toEqual(
      [...byLogged.keys()].map((k) => JSON.parse(k)).sort().map((k) => [k, byLogged.get(JSON.stringify(k))!.length]),
    );
    const day = await summary({ groupBy: 'Logged:day' });
    expect(day.body.rows.map((r: { group: unknown[] }) => r.group[0])).toContain('2026-02-01');
  });

  it('groups by linked record, shown as {id, title}, in the order of the titles', async () => {
    const res = await summary({ groupBy: 'Company', values: 'count,sum(Amount),sum(Weighted)' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const groups = expected(deals, (r) => [r.fields.Company?.[0]?.title ?? null]);
    expect(res.body.rows.map((r: { group: { title: string }[] }) => r.group[0]?.title ?? null)).toEqual([...[...COMPANIES].sort(), null]);
    for (const row of res.body.rows) {
      const members = groups.get(JSON.stringify(row.group[0]?.title ?? null))!;
      if (row.group[0]) expect(row.group[0]).toEqual({ id: members[0]!.fields.Company[0].id, title: members[0]!.fields.Company[0].title });
      expect(row.values[0]).toBe(members.length);
      expect(row.values[1]).toBeCloseTo(sum(amounts(members)), 6);
      const weighted = members.map((m) => m.fields.Weighted).filter((w): w is number => typeof w === 'number');
      expect(row.values[2]).toBeCloseTo(sum(weighted), 6);
    }
  });

  it('summarizes only what the filter and the search select, like the listing', async () => {
    const filter = { '>=': [{ var: 'Amount' }, 300] };
    const listed = (await owner.get(`/api/w/${ws}/sheets/Deals/records?limit=1000&filter=${encodeURIComponent(JSON.stringify(filter))}&search=${encodeURIComponent('北區')}`)).body.records as Rec[];
    expect(listed.length).toBeGreaterThan(0);
    expect(listed.length).toBeLessThan(deals.length);
    const res = await summary({ groupBy: 'Stage', values: 'count,sum(Amount)', filter, search: '北區' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.total).toEqual([listed.length, expect.closeTo(sum(amounts(listed)), 6)]);
    const groups = expected(listed, (r) => [r.fields.Stage ?? null]);
    expect(res.body.rows.map((r: { group: unknown[]; values: number[] }) => [r.group[0], r.values[0]])).toEqual(
      [...STAGES, null].filter((s) => groups.has(JSON.stringify(s))).map((s) => [s, groups.get(JSON.stringify(s))!.length]),
    );
  });

  it('refuses bad parameters with a 400 naming the parameter, in the language asked for', async () => {
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ groupBy: 'Nope' }, 'groupBy', /unknown field "Nope"/],
      [{ groupBy: 'Stage,Region,Name' }, 'groupBy', /at most 2/],
      [{ groupBy: 'Amount:month' }, 'groupBy', /"Amount" is not a date field/],
      [{ values: 'sum(Name)' }, 'values', /"Name" is not a number field/],
      [{ values: 'median(Amount)' }, 'values', /"median\(Amount\)" is not one of/],
      [{ values: 'sum' }, 'values', /is not one of/],
      [{ values: 'avg(Missing)' }, 'values', /unknown field "Missing"/],
      [{ values: 'count_distinct(Company)' }, 'values', /distinct values cannot be counted/],
      [{ groupBy: 'x'.repeat(2001) }, 'groupBy', /at most 2000 characters/],
      [{ filter: { '==': [{ var: 'Nope' }, 1] } }, 'filter', /unknown field "Nope"/],
    ];
    for (const [params, param, message] of cases) {
      const res = await summary(params);
      expect(res.status, JSON.stringify(params)).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
      expect(res.body.error.details.fields[param], JSON.stringify(res.body)).toMatch(message);
    }
    const bad = await summary({ filter: 'not json' });
    expect(bad.status).toBe(400);
    const zh = await summary({ values: 'sum(Name)' }, owner, 'Deals', { 'accept-language': 'zh-TW' });
    expect(zh.status).toBe(400);
    expect(zh.body.error.details.fields.values).toBe('「Name」不是數字欄位，無法使用 sum');
    const zhGroup = await summary({ groupBy: 'Nope' }, owner, 'Deals', { 'accept-language': 'zh-TW,zh;q=0.9' });
    expect(zhGroup.body.error.details.fields.groupBy).toBe('沒有名為「Nope」的欄位');
  });
});

describe('every field of the Full CRM', () => {
  it('groups and aggregates each field, or refuses it with a 400: never a 500', async () => {
    expect((await owner.post(`/api/w/${ws}/templates/full-crm/install`, { sampleData: true })).status).toBe(201);
    // A search of a sheet with a lookup of a select (Contacts' Industry) is answered, as the listing is.
    const listing = await owner.get(`/api/w/${ws}/sheets/Contacts/records?search=a`);
    expect(listing.status, JSON.stringify(listing.body)).toBe(200);
    const sheets = (await owner.get(`/api/w/${ws}/sheets`)).body as { id: string; name: string; fields: { id: string; name: string; type: string }[] }[];
    const statuses = new Map<number, number>();
    for (const sheet of sheets) {
      for (const field of sheet.fields) {
        const other = sheet.fields.find((f) => f.id !== field.id)!;
        for (const params of [
          { groupBy: field.id, values: `count,filled(${field.id}),count_distinct(${field.id})` },
          { groupBy: `${field.id}:month`, values: `sum(${field.id}),avg(${field.id}),min(${field.id}),max(${field.id})` },
          { groupBy: `${other.id},${field.id}`, values: `filled(${field.id})`, search: 'a' },
        ] as Record<string, string>[]) {
          const res = await owner.get(`/api/w/${ws}/sheets/${sheet.id}/summary?${new URLSearchParams(params)}`);
          expect([200, 400], `${sheet.name}.${field.name} (${field.type}) ${JSON.stringify(params)}: ${JSON.stringify(res.body)}`).toContain(res.status);
          if (res.status === 200) {
            const counts = res.body.rows.map((r: { values: number[] }) => r.values[0]);
            expect(counts.every((n: unknown) => typeof n === 'number' || n === null)).toBe(true);
          }
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        }
      }
    }
    // Most fields group (and count their filled values); number and date fields also sum and bucket.
    expect(statuses.get(200)).toBeGreaterThan(statuses.get(400) ?? 0);
  }, 120_000);
});

describe('a grid view keeps its summary row and grouping', () => {
  it('stores column summaries and the group field by id; refuses a link to group by and an unknown aggregate', async () => {
    const sheet = (await owner.get(`/api/w/${ws}/sheets/Deals`)).body;
    const id = (name: string) => sheet.fields.find((f: { name: string }) => f.name === name).id;
    const view = await ok(owner.post(`/api/w/${ws}/sheets/Deals/views`, { name: 'Summed', type: 'grid', config: { groupBy: 'Region', summaries: { Amount: 'avg', Name: 'empty' } } }));
    expect(view.config).toMatchObject({ groupBy: id('Region'), summaries: { [id('Amount')]: 'avg', [id('Name')]: 'empty' } });
    const patched = await ok(owner.patch(`/api/w/${ws}/sheets/Deals/views/${view.id}`, { config: { summaries: { Amount: 'max' } } }), 200);
    expect(patched.config).toMatchObject({ groupBy: id('Region'), summaries: { [id('Amount')]: 'max' } });
    const link = await owner.post(`/api/w/${ws}/sheets/Deals/views`, { name: 'By company', type: 'grid', config: { groupBy: 'Company' } });
    expect(link.status).toBe(400);
    expect(link.body.error.details.fields['config.groupBy']).toMatch(/select, text, number, date or user/);
    const bogus = await owner.post(`/api/w/${ws}/sheets/Deals/views`, { name: 'Bogus', type: 'grid', config: { summaries: { Amount: 'median' } } });
    expect(bogus.status).toBe(400);
    // A kanban is still grouped by a single select only.
    const kanban = await owner.post(`/api/w/${ws}/sheets/Deals/views`, { name: 'Board', type: 'kanban', config: { groupBy: 'Region' } });
    expect(kanban.status).toBe(400);
  });
});

describe('summary and access', () => {
  let t: TeamWorkspace;
  beforeAll(async () => {
    t = await setupTeamWorkspace();
  });
  afterAll(async () => {
    await t?.server.close();
  });
  const teamSummary = (client: Client, params: Record<string, string>) => client.get(`/api/w/${t.ws}/sheets/Leads/summary?${new URLSearchParams(params)}`);

  it('a sales rep sums only their own rows; the owner all', async () => {
    const ownerLeads = await allRecords(t.as.owner, t.ws, 'Leads');
    const repLeads = await allRecords(t.as.rep, t.ws, 'Leads');
    expect(repLeads.length).toBeLessThan(ownerLeads.length);
    const all = await teamSummary(t.as.owner, { groupBy: 'Status', values: 'count,sum(Cost)' });
    expect(all.status).toBe(200);
    expect(all.body.total).toEqual([ownerLeads.length, sum(ownerLeads.map((l) => l.fields.Cost ?? 0))]);
    const rep = await teamSummary(t.as.rep, { groupBy: 'Status', values: 'count' });
    expect(rep.status, JSON.stringify(rep.body)).toBe(200);
    expect(rep.body.total).toEqual([repLeads.length]);
    const statuses = expected(repLeads, (r) => [r.fields.Status ?? null]);
    for (const row of rep.body.rows) expect(row.values[0]).toBe(statuses.get(JSON.stringify(row.group[0]))!.length);
    // Grouped by a link, the rep sees only the accounts of their leads, counting only their leads.
    const byAccount = await teamSummary(t.as.rep, { groupBy: 'Account' });
    expect(sum(byAccount.body.rows.map((r: { values: number[] }) => r.values[0]))).toBe(repLeads.length);
  });

  it('a hidden field is an unknown one, in groupBy and in values', async () => {
    for (const params of [{ values: 'sum(Cost)' }, { groupBy: 'Cost' }, { values: 'filled(Double cost)' }] as Record<string, string>[]) {
      const res = await teamSummary(t.as.rep, params);
      expect(res.status, JSON.stringify(params)).toBe(400);
      expect(Object.values(res.body.error.details.fields)).toEqual([expect.stringMatching(/^unknown field "(Cost|Double cost)"$/)]);
    }
    const owners = await teamSummary(t.as.owner, { values: 'sum(Cost)' });
    expect(owners.status).toBe(200);
  });
});

/**
 * Issue 17 item 3: the Maven CRM data (tests/fixtures/maven-crm) imported as tests/imports.test.ts does, then won
 * close value per agent, per manager (a lookup through the agent link), per product series (a lookup through the
 * product link) and per close month, each against the same sums taken from the CSV here.
 */
describe('summaries of the Maven CRM pipeline', () => {
  let maven: TestServer;
  let client: Client;
  let mws: string;
  const read = (name: string) => readFileSync(new URL(`./fixtures/maven-crm/${name}`, import.meta.url), 'utf8');
  let won: Record<string, string>[];

  async function importSheet(file: string, sheet: string, changes: Record<string, unknown>) {
    const upload = await uploadImport(client, mws, file, read(file));
    const suggested = (await client.get(`/api/w/${mws}/imports/${upload.id}/mapping`)).body.mapping;
    return runImport(client, mws, upload.id, { newSheet: sheet, mapping: { ...suggested, ...changes }, mode: 'insert', onError: 'skip' });
  }

  beforeAll(async () => {
    maven = await startTestServer({ jobs: true });
    ({ client, workspaceId: mws } = await maven.setup());
    await importSheet('accounts.csv', 'Accounts', { account: { new: { name: 'Account', type: 'text' } }, subsidiary_of: null });
    await importSheet('products.csv', 'Products', { product: { new: { name: 'Name', type: 'text' } } });
    await importSheet('sales_teams.csv', 'Sales teams', { sales_agent: { new: { name: 'Name', type: 'text' } } });
    const link = (name: string, sheet: string) => ({ new: { name, type: 'link', options: { sheet, relationship: 'many_to_one', inverseName: 'Opportunities' } } });
    const done = await importSheet('sales_pipeline.csv', 'Opportunities', {
      opportunity_id: { new: { name: 'Opportunity', type: 'text' } },
      sales_agent: link('Agent', 'Sales teams'),
      product: link('Product', 'Products'),
      account: link('Account', 'Accounts'),
      close_value: { new: { name: 'Close value', type: 'currency', options: { currency: 'USD', precision: 0 } } },
      engage_quarter: null,
      close_quarter: null,
    });
    expect(done.status).toBe('done');
    await ok(client.post(`/api/w/${mws}/sheets/Opportunities/fields`, { name: 'Manager', type: 'lookup', options: { link: 'Agent', field: 'manager' } }));
    await ok(client.post(`/api/w/${mws}/sheets/Opportunities/fields`, { name: 'Series', type: 'lookup', options: { link: 'Product', field: 'series' } }));
    // The rows the import wrote: all but those of the product nobody has (GTXPro, skipped and listed by the import).
    won = csvObjects(read('sales_pipeline.csv')).filter((r) => r.deal_stage === 'Won' && r.product !== 'GTXPro');
  }, 300_000);
  afterAll(async () => {
    await maven?.close();
  });

  const WON = { '==': [{ var: 'deal_stage' }, 'Won'] };
  /** The summary's groups as {key: [count, sum]}; `key` reads a group value as text. */
  async function wonBy(groupBy: string, key: (g: unknown) => string) {
    const query = new URLSearchParams({ groupBy, values: 'count,sum(Close value)', filter: JSON.stringify(WON) });
    const res = await client.get(`/api/w/${mws}/sheets/Opportunities/summary?${query}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.total).toEqual([won.length, sum(won.map((r) => Number(r.close_value)))]);
    return Object.fromEntries(res.body.rows.map((r: { group: unknown[]; values: number[] }) => [key(r.group[0]), r.values]));
  }
  /** The same from the CSV rows. */
  function fromCsv(key: (r: Record<string, string>) => string) {
    const out: Record<string, number[]> = {};
    for (const r of won) {
      const k = key(r);
      out[k] = [(out[k]?.[0] ?? 0) + 1, (out[k]?.[1] ?? 0) + Number(r.close_value)];
    }
    return out;
  }
  const teams = () => new Map(csvObjects(read('sales_teams.csv')).map((t) => [t.sales_agent!, t]));
  const series = () => new Map(csvObjects(read('products.csv')).map((p) => [p.product!, p.series!]));

  it('won close value by sales agent', async () => {
    expect(await wonBy('Agent', (g) => (g as { title: string }).title)).toEqual(fromCsv((r) => r.sales_agent!));
  });

  it('won close value by manager, through the agent link', async () => {
    const managers = teams();
    expect(await wonBy('Manager', (g) => String(g))).toEqual(fromCsv((r) => managers.get(r.sales_agent!)!.manager!));
  });

  it('won close value by product series, through the product link', async () => {
    const of = series();
    expect(await wonBy('Series', (g) => String(g))).toEqual(fromCsv((r) => of.get(r.product!)!));
  });

  it('won close value by close month', async () => {
    // close_date is day-month-two-digit-year: 01-03-17 is 2017-03-01.
    expect(await wonBy('close_date:month', (g) => String(g))).toEqual(fromCsv((r) => `20${r.close_date!.slice(6, 8)}-${r.close_date!.slice(3, 5)}`));
  });
});
