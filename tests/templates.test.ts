import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadLibrary, ruleHolds, type Template } from '../schema-engine/index.js';
import { inviteMember } from './helpers/members.js';
import { startTestServer, type Client, type TestServer } from './helpers/server.js';
import { statementsOf } from './helpers/statements.js';

let server: TestServer;
let client: Client;

interface Field {
  id: string;
  name: string;
  type: string;
  options: Record<string, unknown>;
  required: boolean;
  unique: boolean;
}
interface Sheet {
  id: string;
  name: string;
  primaryFieldId: string;
  fields: Field[];
}
type Rec = { id: string; fields: Record<string, unknown> };

beforeAll(async () => {
  server = await startTestServer();
  ({ client } = await server.setup('owner@example.com'));
});
afterAll(() => server.close());

async function workspace(): Promise<string> {
  const res = await client.post('/api/workspaces', { name: `W ${Math.random()}` });
  expect(res.status).toBe(201);
  return res.body.id;
}

async function install(ws: string, key: string, body: Record<string, unknown>) {
  const res = await client.post(`/api/w/${ws}/templates/${key}/install`, body);
  if (res.status !== 201) throw new Error(`${key}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { sheets: { id: string; name: string }[]; roles: { id: string; name: string }[] };
}

async function allRecords(ws: string, sheet: string, sort = ''): Promise<Rec[]> {
  const res = await client.get(`/api/w/${ws}/sheets/${sheet}/records?limit=1000${sort ? `&sort=${encodeURIComponent(sort)}` : ''}`);
  expect(res.status).toBe(200);
  return res.body.records;
}

const sheetsOf = async (ws: string): Promise<Sheet[]> => (await client.get(`/api/w/${ws}/sheets`)).body;
const byName = <T extends { name: string }>(list: T[], name: string): T => list.find((x) => x.name === name)!;

describe('the template library', () => {
  it('lists every template with the sheets it creates, in either language', async () => {
    const en = await client.get('/api/templates');
    expect(en.status).toBe(200);
    const keys = en.body.map((t: { key: string }) => t.key);
    expect(keys).toEqual(expect.arrayContaining(['leads', 'contacts-accounts', 'opportunities', 'products-quotes', 'contracts', 'activities', 'full-crm']));
    expect(en.body.find((t: { key: string }) => t.key === 'opportunities').sheets).toEqual(['Accounts', 'Contacts', 'Opportunities']);
    const zh = await client.get('/api/templates?language=zh-TW');
    expect(zh.body.find((t: { key: string }) => t.key === 'full-crm').sheets).toEqual(expect.arrayContaining(['潛在客戶', '客戶', '聯絡人', '商機', '產品', '報價單', '報價明細', '合約', '活動']));
    const full = await client.get('/api/templates/full-crm');
    expect(full.body.sheets.find((s: { key: string }) => s.key === 'quotes').forms[0].layout.tabs).toHaveLength(1);
    expect((await client.get('/api/templates/nope')).status).toBe(404);
    expect((await server.anonymous.get('/api/templates')).status).toBe(401);
  });

  for (const [key, { sheets }] of loadLibrary()) {
    for (const language of ['en', 'zh-TW'] as const) {
      it(`installs ${key} in ${language}, and its sample data keeps its own rules`, async () => {
        const bare = await workspace();
        const empty = await install(bare, key, { language });
        expect(empty.sheets).toHaveLength(sheets.length);
        for (const s of empty.sheets) expect(await allRecords(bare, s.id)).toEqual([]);

        const ws = await workspace();
        const result = await install(ws, key, { language, sampleData: true });
        expect(result.sheets.map((s) => s.name)).toEqual(sheets.map((s) => (typeof s.name === 'string' ? s.name : s.name[language])));
        for (const [i, created] of result.sheets.entries()) {
          const records = await allRecords(ws, created.id);
          expect(records).toHaveLength(sheets[i]!.records?.length ?? 0);
          const rules = (await client.get(`/api/w/${ws}/sheets/${created.id}/rules`)).body as { kind?: string; condition: unknown; fields: string[] }[];
          expect(rules).toHaveLength(sheets[i]!.rules?.length ?? 0);
          // Validation rules hold on every record; a lock rule holds on the records it locks (an accepted quote).
          const validations = rules.filter((rule) => rule.kind !== 'lock');
          const sheet = (await client.get(`/api/w/${ws}/sheets/${created.id}`)).body as Sheet;
          for (const record of records) {
            const values = Object.fromEntries(sheet.fields.map((f) => [f.name, record.fields[f.name] ?? null]));
            for (const rule of validations) expect(ruleHolds(rule.condition, values), `${created.name} ${record.id}`).toBe(true);
          }
          const forms = (await client.get(`/api/w/${ws}/sheets/${created.id}/forms`)).body as { isDefault: boolean; publishedVersion: number | null }[];
          expect(forms).toHaveLength(sheets[i]!.forms?.length ?? 0);
          expect(forms.every((f) => f.publishedVersion === 1)).toBe(true);
          if (forms.length) expect(forms[0]!.isDefault).toBe(true);
        }
      }, 120_000);
    }
  }
});

describe('installed templates', () => {
  it('adds a suffix to a sheet name already taken', async () => {
    const ws = await workspace();
    await install(ws, 'leads', {});
    const again = await install(ws, 'leads', { language: 'en' });
    expect(again.sheets.map((s) => s.name)).toEqual(['Leads (2)']);
    expect((await sheetsOf(ws)).map((s) => s.name)).toEqual(['Leads', 'Leads (2)']);
  });

  it('totals quotes exactly to the cent, with discounts, negotiated prices and tax', async () => {
    const ws = await workspace();
    await install(ws, 'products-quotes', { sampleData: true });
    const [first] = await allRecords(ws, 'Quotes', 'Quote number');
    expect(first!.fields).toMatchObject({ 'Quote number': 'Q-000001', Subtotal: 13249.66, 'Tax rate': 0.05, Tax: 662.48, 'Grand total': 13912.14 });
    const lines = await allRecords(ws, 'Quote lines');
    const ofFirst = lines.filter((l) => (l.fields.Quote as { id: string }[])[0]!.id === first!.id).map((l) => l.fields['Line total']);
    expect(ofFirst).toEqual([12293.55, 356.13, 599.98]);
    const quotes = byName(await sheetsOf(ws), 'Quotes');
    expect(byName(quotes.fields, 'Grand total').options.expression).toBe('{Subtotal} + {Tax}');
    expect(byName(quotes.fields, 'Quote number').options).toMatchObject({ prefix: 'Q-', digits: 6 });
    // Its printable quote: the account's address, a row per line item with its price and discount, the totals.
    const documents = await sql<{ name: string; locale: string }>`SELECT name, locale FROM documents WHERE sheet_id = ${quotes.id}`.execute(server.db);
    expect(documents.rows).toEqual([{ name: 'Quote', locale: 'en' }]);
    const page = await client.get(`/api/w/${ws}/sheets/Quotes/records/${first!.id}/documents/Quote`);
    expect(page.status).toBe(200);
    const text = (html: string) => html.replace(/<br>/g, ' / ').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();
    const doc = String(page.body);
    expect(text(doc.match(/<section>\s*<h2>Prepared for<\/h2>[\s\S]*?<\/section>/)![0])).toBe('Prepared for Cancity / 88 Pine Street / New York, NY 10005 / United States Attention: Iris Tanaka');
    const rows = [...doc.matchAll(/<tr>\s*<td>\d+<\/td>[\s\S]*?<\/tr>/g)].map((m) => text(m[0]));
    expect(rows).toEqual(['1 GTX Pro 3 $4,821.00 15.0% $12,293.55', '2 MG Special 7 $55.00 7.5% $356.13', '3 Installation 2 $299.99 – $599.98']);
    expect(text(doc.match(/<table class="totals keep">[\s\S]*?<\/table>/)![0])).toBe('Subtotal $13,249.66 Tax (5.0%) $662.48 Grand total $13,912.14');

    // A new quote with its lines in one request: 3 × 19.99 at 10% off = 53.97 (53.973), 1 × 0.10 + 2 × 0.20 = 0.50.
    const products = await allRecords(ws, 'Products');
    const created = await client.post(`/api/w/${ws}/sheets/Quotes/records`, {
      fields: {
        Title: 'Cents',
        'Quote date': '2026-01-01',
        'Tax rate': 0.0825,
        'Line items': [
          { fields: { Item: 'A', 'Unit price': 19.99, Quantity: 3, Discount: 0.1, Product: [products[0]!.id] } },
          { fields: { Item: 'B', 'Unit price': 0.1, Quantity: 1 } },
          { fields: { Item: 'C', 'Unit price': 0.2, Quantity: 2 } },
        ],
      },
    });
    expect(created.status).toBe(201);
    expect(created.body.fields).toMatchObject({ 'Quote number': 'Q-000013', Subtotal: 54.47, Tax: 4.49, 'Grand total': 58.96 });
    // Products and quotes alone has no quote discount.
    expect(quotes.fields.map((f) => f.name)).not.toContain('Discount');
  });

  it('takes the quote discount of the Full CRM off the total, before tax, and shows it with the totals, in either language', async () => {
    for (const [language, n] of [
      ['en', { doc: 'Quote', quotes: 'Quotes', discount: 'Discount', amount: 'Discount amount', subtotal: 'Subtotal', tax: 'Tax', total: 'Grand total', title: 'Title', date: 'Quote date', rate: 'Tax rate', lines: 'Line items', price: 'Unit price', quantity: 'Quantity', item: 'Item', totals: 'Totals', printed: 'Subtotal $599.99 Discount (15%) −$90.00 Tax (5.0%) $25.50 Grand total $535.49', plain: 'Subtotal $599.99 Tax (5.0%) $30.00 Grand total $629.99' }],
      ['zh-TW', { doc: '報價單', quotes: '報價單', discount: '折扣', amount: '折扣金額', subtotal: '小計', tax: '稅額', total: '總計', title: '標題', date: '報價日期', rate: '稅率', lines: '報價明細', price: '成交單價', quantity: '數量', item: '品項', totals: '合計', printed: '小計 US$599.99 折扣（15%） −US$90.00 稅額（5.0%） US$25.50 總計 US$535.49', plain: '小計 US$599.99 稅額（5.0%） US$30.00 總計 US$629.99' }],
    ] as const) {
      const ws = await workspace();
      await install(ws, 'full-crm', { language });
      const q = encodeURIComponent(n.quotes);
      // 2 × 250.00 + 1 × 99.99 = 599.99; 15 % off = 90.00 (89.9985); tax 5 % of 509.99 = 25.50; total 535.49.
      const quote = await client.post(`/api/w/${ws}/sheets/${q}/records`, {
        fields: {
          [n.title]: 'Discounted',
          [n.date]: '2026-03-01',
          [n.rate]: 0.05,
          [n.discount]: 0.15,
          [n.lines]: [{ fields: { [n.item]: 'A', [n.price]: 250, [n.quantity]: 2 } }, { fields: { [n.item]: 'B', [n.price]: 99.99, [n.quantity]: 1 } }],
        },
      });
      expect(quote.status, JSON.stringify(quote.body)).toBe(201);
      expect(quote.body.fields).toMatchObject({ [n.subtotal]: 599.99, [n.discount]: 0.15, [n.amount]: 90, [n.tax]: 25.5, [n.total]: 535.49 });
      // The printed quote shows the discount between the subtotal and the tax.
      const printed = async () => {
        const page = await client.get(`/api/w/${ws}/sheets/${q}/records/${quote.body.id}/documents/${encodeURIComponent(n.doc)}`);
        expect(page.status).toBe(200);
        return String(page.body).match(/<table class="totals keep">[\s\S]*?<\/table>/)![0].replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();
      };
      expect(await printed()).toBe(n.printed);
      // Without a discount, the total is as before.
      const plain = (await client.patch(`/api/w/${ws}/sheets/${q}/records/${quote.body.id}`, { fields: { [n.discount]: null } })).body;
      expect(plain.fields).toMatchObject({ [n.subtotal]: 599.99, [n.amount]: 0, [n.tax]: 30, [n.total]: 629.99 });
      expect(await printed()).toBe(n.plain);

      // The quote form has the discount and its amount in its totals section, beside the subtotal.
      const sheet = byName(await sheetsOf(ws), n.quotes);
      const [form] = (await client.get(`/api/w/${ws}/sheets/${q}/forms`)).body as { published: { tabs: { sections: { title?: string; rows: { columns: { elements: { field?: string }[] }[] }[] }[] }[] } }[];
      const totals = form!.published.tabs[0]!.sections.find((s) => s.title === n.totals)!;
      const named = totals.rows.map((r) => r.columns.flatMap((c) => c.elements.map((e) => sheet.fields.find((f) => f.id === e.field)?.name)));
      expect(named).toEqual([
        [n.subtotal, n.discount, n.amount],
        [n.rate, n.tax, n.total],
      ]);
    }
  }, 120_000);

  it('computes probability and weighted amount from the stage, and has a kanban by stage with its sum', async () => {
    const ws = await workspace();
    await install(ws, 'opportunities', { language: 'zh-TW', sampleData: true });
    const records = await allRecords(ws, '商機');
    const expected: Record<string, number> = { 開發中: 10, 資格確認: 20, 提案: 50, 議價: 75, 成交: 100, 失敗: 0 };
    for (const r of records) {
      expect(r.fields['成交機率 (%)']).toBe(expected[r.fields['階段'] as string]);
      const amount = Number(r.fields['金額'] ?? 0);
      expect(r.fields['加權金額']).toBeCloseTo(Math.round(amount * expected[r.fields['階段'] as string]!) / 100, 2);
    }
    const views = (await client.get(`/api/w/${ws}/sheets/商機/views`)).body as { name: string; type: string; config: { groupBy: string; sumField: string } }[];
    const kanban = views.find((v) => v.type === 'kanban')!;
    const sheet = byName(await sheetsOf(ws), '商機');
    expect(sheet.fields.find((f) => f.id === kanban.config.groupBy)!.name).toBe('階段');
    expect(sheet.fields.find((f) => f.id === kanban.config.sumField)!.name).toBe('金額');
  });

  it('computes the renewal notice 30 days before a contract ends', async () => {
    const ws = await workspace();
    await install(ws, 'contracts', { sampleData: true });
    const [contract] = await allRecords(ws, 'Contracts', 'Contract number');
    const end = new Date(`${contract!.fields['End date'] as string}T00:00:00Z`);
    end.setUTCDate(end.getUTCDate() - 30);
    expect(contract!.fields).toMatchObject({ 'Contract number': 'C-00001', 'Renewal notice date': end.toISOString().slice(0, 10) });
  });

  it('prints the quote and the contract in Traditional Chinese, with the values of the record and of its linked records', async () => {
    const ws = await workspace();
    await install(ws, 'full-crm', { sampleData: true, language: 'zh-TW' });
    const text = (html: string) => html.replace(/<br>/g, ' / ').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();
    const render = async (sheet: string, record: string, doc: string) => {
      const res = await client.get(`/api/w/${ws}/sheets/${encodeURIComponent(sheet)}/records/${record}/documents/${encodeURIComponent(doc)}`);
      expect(res.status).toBe(200);
      return text(String(res.body));
    };
    const [quote] = await allRecords(ws, '報價單', '報價單號');
    const printed = await render('報價單', quote!.id, '報價單');
    expect(printed).toContain('客戶 Cancity / 88 Pine Street / New York, NY 10005 / United States');
    expect(printed).toContain('1 GTX Pro 3 US$4,821.00 15.0% US$12,293.55');
    expect(printed).toContain('小計 US$13,249.66 稅額（5.0%） US$662.48 總計 US$13,912.14');
    expect(printed).toContain('條款 發票開立後 30 日內付款，以美元計價。');

    const [contract] = await allRecords(ws, '合約', '合約編號');
    const fields = contract!.fields as Record<string, string>;
    const long = (day: string) => new Intl.DateTimeFormat('zh-TW', { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${day}T00:00:00Z`));
    const signed = await render('合約', contract!.id, '合約');
    expect(signed).toContain(`合約 C-00001 簽署於 ${long(fields['簽署日期']!)}`);
    expect(signed).toContain(`自動續約 是，除非於 ${long(fields['續約通知日']!)} 前通知終止`);
    expect(signed).toContain('合約金額 US$1,054.00');
    expect(signed).toContain('依據報價單 Q-000001 標題 Cancity – GTX Plus Basic 報價');
    expect(signed).toContain('總計 US$13,912.14');
  }, 60_000);
});

