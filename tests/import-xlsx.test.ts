import writeExcelFile from 'write-excel-file/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allRecords, runImport, uploadImport } from './helpers/imports.js';
import { uploadTo } from './helpers/files.js';
import { startTestServer, type Client, type TestServer } from './helpers/server.js';

/**
 * XLSX written by another library than the server reads with (write-excel-file writes, exceljs reads): typed cells
 * (numbers with their formats, dates as serial numbers with a date format, booleans), a title row and merged header
 * cells over sub-headers, several worksheets of which one is chosen.
 */
let server: TestServer;
let owner: Client;
let ws: string;

beforeAll(async () => {
  server = await startTestServer({ jobs: true });
  ({ client: owner, workspaceId: ws } = await server.setup());
});
afterAll(async () => {
  await server?.close();
});

const day = (text: string) => new Date(`${text}T00:00:00.000Z`);

/** Deals: a title over the table, "Contact" merged over "Email" and "Phone", the other headers merged down two rows. */
function dealsSheet() {
  const header = (value: string) => ({ value, rowSpan: 2 });
  const rows: unknown[][] = [
    [{ value: 'Deals 2026', columnSpan: 8 }, null, null, null, null, null, null, null],
    [header('Name'), header('Amount'), { value: 'Contact', columnSpan: 2 }, null, header('Closed'), header('Close date'), header('Share'), header('Price')],
    [null, null, { value: 'Email' }, { value: 'Phone' }, null, null, null, null],
  ];
  const deals = [
    ['Acme renewal', 120000.5, 'ann@acme.test', '02-2345-6789', true, '2026-03-01', 0.25, 1500],
    ['Globex', 900, 'bob@globex.test', '0912-345-678', false, '2026-11-22', 0.5, 32000],
    ['台北 Initech', 1234.56, 'li@initech.test', '+886 2 2345 6789', true, '2027-01-31', 0.125, 99],
  ] as const;
  for (const [name, amount, email, phone, closed, date, share, price] of deals) {
    rows.push([
      { value: name },
      { value: amount, format: '#,##0.00' },
      { value: email },
      { value: phone },
      { value: closed },
      { value: day(date), format: 'yyyy/mm/dd' },
      { value: share, format: '0.0%' },
      { value: price, format: '"NT$"#,##0' },
    ]);
  }
  return rows;
}

async function workbook() {
  return writeExcelFile([
    { data: [[{ value: 'Read me: the deals are on the next sheet' }]] as never, sheet: 'Notes' },
    { data: dealsSheet() as never, sheet: 'Deals' },
    { data: [[{ value: 'Meeting' }, { value: 'At' }], [{ value: 'Kick-off' }, { value: new Date('2026-03-01T09:30:00.000Z'), format: 'yyyy-mm-dd hh:mm' }]] as never, sheet: 'Meetings' },
  ]).toBuffer();
}

