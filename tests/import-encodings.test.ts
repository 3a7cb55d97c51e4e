import { readFileSync } from 'node:fs';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allRecords, runImport, uploadImport } from './helpers/imports.js';
import { startTestServer, type Client, type TestServer } from './helpers/server.js';

/**
 * Text as spreadsheets really write it: the accounts file, and a Chinese version of it, in UTF-8 with and without a
 * BOM, Big5 (what Excel in Taiwan writes as "CSV", encoded here by iconv-lite's CP950) and UTF-16 (Excel's "Unicode
 * text": little-endian with a BOM, tab-separated). Each is detected and imports exactly as the UTF-8 file does.
 */
const accounts = readFileSync(new URL('./fixtures/maven-crm/accounts.csv', import.meta.url), 'utf8');
/** The same rows with a Chinese header and Chinese countries and sectors. */
const chinese = accounts
  .replace('account,sector,year_established,revenue,employees,office_location,subsidiary_of', '客戶,產業,成立年份,營收,員工人數,辦公室所在地,母公司')
  .replaceAll('United States', '美國')
  .replaceAll('Japan', '日本')
  .replaceAll(',medical,', ',醫療,')
  .replaceAll(',software,', ',軟體,');

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

/** Imports a file into a new sheet with the suggested mapping; answers its records' values in file order. */
async function importAs(name: string, content: Buffer, sheet: string, expected: Record<string, unknown>) {
  const upload = await uploadImport(owner, ws, name, content);
  expect(upload, name).toMatchObject(expected);
  const mapping = (await owner.get(`/api/w/${ws}/imports/${upload.id}/mapping`)).body.mapping;
  const done = await runImport(owner, ws, upload.id, { newSheet: sheet, mapping, mode: 'insert', onError: 'abort' });
  expect(done, name).toMatchObject({ status: 'done', inserted: 85, problemCount: 0 });
  return { columns: upload.columns, values: (await allRecords(owner, ws, sheet)).map((r) => r.fields) };
}

const utf16le = (text: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(text, 'utf16le')]);
const utf16be = (text: string) => Buffer.concat([Buffer.from([0xfe, 0xff]), iconv.encode(text, 'utf16be')]);
const tabs = (text: string) => text.replaceAll(',', '\t');

describe('encodings', () => {
  it('imports the accounts file alike from UTF-8, Big5 and UTF-16', async () => {
    const base = await importAs('accounts.csv', Buffer.from(accounts), 'A utf8', { encoding: 'utf-8', delimiter: ',' });
    const big5 = await importAs('accounts-big5.csv', iconv.encode(accounts, 'cp950'), 'A big5', { encoding: 'utf-8' });
    // Excel's "Unicode text": UTF-16 LE with a BOM, tab-separated, saved as .txt.
    const unicode = await importAs('accounts.txt', utf16le(tabs(accounts)), 'A utf16', { encoding: 'utf-16le', delimiter: '\t' });
    expect(big5).toEqual(base);
    expect(unicode).toEqual(base);
  });

  it('detects Chinese text in UTF-8 (with and without a BOM), Big5, UTF-16 LE and BE, and imports it identically', async () => {
    const base = await importAs('客戶.csv', Buffer.from(chinese), 'C utf8', { encoding: 'utf-8' });
    expect(base.columns.map((c: { name: string }) => c.name)).toEqual(['客戶', '產業', '成立年份', '營收', '員工人數', '辦公室所在地', '母公司']);
    expect(base.values[0]).toMatchObject({ 客戶: 'Acme Corporation', 辦公室所在地: '美國', 成立年份: 1996 });
    const variants: [string, Buffer, string][] = [
      ['bom.csv', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(chinese)]), 'utf-8'],
      ['big5.csv', iconv.encode(chinese, 'cp950'), 'big5'],
      ['le.csv', utf16le(chinese), 'utf-16le'],
      ['be.csv', utf16be(chinese), 'utf-16be'],
      ['le-no-bom.csv', iconv.encode(chinese, 'utf16le'), 'utf-16le'],
    ];
    for (const [name, bytes, encoding] of variants) {
      const imported = await importAs(name, bytes, `C ${name}`, { encoding });
      expect(imported, name).toEqual(base);
    }
  });

  it('takes a short Big5 file for Big5, and an encoding override when the guess is wrong', async () => {
    const text = '姓名,電話,城市\n王小明,02-2345-6789,台北\n陳美麗,0912-345-678,高雄\n';
    const short = await uploadImport(owner, ws, 'short.csv', iconv.encode(text, 'cp950'));
    expect(short).toMatchObject({ encoding: 'big5', rowCount: 2 });
    expect(short.columns.map((c: { name: string }) => c.name)).toEqual(['姓名', '電話', '城市']);
    expect(short.columns[1]).toMatchObject({ type: 'phone', samples: ['02-2345-6789', '0912-345-678'] });

    // Read as Windows-1252 on purpose, then read again as Big5 without uploading again.
    const wrong = await uploadImport(owner, ws, 'short.csv', iconv.encode(text, 'cp950'), { encoding: 'windows-1252' });
    expect(wrong.encoding).toBe('windows-1252');
    expect(wrong.columns[0].name).not.toBe('姓名');
    const again = await owner.post(`/api/w/${ws}/imports/${wrong.id}/preview`, { encoding: 'big5' });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ status: 'previewed', encoding: 'big5', rowCount: 2 });
    expect(again.body.columns.map((c: { name: string }) => c.name)).toEqual(['姓名', '電話', '城市']);
    const bad = await owner.post(`/api/w/${ws}/imports/${wrong.id}/preview`, { encoding: 'klingon' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.fields).toHaveProperty('encoding');
  });
});
