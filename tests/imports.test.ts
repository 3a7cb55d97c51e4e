import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allRecords, csvObjects, runImport, uploadImport } from './helpers/imports.js';
import { startTestServer, type Client, type TestServer } from './helpers/server.js';

/**
 * The Maven CRM sample data (tests/fixtures/maven-crm, a copy of ../shared/datasets/maven-crm) imported through the API as the wizard would: accounts,
 * products and sales teams into new sheets, then the 8,800-row pipeline linking accounts, products and agents by
 * name. Every row is accounted for; the one product written differently (GTXPro) is listed, not dropped.
 */
const DATA = new URL('./fixtures/maven-crm/', import.meta.url);
const read = (name: string) => readFileSync(new URL(name, DATA), 'utf8');

let server: TestServer;
let owner: Client;
let ws: string;
let pipeline: any;

beforeAll(async () => {
  server = await startTestServer({ jobs: true });
  ({ client: owner, workspaceId: ws } = await server.setup());
});
afterAll(async () => {
  await server?.close();
});

/** The new-sheet mapping the server suggests, with some columns changed. */
async function mapping(id: string, changes: Record<string, unknown> = {}) {
  const res = await owner.get(`/api/w/${ws}/imports/${id}/mapping`);
  expect(res.status).toBe(200);
  return { ...res.body.mapping, ...changes };
}