/** Everything of a workspace an install could touch: catalog rows and the relations of its schema. */
async function snapshot(ws: string): Promise<unknown> {
  const rows = async (table: string) =>
    (await sql<Record<string, unknown>>`SELECT * FROM ${sql.table(table)} WHERE workspace_id = ${ws} ORDER BY id`.execute(server.db)).rows;
  const relations = await sql<{ relname: string }>`SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ${`ws_${ws}`} ORDER BY 1`.execute(server.db);
  const history = await sql<{ n: string }>`SELECT count(*) AS n FROM record_history WHERE workspace_id = ${ws}`.execute(server.db);
  return { sheets: await rows('sheets'), fields: await rows('fields'), rules: await rows('sheet_rules'), views: await rows('views'), forms: await rows('forms'), documents: await rows('documents'), trash: await rows('trash'), relations: relations.rows, history: history.rows };
}

describe('lead conversion in the Full CRM', () => {
  it('converts a qualified lead into an account (an existing one when its company is one), a contact and an opportunity', async () => {
    const ws = await workspace();
    await install(ws, 'full-crm', { sampleData: true });
    const conversions = (await client.get(`/api/w/${ws}/sheets/Leads/conversions`)).body as { id: string; name: string }[];
    expect(conversions.map((c) => c.name)).toEqual(['Convert to account, contact and opportunity']);
    const convert = (id: string) => client.post(`/api/w/${ws}/sheets/Leads/records/${id}/convert/${conversions[0]!.id}`, {});
    const leads = await allRecords(ws, 'Leads');
    const liam = leads.find((r) => r.fields.Name === 'Liam Patel')!;
    const betatech = (await allRecords(ws, 'Accounts')).find((r) => r.fields['Account name'] === 'Betatech')!;

    const res = await convert(liam.id);
    expect(res.status).toBe(201);
    const { account, contact, opportunity } = res.body.targets;
    expect(account).toMatchObject({ id: betatech.id, created: false });
    expect([contact.created, opportunity.created]).toEqual([true, true]);
    expect(res.body.record.fields).toMatchObject({
      Status: 'Converted',
      'Converted to account': [{ id: betatech.id, title: 'Betatech' }],
      'Converted to contact': [{ id: contact.id, title: 'Liam Patel' }],
      'Converted to opportunity': [{ id: opportunity.id, title: 'Betatech' }],
    });
    const read = async (sheet: string, id: string) => (await client.get(`/api/w/${ws}/sheets/${sheet}/records/${id}`)).body.fields;
    expect(await read('Contacts', contact.id)).toMatchObject({ 'Full name': 'Liam Patel', 'Job title': 'CTO', Email: 'liampatel@example.com', Account: [{ id: betatech.id }], Lead: [{ id: liam.id }] });
    expect(await read('Opportunities', opportunity.id)).toMatchObject({ Opportunity: 'Betatech', Stage: 'Prospecting', Account: [{ id: betatech.id }], Contact: [{ id: contact.id }], Lead: [{ id: liam.id }] });
    expect((await read('Accounts', betatech.id)).Leads).toEqual([{ id: liam.id, title: 'Liam Patel' }]);

    expect((await convert(liam.id)).status).toBe(409);
    const fresh = leads.find((r) => r.fields.Status === 'New')!;
    const refused = await convert(fresh.id);
    expect(refused.status).toBe(400);
    expect(Object.keys(refused.body.error.details.fields)).toEqual(['Status']);
  }, 60_000);
});

