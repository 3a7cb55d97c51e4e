import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { download, parseCsv } from './helpers/export.js';
import { upload } from './helpers/files.js';
import { startTestServer, type Client, type TestServer } from './helpers/server.js';

/**
 * GET /api/w/:ws/sheets/:sheet/export (API.md "Import and export"): CSV and XLSX of the rows and fields the caller may
 * read, as the listing selects them, with typed XLSX cells and text escaped against formula injection. The
 * permissions of a sales rep, and streaming, are in export-access.test.ts and export-stream.test.ts.
 */

let server: TestServer;
let owner: Client;
let token: string;
let ws: string;
const SHEET = '客戶 Deals';

/** Text a spreadsheet could run as a formula: each first character OWASP names. */
const DANGEROUS = ['=1+2', '+1+2', '-1+2', '@SUM(A1)', '\t=1+2', '\r=1+2'];
/** Those that can be choice names and primary values too (choice names are trimmed, so no tab or CR). */
const VISIBLE_DANGEROUS = DANGEROUS.slice(0, 4);

async function ok(res: Promise<{ status: number; body: any }>, status = 201) {
  const answer = await res;
  if (answer.status !== status) throw new Error(`expected ${status}, got ${answer.status}: ${JSON.stringify(answer.body)}`);
  return answer.body;
}

const exportUrl = (query: string, sheet = SHEET) => `/api/w/${ws}/sheets/${encodeURIComponent(sheet)}/export?${query}`;

async function csv(query: string): Promise<string[][]> {
  const res = await download(server.app, token, exportUrl(`format=csv&${query}`));
  expect(res.status, res.bytes.toString()).toBe(200);
  return parseCsv(res.bytes.subarray(3).toString('utf8'));
}

async function xlsx(query: string): Promise<ExcelJS.Worksheet> {
  const res = await download(server.app, token, exportUrl(`format=xlsx&${query}`));
  expect(res.status, res.bytes.toString()).toBe(200);
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(res.bytes as unknown as ExcelJS.Buffer);
  return book.worksheets[0]!;
}

/** Text as an XML reader gives it back: XML reads a carriage return as a line feed (XML 1.0, 2.11). */
const xmlText = (text: string) => text.replaceAll('\r', '\n');

/** A worksheet's cells by header name, one object per data row. */
function cellsByName(sheet: ExcelJS.Worksheet): Map<string, ExcelJS.Cell>[] {
  const header = (sheet.getRow(1).values as unknown[]).slice(1).map(String);
  const rows: Map<string, ExcelJS.Cell>[] = [];
  for (let r = 2; r <= sheet.rowCount; r++) rows.push(new Map(header.map((name, i) => [name, sheet.getRow(r).getCell(i + 1)])));
  return rows;
}

beforeAll(async () => {
  server = await startTestServer();
  ({ client: owner, workspaceId: ws } = await server.setup());
  token = (await ok(owner.post('/api/tokens', { name: 'export' }))).token;
  await ok(owner.patch(`/api/w/${ws}/settings`, { timeZone: 'Asia/Taipei' }), 200);
  await ok(owner.post(`/api/w/${ws}/sheets`, { name: 'Accounts', fields: [{ name: 'Name', type: 'text' }] }));
  const accounts = await ok(
    owner.post(`/api/w/${ws}/sheets/Accounts/records`, { records: ['Acme 股份', ...VISIBLE_DANGEROUS.map((p) => `${p}acct`)].map((Name) => ({ fields: { Name } })) }),
  );
  const accountIds = (accounts.records as { id: string }[]).map((r) => r.id);
  await ok(
    owner.post(`/api/w/${ws}/sheets`, {
      name: SHEET,
      fields: [
        { name: 'Name', type: 'text' },
        { name: 'Amount', type: 'currency', options: { currency: 'EUR', precision: 2 } },
        { name: 'Qty', type: 'number', options: { precision: 0 } },
        { name: 'Rate', type: 'percent', options: { precision: 1 } },
        { name: 'Close', type: 'date' },
        { name: 'Met', type: 'datetime' },
        { name: 'Won', type: 'checkbox' },
        { name: 'Stage', type: 'single_select', options: { choices: [{ name: 'New' }, { name: 'Won' }] } },
        { name: 'Tags', type: 'multi_select', options: { choices: [{ name: 'VIP' }, ...VISIBLE_DANGEROUS.map((p) => ({ name: `${p}tag` }))] } },
        { name: 'Account', type: 'link', options: { sheet: 'Accounts', relationship: 'many_to_one', inverseName: 'Deals' } },
        { name: 'Score', type: 'rating' },
        { name: 'Files', type: 'attachment' },
        { name: 'Notes', type: 'long_text' },
      ],
    }),
  );
  await ok(owner.post(`/api/w/${ws}/sheets/${encodeURIComponent(SHEET)}/fields`, { name: 'Account name', type: 'lookup', options: { link: 'Account', field: 'Name' } }));
  await ok(owner.post(`/api/w/${ws}/sheets/${encodeURIComponent(SHEET)}/fields`, { name: 'Total', type: 'formula', options: { expression: '{Amount} * {Qty}' } }));
  const file = (await ok(upload(owner, ws, '報價 quote.txt', 'text/plain', 'quote'))).id;
  await ok(
    owner.post(`/api/w/${ws}/sheets/${encodeURIComponent(SHEET)}/records`, {
      records: [
        {
          fields: {
            Name: '台北客戶',
            Amount: 1234.5,
            Qty: 3,
            Rate: 0.255,
            Close: '2026-11-22',
            Met: '2026-11-22T09:30:00.000Z',
            Won: true,
            Stage: 'Won',
            Tags: ['VIP'],
            Account: [accountIds[0]],
            Score: 4,
            Files: [file],
            Notes: '第一行\nline two, "quoted"',
          },
        },
        ...DANGEROUS.map((p, i) => ({
          fields: {
            Name: `${p}name`,
            Qty: 10 + i,
            Notes: `${p}note`,
            ...(i < VISIBLE_DANGEROUS.length ? { Tags: [`${p}tag`], Account: [accountIds[i + 1]] } : {}),
          },
        })),
      ],
    }),
  );
});
afterAll(() => server.close());

