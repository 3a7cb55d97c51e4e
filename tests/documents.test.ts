import { joinWorkspace } from './helpers/members.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../server/auth/passwords.js';
import { startTestServer, type Client, type TestServer } from './helpers/server.js';

let server: TestServer;
let client: Client;
let ws: string;
let quoteId: string;
const sheets = () => `/api/w/${ws}/sheets`;
const docs = (sheet = 'Quotes', path = '') => `${sheets()}/${encodeURIComponent(sheet)}/documents${path}`;
const page = (record: string, doc: string, query = '') => `${sheets()}/Quotes/records/${record}/documents/${encodeURIComponent(doc)}${query}`;

async function ok<T = any>(promise: Promise<{ status: number; body: T }>, status = 201): Promise<T> {
  const res = await promise;
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  return res.body;
}

/** A quote as a sales team would print it: the account's address, numbered lines and the totals. */
const QUOTE = `<header class="doc-header"><strong>Acme Trading</strong><span>{{date now "long"}}</span></header>
<h1>Quote {{[Name]}}</h1>
{{#each Account}}<p class="to">{{Name}}<br>{{lines Address}}</p>{{/each}}
<table>
  <thead><tr><th>#</th><th>Product</th><th class="num">Qty</th><th class="num">Price</th><th class="num">Total</th></tr></thead>
  <tbody>
  {{#each [Line items]}}
    <tr><td>{{inc @index}}</td><td>{{join Product}}</td><td class="num">{{number Quantity}}</td><td class="num">{{currency [Unit price] "USD"}}</td><td class="num">{{currency [Line total] "USD"}}</td></tr>
  {{/each}}
  </tbody>
</table>
<table class="totals">
  <tr><th>Subtotal</th><td>{{currency Subtotal "USD"}}</td></tr>
  <tr><th>Tax</th><td>{{percent [Tax rate]}}</td></tr>
  <tr class="grand"><th>Total</th><td>{{currency Total "USD"}}</td></tr>
</table>
<p>{{count [Line items]}} lines, checked {{currency (sum [Line items] "Line total") "USD"}}; record {{record.id}} of {{record.sheet}}</p>
<footer class="doc-footer">{{record.title}}</footer>`;

beforeAll(async () => {
  server = await startTestServer();
  ({ client, workspaceId: ws } = await server.setup());
  await ok(client.post(sheets(), { name: 'Accounts', fields: [{ name: 'Name', type: 'text' }, { name: 'Address', type: 'long_text' }] }));
  await ok(client.post(sheets(), { name: 'Products', fields: [{ name: 'Name', type: 'text' }, { name: 'Price', type: 'currency', options: { currency: 'USD', precision: 2 } }] }));
  await ok(client.post(sheets(), { name: 'Line items', fields: [{ name: 'Description', type: 'text' }, { name: 'Quantity', type: 'number', options: { precision: 0 } }] }));
  const addField = (sheet: string, body: unknown) => ok(client.post(`${sheets()}/${encodeURIComponent(sheet)}/fields`, body));
  await addField('Line items', { name: 'Product', type: 'link', options: { sheet: 'Products', relationship: 'many_to_one' } });
  await addField('Line items', { name: 'Unit price', type: 'lookup', options: { link: 'Product', field: 'Price' } });
  await addField('Line items', { name: 'Line total', type: 'formula', options: { expression: '{Quantity} * {Unit price}' } });
  await ok(client.post(sheets(), { name: 'Quotes', fields: [{ name: 'Name', type: 'text' }, { name: 'Tax rate', type: 'percent', options: { precision: 0 } }] }));
  await addField('Quotes', { name: 'Account', type: 'link', options: { sheet: 'Accounts', relationship: 'many_to_one' } });
  await addField('Quotes', { name: 'Line items', type: 'link', options: { sheet: 'Line items', relationship: 'one_to_many', inverseName: 'Quote' } });
  await addField('Quotes', { name: 'Subtotal', type: 'rollup', options: { link: 'Line items', field: 'Line total', fn: 'sum' } });
  await addField('Quotes', { name: 'Total', type: 'formula', options: { expression: 'ROUND({Subtotal} * (1 + {Tax rate}), 2)' } });

  const account = await ok(client.post(`${sheets()}/Accounts/records`, { fields: { Name: 'Globex <Taipei>', Address: 'No. 7, Section 5, Xinyi Road\nTaipei 110' } }));
  const products = await ok(client.post(`${sheets()}/Products/records`, { records: [{ fields: { Name: 'Widget', Price: 1250 } }, { fields: { Name: 'Gadget', Price: 99.99 } }] }));
  const [widget, gadget] = products.records as { id: string }[];
  const quote = await ok(
    client.post(`${sheets()}/Quotes/records`, {
      fields: {
        Name: 'Q-7',
        'Tax rate': 0.05,
        Account: [account.id],
        'Line items': [{ fields: { Product: [widget!.id], Quantity: 2 } }, { fields: { Product: [gadget!.id], Quantity: 3 } }],
      },
    }),
  );
  quoteId = quote.id;
});
afterAll(() => server.close());

