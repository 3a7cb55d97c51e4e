import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { download, parseCsv } from './helpers/export.js';
import { setupTeamWorkspace, type TeamWorkspace } from './helpers/team-workspace.js';

/** An export has only the rows and fields its caller may read (API.md: exports leave out what the user may not read). */

let t: TeamWorkspace;
const tokens: Record<'owner' | 'rep', string> = { owner: '', rep: '' };
const url = (sheet: string, query: string) => `/api/w/${t.ws}/sheets/${sheet}/export?${query}`;

async function csvAs(who: 'owner' | 'rep', sheet: string, query = ''): Promise<Record<string, string>[]> {
  const res = await download(t.server.app, tokens[who], url(sheet, `format=csv&${query}`));
  expect(res.status, res.bytes.toString()).toBe(200);
  const [header, ...rows] = parseCsv(res.bytes.subarray(3).toString('utf8'));
  return rows.map((row) => Object.fromEntries(header!.map((name, i) => [name, row[i]!])));
}

beforeAll(async () => {
  t = await setupTeamWorkspace();
  tokens.owner = (await t.as.owner.post('/api/tokens', { name: 'export' })).body.token;
  tokens.rep = (await t.as.rep.post('/api/tokens', { name: 'export' })).body.token;
});
afterAll(() => t.server.close());

describe('a sales rep', () => {
  it('exports only their own leads, without the hidden Cost and what is computed from it', async () => {
    const owner = await csvAs('owner', 'Leads');
    expect(owner.map((r) => r.Name).sort()).toEqual(['Other lead', 'Owner lead', 'Rep lead']);
    expect(owner.find((r) => r.Name === 'Rep lead')).toMatchObject({ Cost: '100.00', 'Double cost': '200.00', Note: 'from the fair' });

    const rep = await csvAs('rep', 'Leads');
    expect(rep.map((r) => r.Name)).toEqual(['Rep lead']);
    expect(Object.keys(rep[0]!)).not.toContain('Cost');
    expect(Object.keys(rep[0]!)).not.toContain('Double cost');
    // Read-only is still readable.
    expect(rep[0]!.Note).toBe('from the fair');
  });

  it('gets the same in XLSX', async () => {
    const res = await download(t.server.app, tokens.rep, url('Leads', 'format=xlsx'));
    expect(res.status).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.bytes as unknown as ExcelJS.Buffer);
    const values = book.worksheets[0]!.getSheetValues().slice(1).map((r) => (r as unknown[]).slice(1));
    expect(values).toHaveLength(2);
    expect(values[0]).not.toContain('Cost');
    expect(values.flat()).not.toContain(100);
    expect(values[1]![0]).toBe('Rep lead');
  });

  it('sees lookups of readable leads only, and no link to a sheet it may not read', async () => {
    const [acme] = await csvAs('rep', 'Accounts');
    expect(acme!['Lead names']).toBe('Rep lead');
    expect(Object.keys(acme!)).not.toContain('Payroll');
    expect(Object.keys(acme!)).not.toContain('Staff names');
    const [all] = await csvAs('owner', 'Accounts');
    expect(all!['Lead names']!.split(', ').sort()).toEqual(['Other lead', 'Rep lead']);
  });

  it('cannot name, filter or sort by a hidden field, and a sheet it may not read does not exist', async () => {
    for (const query of ['fields=Name,Cost', 'sort=Cost', `filter=${encodeURIComponent(JSON.stringify({ '>': [{ var: 'Cost' }, 1] }))}`]) {
      const res = await download(t.server.app, tokens.rep, url('Leads', `format=csv&${query}`));
      expect(res.status, query).toBe(400);
      expect(res.json().error.message).toContain('Cost');
    }
    expect((await download(t.server.app, tokens.rep, url('Payroll', 'format=csv'))).status).toBe(404);
  });

  it('exports a view as its listing shows it to them (a filter on a hidden field is not theirs)', async () => {
    expect((await csvAs('owner', 'Leads', `view=${t.costView}`)).map((r) => r.Name)).toEqual(['Other lead', 'Rep lead']);
    expect((await csvAs('rep', 'Leads', `view=${t.costView}`)).map((r) => r.Name)).toEqual(['Rep lead']);
  });
});