describe('CSV', () => {
  it('is UTF-8 with a BOM, a header of field names, and values as spreadsheets read them', async () => {
    const res = await download(server.app, token, exportUrl('format=csv'));
    expect(res.status).toBe(200);
    expect([...res.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    // The sheet's name in UTF-8 (RFC 5987), and an ASCII stand-in for older clients.
    expect(res.headers['content-disposition']).toBe(`attachment; filename="__ Deals.csv"; filename*=UTF-8''%E5%AE%A2%E6%88%B6%20Deals.csv`);
    const [header, first] = parseCsv(res.bytes.subarray(3).toString('utf8'));
    expect(header).toEqual(['Name', 'Amount', 'Qty', 'Rate', 'Close', 'Met', 'Won', 'Stage', 'Tags', 'Account', 'Score', 'Files', 'Notes', 'Account name', 'Total']);
    expect(Object.fromEntries(header!.map((name, i) => [name, first![i]]))).toEqual({
      Name: '台北客戶',
      Amount: '1234.50',
      Qty: '3',
      Rate: '25.5%',
      Close: '2026-11-22',
      // In the workspace's time zone (Asia/Taipei, UTC+8).
      Met: '2026-11-22 17:30:00',
      Won: 'TRUE',
      Stage: 'Won',
      Tags: 'VIP',
      Account: 'Acme 股份',
      Score: '4',
      Files: '報價 quote.txt',
      Notes: '第一行\nline two, "quoted"',
      'Account name': 'Acme 股份',
      // A formula of a currency reads as that currency.
      Total: '3703.50',
    });
  });

  it('escapes every dangerous first character with a single quote, in text, link titles, lookups and choices', async () => {
    const rows = await csv('');
    const [header, , ...dangerous] = rows;
    const column = (name: string) => header!.indexOf(name);
    expect(dangerous).toHaveLength(DANGEROUS.length);
    DANGEROUS.forEach((p, i) => {
      const row = dangerous[i]!;
      expect(row[column('Name')]).toBe(`'${p}name`);
      expect(row[column('Notes')]).toBe(`'${p}note`);
      expect(row[column('Won')]).toBe('FALSE');
      if (i < VISIBLE_DANGEROUS.length) {
        expect(row[column('Tags')]).toBe(`'${p}tag`);
        expect(row[column('Account')]).toBe(`'${p}acct`);
        expect(row[column('Account name')]).toBe(`'${p}acct`);
      }
    });
    for (const cell of rows.flat()) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });

  it('follows the filter, sort, search and fields of the listing', async () => {
    expect(await csv('fields=Qty,Name&sort=-Qty&filter=' + encodeURIComponent(JSON.stringify({ '<': [{ var: 'Qty' }, 12] })))).toEqual([
      ['Qty', 'Name'],
      ['11', `'+1+2name`],
      ['10', `'=1+2name`],
      ['3', '台北客戶'],
    ]);
    expect(await csv(`fields=Name&search=${encodeURIComponent('台北')}`)).toEqual([['Name'], ['台北客戶']]);
    expect(await csv(`fields=Name,Stage&filter=${encodeURIComponent(JSON.stringify({ '==': [{ var: 'Stage' }, 'Won'] }))}`)).toEqual([['Name', 'Stage'], ['台北客戶', 'Won']]);
  });

  it('exports a view: its filter, sort and visible fields in its order; parameters given replace the view’s', async () => {
    const view = await ok(
      owner.post(`/api/w/${ws}/sheets/${encodeURIComponent(SHEET)}/views`, {
        name: 'Big orders',
        config: {
          filter: { '>=': [{ var: 'Qty' }, 13] },
          sort: '-Qty',
          fieldOrder: ['Qty', 'Name', 'Stage'],
          hiddenFields: ['Amount', 'Rate', 'Close', 'Met', 'Won', 'Tags', 'Account', 'Score', 'Files', 'Notes', 'Account name', 'Total'],
        },
      }),
    );
    // The primary field always comes first, as in the grid.
    const byName = await csv('view=Big%20orders');
    expect(byName).toEqual([
      ['Name', 'Qty', 'Stage'],
      [`'\r=1+2name`, '15', ''],
      [`'\t=1+2name`, '14', ''],
      [`'@SUM(A1)name`, '13', ''],
    ]);
    expect(await csv(`view=${view.id}`)).toEqual(byName);
    expect((await csv(`view=${view.id}&sort=Qty&fields=Qty`)).map((r) => r[0])).toEqual(['Qty', '13', '14', '15']);
    expect((await csv(`view=${view.id}&search=SUM&fields=Qty`)).map((r) => r[0])).toEqual(['Qty', '13']);
  });
});

describe('XLSX', () => {
  it('has typed cells: numbers with their formats, real dates, booleans, titles and names as text', async () => {
    const sheet = await xlsx('');
    expect(sheet.name).toBe(SHEET);
    const [first] = cellsByName(sheet);
    const cell = (name: string) => first!.get(name)!;
    expect(cell('Name').value).toBe('台北客戶');
    expect(cell('Amount').type).toBe(ExcelJS.ValueType.Number);
    expect(cell('Amount').value).toBe(1234.5);
    expect(cell('Amount').numFmt).toBe('"€"#,##0.00');
    expect(cell('Qty').value).toBe(3);
    expect(cell('Qty').numFmt).toBe('#,##0');
    expect(cell('Rate').value).toBe(0.255);
    expect(cell('Rate').numFmt).toBe('0.0%');
    expect(cell('Close').type).toBe(ExcelJS.ValueType.Date);
    expect(cell('Close').value).toEqual(new Date(Date.UTC(2026, 10, 22)));
    expect(cell('Close').numFmt).toBe('yyyy-mm-dd');
    // Spreadsheets have no time zones: the workspace's wall clock (Asia/Taipei).
    expect(cell('Met').value).toEqual(new Date(Date.UTC(2026, 10, 22, 17, 30)));
    expect(cell('Met').numFmt).toBe('yyyy-mm-dd hh:mm:ss');
    expect(cell('Won').type).toBe(ExcelJS.ValueType.Boolean);
    expect(cell('Won').value).toBe(true);
    expect(cell('Score').value).toBe(4);
    expect(cell('Total').value).toBe(3703.5);
    expect(cell('Total').numFmt).toBe('"€"#,##0.00');
    expect(cell('Account').value).toBe('Acme 股份');
    expect(cell('Account name').value).toBe('Acme 股份');
    expect(cell('Files').value).toBe('報價 quote.txt');
    expect(cell('Notes').value).toBe('第一行\nline two, "quoted"');
  });

  it('writes text starting with a dangerous character as a plain string cell, never a formula', async () => {
    const rows = cellsByName(await xlsx(''));
    DANGEROUS.forEach((p, i) => {
      const row = rows[i + 1]!;
      const texts = [row.get('Name')!, row.get('Notes')!, ...(i < VISIBLE_DANGEROUS.length ? [row.get('Tags')!, row.get('Account')!, row.get('Account name')!] : [])];
      for (const cell of texts) {
        expect(cell.type).toBe(ExcelJS.ValueType.String);
        expect(cell.formula).toBeUndefined();
      }
      const text = xmlText(p);
      expect(texts.map((c) => c.value)).toEqual([`${text}name`, `${text}note`, ...(i < VISIBLE_DANGEROUS.length ? [`${text}tag`, `${text}acct`, `${text}acct`] : [])]);
      expect(row.get('Won')!.value).toBe(false);
    });
  });

  it('honours the view and fields as CSV does', async () => {
    const sheet = await xlsx(`view=Big%20orders&fields=${encodeURIComponent('Qty,Name')}`);
    expect(sheet.getSheetValues().slice(1).map((r) => (r as unknown[]).slice(1))).toEqual([
      ['Qty', 'Name'],
      [15, xmlText('\r=1+2name')],
      [14, '\t=1+2name'],
      [13, '@SUM(A1)name'],
    ]);
  });
});

describe('bad requests', () => {
  it.each([
    ['format=pdf', 'format'],
    ['', 'format'],
    ['format=csv&fields=Nope', 'fields'],
    ['format=csv&fields=', 'fields'],
    ['format=xlsx&view=Nope', 'view'],
    ['format=csv&sort=Nope', 'sort'],
    ['format=csv&filter=%7Bbad', 'filter'],
    ['format=csv&filter=' + encodeURIComponent(JSON.stringify({ '==': [{ var: 'Nope' }, 1] })), 'filter'],
    ['format=xlsx&filter=' + encodeURIComponent(JSON.stringify({ '>': [{ var: 'Qty' }, 'many'] })), 'filter'],
  ])('%s answers 400 naming %s', async (query, param) => {
    const res = await download(server.app, token, exportUrl(query));
    expect(res.status).toBe(400);
    const { error } = res.json();
    expect(error.message).toContain(param);
    expect(Object.keys(error.details.fields)).toContain(param);
  });

  it('answers 404 for a sheet that does not exist', async () => {
    expect((await download(server.app, token, exportUrl('format=csv', 'Nope'))).status).toBe(404);
  });
});