describe('document templates', () => {
  it('creates, lists, renames and deletes documents; a stale version answers 409', async () => {
    const created = await ok(client.post(docs(), { name: 'Quote', template: QUOTE, locale: 'zh-tw' }));
    expect(created).toMatchObject({ id: expect.stringMatching(/^doc/), name: 'Quote', template: QUOTE, locale: 'zh-TW', version: 1 });
    const list = await ok(client.get(docs()), 200);
    expect(Object.keys((await ok(client.get('/api/openapi.json'), 200)).paths)).toContain('/api/w/{ws}/sheets/{sheet}/records/{record}/documents/{doc}');
    expect(list.map((d: { name: string }) => d.name)).toEqual(['Quote']);
    expect(await ok(client.get(docs('Quotes', '/Quote')), 200)).toMatchObject({ id: created.id });

    const dup = await client.post(docs(), { name: 'QUOTE', template: 'x' });
    expect(dup.status).toBe(400);
    expect(dup.body.error.details.fields.name).toMatch(/already used/);
    const badLocale = await client.post(docs(), { name: 'X', template: 'x', locale: 'not a locale!' });
    expect(Object.keys(badLocale.body.error.details.fields)).toEqual(['locale']);

    const renamed = await ok(client.patch(docs('Quotes', `/${created.id}`), { name: 'Quotation', version: 1, locale: 'en' }), 200);
    expect(renamed).toMatchObject({ name: 'Quotation', version: 2, locale: 'en', template: QUOTE });
    const stale = await client.patch(docs('Quotes', `/${created.id}`), { name: 'Stale', version: 1 });
    expect(stale.status).toBe(409);
    expect(stale.body.error.details).toMatchObject({ currentVersion: 2, current: { name: 'Quotation' } });
    expect((await ok(client.get(docs('Quotes', `/${created.id}`)), 200)).name).toBe('Quotation');

    const other = await ok(client.post(docs(), { name: 'Scratch' }));
    expect(other.template).toContain('{{#each [Line items]}}');
    // The starter template shows every field formatted for its type, and a table per link.
    const starter = String((await ok(client.get(page(quoteId, 'Scratch')), 200)));
    expect(starter).toContain('<h1>Q-7</h1>');
    expect(starter).toContain('<tr><th>Total</th><td>$2,939.97</td></tr>');
    expect(starter).toMatch(/<td>Widget<\/td><td class="num">\$1,250\.00<\/td><td class="num">\$2,500\.00<\/td>/);
    expect(starter).toContain('<td>Globex &lt;Taipei&gt;</td><td>No. 7, Section 5, Xinyi Road<br>Taipei 110</td>');
    expect((await client.delete(docs('Quotes', `/${other.id}`))).status).toBe(204);
    expect((await client.get(docs('Quotes', `/${other.id}`))).status).toBe(404);
    expect((await client.delete(docs('Quotes', `/${other.id}`))).status).toBe(404);
  });

  it('renders a quote with its line items, account address and totals, formatted, as a strict HTML page', async () => {
    const res = await client.get(page(quoteId, 'Quotation'));
    expect(res.status, String(res.body)).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(String(res.headers['content-security-policy'])).toMatch(/default-src 'none'/);
    expect(String(res.headers['content-security-policy'])).not.toMatch(/script-src/);
    const html = String(res.body);
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('size: A4');
    expect(html).toContain('<title>Quotation · Q-7</title>');
    expect(html).toContain('<h1>Quote Q-7</h1>');
    expect(html).toContain('Globex &lt;Taipei&gt;<br>No. 7, Section 5, Xinyi Road<br>Taipei 110');
    const rows = [...html.matchAll(/<tr><td>(\d)<\/td><td>(.*?)<\/td><td class="num">(.*?)<\/td><td class="num">(.*?)<\/td><td class="num">(.*?)<\/td><\/tr>/g)].map((m) => m.slice(1));
    expect(rows).toEqual([
      ['1', 'Widget', '2', '$1,250.00', '$2,500.00'],
      ['2', 'Gadget', '3', '$99.99', '$299.97'],
    ]);
    expect(html).toContain('<th>Subtotal</th><td>$2,799.97</td>');
    expect(html).toContain('<th>Tax</th><td>5%</td>');
    expect(html).toContain('<tr class="grand"><th>Total</th><td>$2,939.97</td></tr>');
    expect(html).toContain(`2 lines, checked $2,799.97; record ${quoteId} of Quotes`);

    // The same document in Traditional Chinese: dates and numbers follow.
    const zh = String((await client.get(page(quoteId, 'Quotation', '?locale=zh-TW'))).body);
    expect(zh).toContain('<html lang="zh-TW">');
    expect(zh).toContain('<tr class="grand"><th>Total</th><td>US$2,939.97</td></tr>');
    expect(zh).toMatch(/\d{4}年\d{1,2}月\d{1,2}日/);
  });

  it('escapes values, never reaches prototypes', async () => {
    const account = await ok(client.post(`${sheets()}/Accounts/records`, { fields: { Name: '<script>alert("x")</script>' } }));
    const quote = await ok(client.post(`${sheets()}/Quotes/records`, { fields: { Name: '<img src=x onerror=alert(1)>', Account: [account.id] } }));
    const html = String((await ok(client.post(docs('Quotes', '/preview'), { template: '{{Name}}|{{#each Account}}{{Name}}{{/each}}|{{{Name}}}', recordId: quote.id }), 200)));
    expect(html).toContain('&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;|&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;|');
    expect(html).not.toContain('<script>');

    const proto = String(
      await ok(client.post(docs('Quotes', '/preview'), { template: '[{{constructor.constructor}}|{{__proto__}}|{{record.constructor.name}}|{{lookup this "__proto__"}}|{{#with __proto__}}leak{{/with}}]', recordId: quoteId }), 200),
    );
    expect(proto).toContain('[||||]');
  });

  it('answers 400 with the line and column of a template error, and 404 for an unknown record or document', async () => {
    const syntax = await client.post(docs('Quotes', '/preview'), { template: '<h1>{{Name}}</h1>\n<p>{{#each [Line items]}}{{Quantity}}{{/if}}</p>', recordId: quoteId });
    expect(syntax.status).toBe(400);
    expect(syntax.body.error.details).toMatchObject({ kind: 'syntax', line: 2, column: 7, message: "each doesn't match if" });
    expect(syntax.body.error.message).toMatch(/line 2, column 7/);

    const unclosed = await client.post(docs(), { name: 'Broken', template: 'a\nb\n  {{Name' });
    expect(unclosed.status).toBe(400);
    expect(unclosed.body.error.details).toMatchObject({ kind: 'syntax', line: 3, column: expect.any(Number) });
    expect((await client.get(docs())).body.map((d: { name: string }) => d.name)).not.toContain('Broken');

    const helper = await client.post(docs('Quotes', '/preview'), { template: '{{money Total}}', recordId: quoteId });
    expect(helper.body.error.details).toMatchObject({ line: 1, column: 3, message: expect.stringMatching(/no helper "money"/) });
    const runtime = await client.post(docs('Quotes', '/preview'), { template: '{{#each}}{{/each}}', recordId: quoteId });
    expect(runtime.status).toBe(400);
    expect(runtime.body.error.details.kind).toBe('runtime');

    expect((await client.post(docs('Quotes', '/preview'), { template: 'x', recordId: '999999' })).status).toBe(404);
    expect((await client.get(page('999999', 'Quotation'))).status).toBe(404);
    expect((await client.get(page('abc', 'Quotation'))).status).toBe(404);
    expect((await client.get(page(quoteId, 'Nope'))).status).toBe(404);
    const asPage = await client.request('GET', page('999999', 'Quotation'), undefined, { accept: 'text/html' });
    expect(asPage.status).toBe(404);
    expect(String(asPage.body)).toContain('Record &#34;999999&#34; was not found');
  });

  it('lets readers render but only designers change templates', async () => {
    const viewerId = 'usrviewer0000001';
    await server.db.insertInto('users').values({ id: viewerId, email: 'viewer@example.com', name: 'Viewer', password_hash: await hashPassword('viewer pass') }).execute();
    await joinWorkspace(server.db, ws, viewerId, 'viewer');
    const viewer = await server.signIn('viewer@example.com', 'viewer pass');
    expect((await viewer.get(page(quoteId, 'Quotation'))).status).toBe(200);
    expect((await viewer.get(docs())).status).toBe(200);
    expect((await viewer.post(docs(), { name: 'Mine', template: 'x' })).status).toBe(403);
    expect((await viewer.post(docs('Quotes', '/preview'), { template: 'x', recordId: quoteId })).status).toBe(403);
    expect((await server.anonymous.get(page(quoteId, 'Quotation'))).status).toBe(401);
  });
});