describe('XLSX', () => {
  it('reads the first worksheet, lists them all, and reads another when chosen', async () => {
    const file = await workbook();
    const first = await uploadImport(owner, ws, 'deals.xlsx', file);
    expect(first).toMatchObject({ format: 'xlsx', worksheet: 'Notes', worksheets: ['Notes', 'Deals', 'Meetings'], rowCount: 0 });
    expect(first.columns.map((c: { name: string }) => c.name)).toEqual(['Read me: the deals are on the next sheet']);

    const deals = await owner.post(`/api/w/${ws}/imports/${first.id}/preview`, { worksheet: 'Deals' });
    expect(deals.status).toBe(200);
    expect(deals.body).toMatchObject({ worksheet: 'Deals', rowCount: 3 });
    const columns = Object.fromEntries(deals.body.columns.map((c: { name: string; type: string; options: unknown }) => [c.name, [c.type, c.options]]));
    expect(columns).toEqual({
      Name: ['text', {}],
      Amount: ['number', { precision: 2 }],
      'Contact Email': ['email', {}],
      'Contact Phone': ['phone', {}],
      Closed: ['checkbox', {}],
      'Close date': ['date', {}],
      Share: ['percent', { precision: 1 }],
      Price: ['currency', { currency: 'TWD', precision: 0 }],
    });

    const missing = await owner.post(`/api/w/${ws}/imports/${first.id}/preview`, { worksheet: 'Nope' });
    expect(missing.status).toBe(400);
    expect(missing.body.error.details.fields.worksheet).toContain('Notes", "Deals", "Meetings');
  });

  it('imports the typed cells as their types', async () => {
    const upload = await uploadImport(owner, ws, 'deals.xlsx', await workbook(), { worksheet: 'Deals' });
    expect(upload.worksheet).toBe('Deals');
    const mapping = (await owner.get(`/api/w/${ws}/imports/${upload.id}/mapping`)).body.mapping;
    const done = await runImport(owner, ws, upload.id, { newSheet: 'Deals', mapping, mode: 'insert', onError: 'abort' });
    expect(done).toMatchObject({ status: 'done', inserted: 3, problemCount: 0 });
    const records = (await allRecords(owner, ws, 'Deals')).map((r) => r.fields);
    expect(records).toEqual([
      { Name: 'Acme renewal', Amount: 120000.5, 'Contact Email': 'ann@acme.test', 'Contact Phone': '02-2345-6789', Closed: true, 'Close date': '2026-03-01', Share: 0.25, Price: 1500 },
      { Name: 'Globex', Amount: 900, 'Contact Email': 'bob@globex.test', 'Contact Phone': '0912-345-678', 'Close date': '2026-11-22', Share: 0.5, Price: 32000 },
      { Name: '台北 Initech', Amount: 1234.56, 'Contact Email': 'li@initech.test', 'Contact Phone': '+886 2 2345 6789', Closed: true, 'Close date': '2027-01-31', Share: 0.125, Price: 99 },
    ]);
    const sheet = (await owner.get(`/api/w/${ws}/sheets/Deals`)).body;
    expect(sheet.fields.find((f: { name: string }) => f.name === 'Price').options).toMatchObject({ currency: 'TWD' });
  });

  it('reads a date with a time in the workspace time zone, and names the columns under a merged header without sub-headers', async () => {
    expect((await owner.patch(`/api/w/${ws}/settings`, { timeZone: 'Asia/Taipei' })).status).toBe(200);
    const meetings = await uploadImport(owner, ws, 'deals.xlsx', await workbook(), { worksheet: 'Meetings' });
    expect(meetings.columns.map((c: { type: string }) => c.type)).toEqual(['text', 'datetime']);
    const mapping = (await owner.get(`/api/w/${ws}/imports/${meetings.id}/mapping`)).body.mapping;
    expect((await runImport(owner, ws, meetings.id, { newSheet: 'Meetings', mapping, mode: 'insert', onError: 'abort' })).status).toBe('done');
    // 09:30 on the workbook's clock is 09:30 in Taipei, 01:30 UTC.
    expect((await allRecords(owner, ws, 'Meetings'))[0]!.fields).toEqual({ Meeting: 'Kick-off', At: '2026-03-01T01:30:00.000Z' });

    const spans = await writeExcelFile([
      [{ value: 'Item' }, { value: 'Amount', columnSpan: 2 }, null],
      [{ value: 'Pens' }, { value: 10 }, { value: 12 }],
      [{ value: 'Ink' }, { value: 3 }, { value: 4 }],
    ] as never).toBuffer();
    const merged = await uploadImport(owner, ws, 'spans.xlsx', spans);
    expect(merged.columns.map((c: { name: string }) => c.name)).toEqual(['Item', 'Amount', 'Amount (2)']);
    expect(merged.rowCount).toBe(2);
  });

  it('refuses what is no spreadsheet it can read, naming the file', async () => {
    const xls = await uploadTo(owner, `/api/w/${ws}/imports`, 'old.xls', 'application/vnd.ms-excel', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]));
    expect(xls.status).toBe(400);
    expect(xls.body.error.message).toContain('.xls');
    const broken = await uploadTo(owner, `/api/w/${ws}/imports`, 'broken.xlsx', 'application/zip', Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(200, 7)]));
    expect(broken.status).toBe(400);
    expect(broken.body.error.details.fields).toHaveProperty('file');
  });
});