describe('all or nothing', () => {
  it('installs a whole template, sample records included, in one transaction', async () => {
    const ws = await workspace();
    const statements = await statementsOf(() => install(ws, 'full-crm', { sampleData: true }));
    const control = statements.map((s) => s.text.trim().toLowerCase()).filter((t) => /^(begin|commit|rollback)\b/.test(t));
    expect(control).toEqual(['begin', 'commit']);
    expect((await sheetsOf(ws)).length).toBe(9);
    expect((await allRecords(ws, 'Quotes')).length).toBeGreaterThan(0);
    // The search indexes are built by jobs that commit with the install, then each sheet gets exactly one, valid.
    await server.buildIndexes();
    const indexes = await sql<{ table: string; valid: boolean }>`
      SELECT t.relname AS table, i.indisvalid AS valid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
      JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
      WHERE n.nspname = ${`ws_${ws}`} AND c.relname LIKE 'x\\_%'`.execute(server.db);
    expect(indexes.rows.map((r) => r.valid)).toEqual(Array(9).fill(true));
    expect(new Set(indexes.rows.map((r) => r.table)).size).toBe(9);
  }, 120_000);

  it('leaves the workspace exactly as before when a template fails at its last step', async () => {
    const ws = await workspace();
    await install(ws, 'leads', { sampleData: true });
    const before = await snapshot(ws);
    const template = structuredClone(loadLibrary().get('products-quotes')!.sheets);
    // The very last record written (a deferred step included) breaks a rule of its sheet.
    const lines = template.find((s) => s.key === 'quote_lines')!;
    lines.records = [...lines.records!, { fields: { description: 'Broken', quote: 'q1', product: 'p_gtxpro', quantity: 0 } }];
    const res = await client.post(`/api/w/${ws}/template-import`, { template: { key: 'broken', name: 'Broken', description: 'x', sheets: template }, sampleData: true });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/quantity must be more than 0/);
    expect(await snapshot(ws)).toEqual(before);
  });

  it('leaves the workspace as before when a field fails part-way, and refuses a template whose keys do not resolve', async () => {
    const ws = await workspace();
    const before = await snapshot(ws);
    const template = structuredClone(loadLibrary().get('opportunities')!.sheets);
    template.find((s) => s.key === 'opportunities')!.fields.push({ key: 'bad', name: 'Bad', type: 'formula', options: { expression: 'NOPE({amount})' } });
    const res = await client.post(`/api/w/${ws}/template-import`, { template: { key: 'b', name: 'B', description: 'x', sheets: template } });
    expect(res.status).toBe(400);
    expect(await snapshot(ws)).toEqual(before);

    template.find((s) => s.key === 'opportunities')!.fields.pop();
    template.find((s) => s.key === 'opportunities')!.views!.push({ name: 'X', type: 'grid', config: { sort: 'missing' } });
    const unresolved = await client.post(`/api/w/${ws}/template-import`, { template: { key: 'b', name: 'B', description: 'x', sheets: template } });
    expect(unresolved.status).toBe(400);
    expect(unresolved.body.error.message).toMatch(/has no field "missing"/);
    expect(await snapshot(ws)).toEqual(before);

    template.find((s) => s.key === 'opportunities')!.views!.pop();
    template.find((s) => s.key === 'opportunities')!.documents = [{ name: 'Offer', template: { en: '<h1>{{name}}</h1>', 'zh-TW': '<h1>{{#if name}}</h1>' } }];
    const badDocument = await client.post(`/api/w/${ws}/template-import`, { template: { key: 'b', name: 'B', description: 'x', sheets: template } });
    expect(badDocument.status).toBe(400);
    expect(badDocument.body.error.message).toMatch(/documents\.0\.template \(zh-TW\)/);
    expect(await snapshot(ws)).toEqual(before);
  });
});