describe('importing the Maven CRM data', () => {
  it('previews a CSV with its columns typed from the data', async () => {
    const accounts = await uploadImport(owner, ws, 'accounts.csv', read('accounts.csv'));
    expect(accounts).toMatchObject({ format: 'csv', encoding: 'utf-8', delimiter: ',', rowCount: 85, processed: 0, problems: [] });
    const types = Object.fromEntries(accounts.columns.map((c: { name: string; type: string }) => [c.name, c.type]));
    expect(types).toEqual({
      account: 'text',
      sector: 'single_select',
      year_established: 'number',
      revenue: 'number',
      employees: 'number',
      office_location: 'single_select',
      subsidiary_of: 'single_select',
    });
    expect(accounts.columns[0].samples).toEqual(['Acme Corporation', 'Betasoloin', 'Betatech', 'Bioholding', 'Bioplex']);
    const sector = accounts.columns.find((c: { name: string }) => c.name === 'sector');
    expect(sector.options.choices.map((c: { name: string }) => c.name)).toContain('technolgy');

    const done = await runImport(owner, ws, accounts.id, {
      newSheet: 'Accounts',
      mapping: await mapping(accounts.id, {
        account: { new: { name: 'Account', type: 'text', unique: true } },
        revenue: { new: { name: 'Revenue', type: 'currency', options: { currency: 'USD', precision: 2 } } },
        subsidiary_of: null,
      }),
      mode: 'insert',
      onError: 'abort',
    });
    expect(done).toMatchObject({ status: 'done', rowCount: 85, processed: 85, inserted: 85, updated: 0, skipped: 0, problems: [], problemCount: 0 });
    const records = await allRecords(owner, ws, 'Accounts');
    expect(records).toHaveLength(85);
    const acme = records.find((r) => r.fields.Account === 'Acme Corporation')!;
    expect(acme.fields).toMatchObject({ sector: 'technolgy', year_established: 1996, Revenue: 1100.04, employees: 2822, office_location: 'United States' });
  });

  it('imports products and sales teams', async () => {
    for (const [file, sheet, key] of [
      ['products.csv', 'Products', 'product'],
      ['sales_teams.csv', 'Sales teams', 'sales_agent'],
    ] as const) {
      const upload = await uploadImport(owner, ws, file, read(file));
      const done = await runImport(owner, ws, upload.id, {
        newSheet: sheet,
        mapping: await mapping(upload.id, { [key]: { new: { name: 'Name', type: 'text' } } }),
        mode: 'insert',
        onError: 'abort',
      });
      expect(done).toMatchObject({ status: 'done', inserted: upload.rowCount, problemCount: 0 });
    }
    expect((await allRecords(owner, ws, 'Products')).map((r) => r.fields.Name)).toContain('GTX Pro');
  });

  it('imports the 8,800-row pipeline, linking accounts, products and agents by name, every row accounted for', async () => {
    const upload = await uploadImport(owner, ws, 'sales_pipeline.csv', read('sales_pipeline.csv'));
    expect(upload.rowCount).toBe(8800);
    const column = (name: string) => upload.columns.find((c: { name: string }) => c.name === name);
    expect(column('engage_date')).toMatchObject({ type: 'date', dateOrder: 'dmy' });
    expect(column('close_date')).toMatchObject({ type: 'date', dateOrder: 'dmy' });
    expect(column('close_value').type).toBe('number');
    expect(upload.dateOrder).toBe('dmy');

    const link = (name: string, sheet: string, inverseName: string) => ({ new: { name, type: 'link', options: { sheet, relationship: 'many_to_one', inverseName } } });
    pipeline = await runImport(owner, ws, upload.id, {
      newSheet: 'Opportunities',
      mapping: await mapping(upload.id, {
        opportunity_id: { new: { name: 'Opportunity', type: 'text' } },
        sales_agent: link('Agent', 'Sales teams', 'Opportunities'),
        product: link('Product', 'Products', 'Opportunities'),
        account: link('Account', 'Accounts', 'Opportunities'),
        close_value: { new: { name: 'Close value', type: 'currency', options: { currency: 'USD', precision: 0 } } },
        engage_quarter: null,
        close_quarter: null,
      }),
      mode: 'insert',
      onError: 'skip',
    });
    expect(pipeline.status).toBe('done');
    const rows = csvObjects(read('sales_pipeline.csv'));
    const gtxPro = rows.filter((r) => r.product === 'GTXPro');
    expect(gtxPro.length).toBeGreaterThan(0);
    // Every row is written or listed: the rows with the product nobody has are the skipped ones, each listed once.
    expect(pipeline.inserted + pipeline.updated + pipeline.skipped).toBe(8800);
    expect(pipeline.processed).toBe(8800);
    expect(pipeline.skipped).toBe(gtxPro.length);
    expect(pipeline.problemCount).toBe(gtxPro.length);
    expect(pipeline.problems[0]).toEqual({ row: expect.any(Number), column: 'product', value: 'GTXPro', reason: '"GTXPro" matches no record of "Products" (by "Name")' });
    expect(pipeline.problems.length).toBe(Math.min(1000, gtxPro.length));
    for (const problem of pipeline.problems) {
      expect(problem).toMatchObject({ column: 'product', value: 'GTXPro' });
      // Row 1 is the header: data row n is row n + 1.
      expect(rows[problem.row - 2]!.product).toBe('GTXPro');
    }
    const records = await allRecords(owner, ws, 'Opportunities');
    expect(records).toHaveLength(8800 - gtxPro.length);
  });

  it('reads day-first two-digit-year dates, leaves empty values empty and links by name', async () => {
    const find = async (id: string) => {
      const filter = encodeURIComponent(JSON.stringify({ '==': [{ var: 'Opportunity' }, id] }));
      const res = await owner.get(`/api/w/${ws}/sheets/Opportunities/records?filter=${filter}`);
      expect(res.body.records).toHaveLength(1);
      return res.body.records[0];
    };
    // 1C1I7A6R,Moses Frase,GTX Plus Basic,Cancity,Won,20-10-16,01-03-17,1054
    const won = await find('1C1I7A6R');
    expect(won.fields).toMatchObject({ engage_date: '2016-10-20', close_date: '2017-03-01', 'Close value': 1054, deal_stage: 'Won' });
    expect(won.fields.Account).toEqual([{ id: expect.any(String), title: 'Cancity' }]);
    expect(won.fields.Product).toEqual([{ id: expect.any(String), title: 'GTX Plus Basic' }]);
    expect(won.fields.Agent).toEqual([{ id: expect.any(String), title: 'Moses Frase' }]);
    // HAXMC4IX,James Ascencio,MG Advanced,,Engaging,03-11-16,,,Q4 2016,
    const open = await find('HAXMC4IX');
    expect(open.fields).toMatchObject({ engage_date: '2016-11-03', deal_stage: 'Engaging' });
    for (const empty of ['close_date', 'Close value', 'Account']) expect(open.fields).not.toHaveProperty(empty);
  });

  it("sums won deals' close value per account to what the CSV itself says", async () => {
    const formula = await owner.post(`/api/w/${ws}/sheets/Opportunities/fields`, { name: 'Won value', type: 'formula', options: { expression: 'IF({deal_stage} = "Won", {Close value}, 0)' } });
    expect(formula.status).toBe(201);
    const rollup = await owner.post(`/api/w/${ws}/sheets/Accounts/fields`, { name: 'Won total', type: 'rollup', options: { link: 'Opportunities', field: 'Won value', fn: 'sum' } });
    expect(rollup.status).toBe(201);
    const expected = new Map<string, number>();
    for (const row of csvObjects(read('sales_pipeline.csv'))) {
      if (row.deal_stage !== 'Won' || !row.account || row.product === 'GTXPro') continue;
      expected.set(row.account, (expected.get(row.account) ?? 0) + Number(row.close_value));
    }
    const accounts = await allRecords(owner, ws, 'Accounts');
    expect(expected.size).toBeGreaterThan(50);
    for (const account of accounts) expect(account.fields['Won total'] ?? 0, account.fields.Account).toBe(expected.get(account.fields.Account) ?? 0);
  });

  it('says in the history that the records came from the import, and lists every problem in the CSV', async () => {
    const [first] = await allRecords(owner, ws, 'Opportunities');
    const history = await owner.get(`/api/w/${ws}/sheets/Opportunities/records/${first!.id}/history`);
    expect(history.body[0]).toMatchObject({ action: 'create', via: { importId: pipeline.id, number: pipeline.number, name: `Import ${pipeline.number} (sales_pipeline.csv)` } });

    const csv = await owner.get(`/api/w/${ws}/imports/${pipeline.id}/problems.csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(String(csv.headers['content-disposition'])).toContain(`import-${pipeline.number}-problems.csv`);
    const lines = (csv.body as string).split('\r\n').filter(Boolean);
    expect(lines[0]).toBe('\ufeffrow,column,value,reason');
    expect(lines).toHaveLength(pipeline.problemCount + 1);
    expect(lines[1]).toBe(`${pipeline.problems[0].row},product,GTXPro,"""GTXPro"" matches no record of ""Products"" (by ""Name"")"`);

    const audit = await owner.get(`/api/w/${ws}/audit`);
    const actions = (audit.body.entries as { action: string; target: { id: string } }[]).filter((e) => e.target.id === pipeline.id).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['import.create', 'import.start', 'import.done']));
    const list = await owner.get(`/api/w/${ws}/imports`);
    expect(list.body.map((i: { id: string }) => i.id)).toContain(pipeline.id);
  });
});