describe('conversions in a template', () => {
  it('refuses a conversion that names what the template does not have, before anything is created', async () => {
    const ws = await workspace();
    const before = await snapshot(ws);
    const sheets = structuredClone(loadLibrary().get('full-crm')!.sheets);
    const conversion = sheets.find((s) => s.key === 'leads')!.conversions![0]!;
    conversion.targets[0]!.fields = { nope: 'company' };
    conversion.mark = { field: 'status', value: 'won' };
    conversion.targets[2]!.links = { account: 'later' };
    const res = await client.post(`/api/w/${ws}/template-import`, { template: { key: 'b', name: 'B', description: 'x', sheets } });
    expect(res.status).toBe(400);
    expect(res.body.error.details.fields.template.split('\n')).toEqual([
      'sheets.leads.conversions.0.mark.value: "won" is not a choice key of "status"',
      'sheets.leads.conversions.0.targets.0.fields: "accounts" has no field "nope"',
      'sheets.leads.conversions.0.targets.2.links: "later" is not an earlier target',
    ]);
    expect(await snapshot(ws)).toEqual(before);
  });
});

describe('save as template', () => {
  /** A workspace's schema with ids replaced by names: what an export and re-import must keep. */
  async function schemaOf(ws: string) {
    const sheets = await sheetsOf(ws);
    const names = new Map<string, string>(sheets.flatMap((s) => [[s.id, s.name] as [string, string], ...s.fields.map((f) => [f.id, f.name] as [string, string])]));
    const dropped = new Set(['id', 'inverseField', 'junction', 'side', 'version', 'updatedAt']);
    const rename = (text: string) => text.replace(/(sht|fld)[a-z0-9]{12}/g, (id) => names.get(id) ?? id);
    // Ids become names, in values and in keys (a conversion maps field ids to field ids).
    const strip = (value: unknown): unknown => {
      if (Array.isArray(value)) return value.map(strip);
      if (typeof value === 'string') return rename(value);
      if (value === null || typeof value !== 'object') return value;
      return Object.fromEntries(Object.entries(value).flatMap(([k, v]) => (dropped.has(k) || v === undefined ? [] : [[rename(k), strip(v)]])));
    };
    const out: Record<string, unknown> = {};
    for (const sheet of sheets) {
      const base = `/api/w/${ws}/sheets/${sheet.id}`;
      const forms = (await client.get(`${base}/forms`)).body as { name: string; isDefault: boolean; published: unknown }[];
      out[sheet.name] = strip({
        primary: names.get(sheet.primaryFieldId),
        fields: [...sheet.fields].sort((a, b) => a.name.localeCompare(b.name)),
        rules: (await client.get(`${base}/rules`)).body,
        views: (await client.get(`${base}/views`)).body,
        forms: forms.map((f) => ({ name: f.name, isDefault: f.isDefault, layout: f.published })),
        conversions: (await client.get(`${base}/conversions`)).body,
        // Everything but when they were written.
        records: (await allRecords(ws, sheet.id)).map((r) => Object.fromEntries(Object.entries(r.fields).filter(([name]) => !['created_time', 'updated_time'].includes(sheet.fields.find((f) => f.name === name)!.type)))),
      });
    }
    return out;
  }

  it('exports a workspace that re-imports into another with the same schema and records', async () => {
    const source = await workspace();
    await install(source, 'full-crm', { sampleData: true, language: 'zh-TW' });
    const exported = await client.get(`/api/w/${source}/template-export?records=true`);
    expect(exported.status).toBe(200);
    const template = exported.body as Template;
    expect(template.sheets).toHaveLength(9);
    expect(template.sheets.flatMap((s) => s.conversions ?? [])).toHaveLength(1);

    const target = await workspace();
    const imported = await client.post(`/api/w/${target}/template-import`, { template, sampleData: true });
    expect(imported.status).toBe(201);
    expect(await schemaOf(target)).toEqual(await schemaOf(source));
    // Its roles come along, granting on the new workspace's sheets and fields as on the old one's.
    expect(template.roles?.map((r) => r.name)).toEqual(['業務代表', '業務經理']);
    expect(imported.body.roles.map((r: { name: string }) => r.name)).toEqual(['業務代表', '業務經理']);
    const grantsOf = async (ws: string) => {
      const sheets = await sheetsOf(ws);
      const names = new Map<string, string>(sheets.flatMap((s) => [[s.id, s.name] as [string, string], ...s.fields.map((f) => [f.id, `${s.name}.${f.name}`] as [string, string])]));
      const roles = ((await client.get(`/api/w/${ws}/roles`)).body as { name: string; builtIn: boolean; sheets: Record<string, { fields?: Record<string, string> }> }[]).filter((r) => !r.builtIn);
      return roles.map((r) => ({
        name: r.name,
        sheets: Object.fromEntries(Object.entries(r.sheets).map(([id, g]) => [names.get(id), { ...g, fields: Object.fromEntries(Object.entries(g.fields ?? {}).map(([f, v]) => [names.get(f), v])) }])),
      }));
    };
    expect(await grantsOf(target)).toEqual(await grantsOf(source));
    expect(JSON.stringify(await grantsOf(target))).toContain('"產品.單位成本":"hidden"');

    const schemaOnly = await client.get(`/api/w/${source}/template-export`);
    expect(schemaOnly.body.sheets.every((s: { records?: unknown }) => s.records === undefined)).toBe(true);
    const third = await workspace();
    expect((await client.post(`/api/w/${third}/template-import`, { template: schemaOnly.body })).status).toBe(201);
    expect(await allRecords(third, '商機')).toEqual([]);
  }, 120_000);
});

describe('roles in a template', () => {
  interface RoleJson {
    id: string;
    name: string;
    builtIn: boolean;
    design: boolean;
    members: boolean;
    sheets: Record<string, { read: string; create: boolean; update: string; delete: string; fields?: Record<string, string> }>;
    otherSheets: { read: string };
  }
  const rolesOf = async (ws: string): Promise<RoleJson[]> => (await client.get(`/api/w/${ws}/roles`)).body;
  const own = { read: 'own', create: true, update: 'own', delete: 'none' };
  const team = { read: 'team', create: true, update: 'team', delete: 'team' };

  for (const [language, rep, manager, leads, products, cost] of [
    ['en', 'Sales rep', 'Sales manager', 'Leads', 'Products', 'Unit cost'],
    ['zh-TW', '業務代表', '業務經理', '潛在客戶', '產品', '單位成本'],
  ] as const) {
    it(`installs the Full CRM's Sales rep and Sales manager in ${language}, granting by the sheets it created`, async () => {
      const ws = await workspace();
      const result = await install(ws, 'full-crm', { language });
      expect(result.roles.map((r) => r.name)).toEqual([rep, manager]);
      const sheets = await sheetsOf(ws);
      const names = new Map(sheets.map((s) => [s.id, s.name]));
      const roles = await rolesOf(ws);
      const byKey = (role: RoleJson) => Object.fromEntries(Object.entries(role.sheets).map(([id, grant]) => [names.get(id), grant]));

      // Listed in the order the template declares them (created one after the other in the install's transaction).
      expect(roles.filter((r) => !r.builtIn).map((r) => r.name)).toEqual([rep, manager]);
      const repRole = byName(roles, rep);
      expect(repRole).toMatchObject({ id: result.roles[0]!.id, builtIn: false, design: false, members: false, otherSheets: { read: 'none' } });
      const repGrants = byKey(repRole);
      for (const sheet of [leads, byName(sheets, language === 'en' ? 'Opportunities' : '商機').name, language === 'en' ? 'Quotes' : '報價單', language === 'en' ? 'Activities' : '活動']) {
        expect(repGrants[sheet]).toEqual(own);
      }
      for (const sheet of [language === 'en' ? 'Accounts' : '客戶', language === 'en' ? 'Contacts' : '聯絡人', products]) expect(repGrants[sheet]!.read).toBe('all');
      // A rep deletes nothing anywhere, and sees everything of the products but their cost.
      expect(Object.values(repRole.sheets).every((g) => g.delete === 'none')).toBe(true);
      const productSheet = byName(sheets, products);
      expect(repGrants[products]!.fields).toEqual({ [byName(productSheet.fields, cost).id]: 'hidden' });
      expect(Object.keys(repRole.sheets)).toHaveLength(9);

      const managerGrants = byKey(byName(roles, manager));
      expect(managerGrants[leads]).toEqual(team);
      expect(managerGrants[products]).toEqual({ read: 'all', create: false, update: 'none', delete: 'none' });

      // "Own" means the assigned owner: each owning sheet has one owner field.
      const owners = sheets.flatMap((s) => s.fields.filter((f) => f.type === 'user' && f.options.owner === true).map(() => s.name));
      expect(owners.length).toBe(6);
      expect(owners).toContain(leads);
    }, 120_000);
  }

  it('lets an invited rep see only their own leads and not the hidden cost, and their manager the team\'s', async () => {
    const ws = await workspace();
    await install(ws, 'full-crm', { sampleData: true });
    const east = await client.post(`/api/w/${ws}/teams`, { name: 'East' });
    expect(east.status).toBe(201);
    const rep = await inviteMember(server, client, ws, `rep-${ws}@example.com`, 'Sales rep', [east.body.id]);
    const outsider = await inviteMember(server, client, ws, `outsider-${ws}@example.com`, 'Sales rep');
    const manager = await inviteMember(server, client, ws, `manager-${ws}@example.com`, 'Sales manager', [east.body.id]);
    const leadsPath = `/api/w/${ws}/sheets/Leads/records`;
    const sample = await allRecords(ws, 'Leads');
    expect(sample.length).toBeGreaterThan(0);

    // A new lead is its creator's unless an owner is named.
    const mine = await rep.client.post(leadsPath, { fields: { Name: 'Rep lead', Company: 'Rep Co', Email: 'rep.lead@example.com' } });
    expect(mine.status, JSON.stringify(mine.body)).toBe(201);
    expect(mine.body.fields.Owner.id).toBe(rep.userId);
    const theirs = await outsider.client.post(leadsPath, { fields: { Name: 'Outsider lead', Phone: '+886 2 1234 5678' } });
    expect(theirs.status).toBe(201);

    const repLeads = (await rep.client.get(`${leadsPath}?count=true`)).body;
    expect(repLeads.records.map((r: Rec) => r.fields.Name)).toEqual(['Rep lead']);
    expect(repLeads.total).toBe(1);
    expect((await rep.client.get(`${leadsPath}/${sample[0]!.id}`)).status).toBe(404);
    expect((await rep.client.patch(`${leadsPath}/${mine.body.id}`, { fields: { Score: 4 } })).status).toBe(200);
    expect((await rep.client.delete(`${leadsPath}/${mine.body.id}`)).status).toBe(403);

    // The cost of a product is nowhere for the rep: not in its records, not in the sheet.
    const products = (await rep.client.get(`/api/w/${ws}/sheets/Products/records?limit=100`)).body.records as Rec[];
    expect(products.length).toBe((await allRecords(ws, 'Products')).length);
    expect(products.some((p) => 'Unit cost' in p.fields)).toBe(false);
    expect((await allRecords(ws, 'Products')).every((p) => typeof p.fields['Unit cost'] === 'number')).toBe(true);
    const repSheet = (await rep.client.get(`/api/w/${ws}/sheets/Products`)).body as Sheet;
    expect(repSheet.fields.map((f) => f.name)).not.toContain('Unit cost');
    expect((await rep.client.get(`/api/w/${ws}/sheets/Products/records?sort=${encodeURIComponent('Unit cost')}`)).status).toBe(400);
    expect((await rep.client.post(`/api/w/${ws}/sheets/Products/records`, { fields: { Product: 'x' } })).status).toBe(403);

    // The manager sees the team's leads (theirs and the rep's), not the outsider's or the admin's, and may delete them.
    const managerLeads = (await manager.client.get(leadsPath)).body.records as Rec[];
    expect(managerLeads.map((r) => r.fields.Name)).toEqual(['Rep lead']);
    const managerProducts = (await manager.client.get(`/api/w/${ws}/sheets/Products/records?limit=1`)).body.records as Rec[];
    expect(typeof managerProducts[0]!.fields['Unit cost']).toBe('number');
    expect((await manager.client.delete(`${leadsPath}/${theirs.body.id}`)).status).toBe(404);
    expect((await manager.client.delete(`${leadsPath}/${mine.body.id}`)).status).toBe(200);
    expect((await manager.client.get(leadsPath)).body.records).toEqual([]);

    // A rep converts their own qualified lead: the new opportunity (and account, when new) is theirs.
    const conversion = ((await client.get(`/api/w/${ws}/sheets/Leads/conversions`)).body as { id: string }[])[0]!;
    const qualified = await rep.client.post(leadsPath, { fields: { Name: 'Mia Chen', Company: 'Betatech', Email: 'mia@example.com', Status: 'Qualified' } });
    expect(qualified.status).toBe(201);
    const converted = await rep.client.post(`${leadsPath}/${qualified.body.id}/convert/${conversion.id}`, {});
    expect(converted.status, JSON.stringify(converted.body)).toBe(201);
    expect(converted.body.targets.account.created).toBe(false);
    const opportunity = await rep.client.get(`/api/w/${ws}/sheets/Opportunities/records/${converted.body.targets.opportunity.id}`);
    expect(opportunity.status).toBe(200);
    expect(opportunity.body.fields.Owner.id).toBe(rep.userId);
    expect((await outsider.client.get(`/api/w/${ws}/sheets/Opportunities/records/${converted.body.targets.opportunity.id}`)).status).toBe(404);
  }, 120_000);

  it('gives a role name already taken a suffix, as a sheet, and grants it on the sheets of its own install', async () => {
    const ws = await workspace();
    expect((await client.post(`/api/w/${ws}/roles`, { name: 'Sales rep', otherSheets: { read: 'all', create: false, update: 'none', delete: 'none' } })).status).toBe(201);
    const first = await install(ws, 'full-crm', {});
    expect(first.roles.map((r) => r.name)).toEqual(['Sales rep (2)', 'Sales manager']);
    const again = await install(ws, 'full-crm', {});
    expect(again.roles.map((r) => r.name)).toEqual(['Sales rep (3)', 'Sales manager (2)']);
    const roles = await rolesOf(ws);
    // The admin's own role is as it was.
    expect(byName(roles, 'Sales rep')).toMatchObject({ sheets: {}, otherSheets: { read: 'all' } });
    expect(Object.keys(byName(roles, 'Sales rep (3)').sheets).sort()).toEqual(again.sheets.map((s) => s.id).sort());
  }, 120_000);

  it('installs the sheets without the roles for a designer who may not manage members', async () => {
    const ws = await workspace();
    const everything = { read: 'all', create: true, update: 'all', delete: 'all' };
    expect((await client.post(`/api/w/${ws}/roles`, { name: 'Designer', design: true, otherSheets: everything })).status).toBe(201);
    const designer = await inviteMember(server, client, ws, `designer-${ws}@example.com`, 'Designer');
    const res = await designer.client.post(`/api/w/${ws}/templates/full-crm/install`, {});
    expect(res.status).toBe(201);
    expect(res.body.sheets).toHaveLength(9);
    expect(res.body.roles).toEqual([]);
    expect((await rolesOf(ws)).filter((r) => !r.builtIn).map((r) => r.name)).toEqual(['Designer']);
  }, 120_000);

  it('refuses a role that names what the template does not have, before anything is created', async () => {
    const ws = await workspace();
    const before = await snapshot(ws);
    const { sheets, roles } = structuredClone(loadLibrary().get('full-crm')!);
    roles[0]!.sheets.nope = { read: 'all', create: false, update: 'none', delete: 'none' };
    roles[0]!.sheets.leads = { read: 'own', create: true, update: 'own', delete: 'none', fields: { missing: 'hidden', name: 'hidden' }, where: { '==': [{ var: 'status' }, { choice: 'nope' }] } };
    roles[1]!.name = { en: 'admin', 'zh-TW': '業務代表' };
    const res = await client.post(`/api/w/${ws}/template-import`, { template: { key: 'b', name: 'B', description: 'x', sheets, roles } });
    expect(res.status).toBe(400);
    expect(res.body.error.details.fields.template.split('\n')).toEqual([
      'roles.sales_manager.name: "admin" is a built-in role',
      'roles: two have the zh-TW name "業務代表"',
      'roles.sales_rep.sheets.leads.fields: "leads" has no field "missing"',
      'roles.sales_rep.sheets.leads.fields.name: the primary field can be read-only, not hidden',
      'roles.sales_rep.sheets.leads.where: no select of "leads" has one choice "nope"',
      'roles.sales_rep.sheets.nope: there is no sheet "nope" in the template (or those it uses)',
    ]);
    expect(await snapshot(ws)).toEqual(before);
  });

  it('creates a role whose condition names fields and choices by key, and $user', async () => {
    const ws = await workspace();
    const { sheets } = loadLibrary().get('leads')!;
    const roles = [{ key: 'qualifier', name: { en: 'Qualifier', 'zh-TW': '名單審核' }, sheets: { leads: { read: 'all', create: false, update: 'all', delete: 'none', where: { or: [{ '==': [{ var: 'status' }, { choice: 'new' }] }, { '==': [{ var: 'owner' }, { var: '$user' }] }] }, fields: { score: 'read_only' } } } }];
    const res = await client.post(`/api/w/${ws}/template-import`, { template: { key: 'q', name: 'Q', description: 'x', sheets, roles }, language: 'zh-TW' });
    expect(res.status).toBe(201);
    const sheet = (await sheetsOf(ws))[0]!;
    const role = byName(await rolesOf(ws), '名單審核');
    const status = byName(sheet.fields, '狀態');
    const newChoice = (status.options.choices as { name: string }[])[0]!.name;
    expect(role.sheets[sheet.id]).toEqual({
      read: 'all',
      create: false,
      update: 'all',
      delete: 'none',
      where: { or: [{ '==': [{ var: status.id }, newChoice] }, { '==': [{ var: byName(sheet.fields, '負責人').id }, { var: '$user' }] }] },
      fields: { [byName(sheet.fields, '評分').id]: 'read_only' },
    });
  });
});
