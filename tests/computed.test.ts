import { sql } from 'kysely';
import pg from 'pg';
import { insertedSelectList, recordSelect, sheetTable } from '../schema-engine/records/columns.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type Client, type TestServer } from './helpers/server.js';

let server: TestServer;
let client: Client;
let ws: string;
const sheets = () => `/api/w/${ws}/sheets`;
const records = (sheet: string) => `${sheets()}/${encodeURIComponent(sheet)}/records`;

async function create(sheet: string, fields: Record<string, unknown>) {
  const res = await client.post(records(sheet), { fields });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; fields: Record<string, any> };
}
async function addField(sheet: string, body: Record<string, unknown>) {
  const res = await client.post(`${sheets()}/${encodeURIComponent(sheet)}/fields`, body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}
const get = async (sheet: string, id: string) => (await client.get(`${records(sheet)}/${id}`)).body.fields as Record<string, any>;
const list = async (sheet: string, query: Record<string, string>) => {
  const res = await client.get(`${records(sheet)}?${new URLSearchParams(query)}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.records as { id: string; fields: Record<string, any> }[];
};
const names = (rows: { fields: Record<string, any> }[]) => rows.map((r) => r.fields.Name);

let quote: { id: string };
let empty: { id: string };

beforeAll(async () => {
  server = await startTestServer();
  ({ client, workspaceId: ws } = await server.setup());
  const post = (body: unknown) => client.post(sheets(), body);
  expect((await post({ name: 'Series', fields: [{ name: 'Name', type: 'text' }] })).status).toBe(201);
  expect(
    (
      await post({
        name: 'Products',
        fields: [
          { name: 'Name', type: 'text' },
          { name: 'Unit price', type: 'currency', options: { currency: 'USD', precision: 2 } },
          { name: 'Launched', type: 'date' },
          { name: 'Series', type: 'link', options: { sheet: 'Series', relationship: 'many_to_one' } },
          { name: 'Colors', type: 'multi_select', options: { choices: [{ name: 'Red' }, { name: 'Blue' }] } },
        ],
      })
    ).status,
  ).toBe(201);
  expect((await post({ name: 'Quotes', fields: [{ name: 'Name', type: 'text' }, { name: 'Tax rate', type: 'percent', options: { precision: 0 } }] })).status).toBe(201);
  expect(
    (
      await post({
        name: 'Lines',
        fields: [
          { name: 'Name', type: 'text' },
          { name: 'Quote', type: 'link', options: { sheet: 'Quotes', relationship: 'many_to_one', inverseName: 'Line items' } },
          { name: 'Product', type: 'link', options: { sheet: 'Products', relationship: 'many_to_one' } },
          { name: 'Quantity', type: 'number', options: { precision: 0 } },
          { name: 'Discount', type: 'percent', options: { precision: 0 } },
          { name: 'Unit price', type: 'lookup', options: { link: 'Product', field: 'Unit price' } },
          { name: 'Line total', type: 'formula', options: { expression: '{Quantity} * {Unit price} * (1 - {Discount})' } },
          { name: 'Series', type: 'lookup', options: { link: 'Product', field: 'Series' } },
        ],
      })
    ).status,
  ).toBe(201);
  await addField('Quotes', { name: 'Subtotal', type: 'rollup', options: { link: 'Line items', field: 'Line total', fn: 'sum' } });
  await addField('Quotes', { name: 'Grand total', type: 'formula', options: { expression: 'ROUND({Subtotal} * (1 + {Tax rate}), 2)' } });

  const pro = await create('Series', { Name: 'Pro' });
  const basic = await create('Series', { Name: 'Basic' });
  const widget = await create('Products', { Name: 'Widget', 'Unit price': 10.5, Launched: '2024-03-01', Series: [pro.id], Colors: ['Red', 'Blue'] });
  const gadget = await create('Products', { Name: 'Gadget', 'Unit price': 99.99, Launched: '2023-01-15', Series: [basic.id], Colors: ['Blue'] });
  quote = await create('Quotes', { Name: 'Q1', 'Tax rate': 0.05 });
  await create('Lines', { Name: 'L1', Quote: [quote.id], Product: [widget.id], Quantity: 3, Discount: 0.1 });
  await create('Lines', { Name: 'L2', Quote: [quote.id], Product: [gadget.id], Quantity: 1 });
  await create('Lines', { Name: 'L3', Quote: [quote.id], Product: [widget.id] });
  empty = await create('Quotes', { Name: 'Q0' });
});
afterAll(() => server.close());

describe('lookups', () => {
  it('reads a field of the linked record, typed like it', async () => {
    const lines = await list('Lines', { sort: 'Name' });
    expect(lines.map((l) => l.fields['Unit price'])).toEqual([[10.5], [99.99], [10.5]]);
    const field = (await client.get(`${sheets()}/Lines`)).body.fields.find((f: { name: string }) => f.name === 'Unit price');
    expect(field.result).toEqual({ type: 'currency', options: { currency: 'USD', precision: 2 }, list: true });
  });

  it('looks up a lookup (a quote line\'s product\'s series) and a link, by title', async () => {
    await addField('Quotes', { name: 'Series', type: 'lookup', options: { link: 'Line items', field: 'Series' } });
    expect((await get('Quotes', quote.id)).Series).toEqual(['Pro', 'Basic', 'Pro']);
    expect((await get('Lines', (await list('Lines', { sort: 'Name' }))[0]!.id)).Series).toEqual(['Pro']);
  });

  it('looks up multi-selects as one list per linked record and formats with the leaf type', async () => {
    await addField('Lines', { name: 'Colors', type: 'lookup', options: { link: 'Product', field: 'Colors' } });
    const l1 = (await list('Lines', { sort: 'Name' }))[0]!;
    expect(l1.fields.Colors).toEqual([['Red', 'Blue']]);
    const asText = (await client.get(`${records('Lines')}/${l1.id}?cellFormat=string&locale=en`)).body.fields;
    expect(asText['Unit price']).toBe('$10.50');
    expect(asText.Colors).toBe('Red, Blue');
  });

  it('is empty without links and refuses writes', async () => {
    expect(await get('Quotes', empty.id)).not.toHaveProperty('Series');
    const res = await client.post(records('Lines'), { fields: { Name: 'x', 'Unit price': [1] } });
    expect(res.status).toBe(400);
    expect(res.body.error.details.fields['Unit price']).toMatch(/cannot be written/);
  });

  it('refuses a lookup through a field that is not a link, or of a field that does not exist', async () => {
    const notLink = await client.post(`${sheets()}/Lines/fields`, { name: 'X', type: 'lookup', options: { link: 'Quantity', field: 'Name' } });
    expect(notLink.status).toBe(400);
    expect(notLink.body.error.details.fields.X).toBe('options.link: "Quantity" is a number field, not a link');
    const noField = await client.post(`${sheets()}/Lines/fields`, { name: 'X', type: 'lookup', options: { link: 'Product', field: 'Weight' } });
    expect(noField.body.error.details.fields.X).toBe('options.field: "Products" has no field "Weight"');
  });
});

describe('rollups', () => {
  it('computes every function over the linked records', async () => {
    const fns = { sum: 'Quantity', avg: 'Quantity', min: 'Quantity', max: 'Quantity', count: 'Quantity', count_all: 'Quantity', concat: 'Name' };
    for (const [fn, fieldName] of Object.entries(fns)) {
      await addField('Quotes', { name: `R ${fn}`, type: 'rollup', options: { link: 'Line items', field: fieldName, fn } });
    }
    await addField('Quotes', { name: 'R top price', type: 'rollup', options: { link: 'Line items', field: 'Unit price', fn: 'max' } });
    const q = await get('Quotes', quote.id);
    // L3 has no quantity: count skips it, count_all does not, avg is over the two values.
    expect(q).toMatchObject({ 'R sum': 4, 'R avg': 2, 'R min': 1, 'R max': 3, 'R count': 2, 'R count_all': 3, 'R concat': 'L1, L2, L3', 'R top price': 99.99 });
    // Line total = 3 × 10.50 × 0.9 + 1 × 99.99 + 0 = 128.34
    expect(q.Subtotal).toBe(128.34);
    expect(q['Grand total']).toBe(134.76);
    const none = await get('Quotes', empty.id);
    expect(none).toMatchObject({ 'R sum': 0, 'R count': 0, 'R count_all': 0, Subtotal: 0 });
    expect(none).not.toHaveProperty('R avg');
    expect(none).not.toHaveProperty('R concat');
  });

  it('types its result: a sum of currency is a currency, a count a whole number, min of dates a date', async () => {
    const fields = (await client.get(`${sheets()}/Quotes`)).body.fields as { name: string; result?: unknown }[];
    expect(fields.find((f) => f.name === 'R count')!.result).toEqual({ type: 'number', options: { precision: 0 } });
    await addField('Lines', { name: 'Launched', type: 'rollup', options: { link: 'Product', field: 'Launched', fn: 'min' } });
    expect((await list('Lines', { sort: 'Name' }))[1]!.fields.Launched).toBe('2023-01-15');
    const text = (await client.get(`${records('Quotes')}/${quote.id}?cellFormat=string&locale=en`)).body.fields;
    expect(text.Subtotal).toBe('$128.34');
  });

  it('refuses a sum of text', async () => {
    const res = await client.post(`${sheets()}/Quotes/fields`, { name: 'Bad', type: 'rollup', options: { link: 'Line items', field: 'Name', fn: 'sum' } });
    expect(res.status).toBe(400);
    expect(res.body.error.details.fields.Bad).toMatch(/sum needs numbers/);
  });
});

describe('formulas', () => {
  it('computes with lookups and shows the expression with current names after a rename', async () => {
    const lines = await list('Lines', { sort: 'Name' });
    expect(lines.map((l) => l.fields['Line total'])).toEqual([28.35, 99.99, 0]);
    expect((await client.patch(`${sheets()}/Lines/fields/Quantity`, { name: 'Qty' })).status).toBe(200);
    const field = (await client.get(`${sheets()}/Lines`)).body.fields.find((f: { name: string }) => f.name === 'Line total');
    expect(field.options.expression).toBe('{Qty} * {Unit price} * (1 - {Discount})');
    expect(field.result).toEqual({ type: 'currency', options: { currency: 'USD', precision: 2 } });
    expect((await list('Lines', { sort: 'Name' }))[0]!.fields['Line total']).toBe(28.35);
    expect((await client.patch(`${sheets()}/Lines/fields/Qty`, { name: 'Quantity' })).status).toBe(200);
  });

  it('refuses a syntax error, an unknown field and a cycle with the position and reason', async () => {
    const syntax = await client.post(`${sheets()}/Lines/fields`, { name: 'F', type: 'formula', options: { expression: '{Quantity} * ' } });
    expect(syntax.status).toBe(400);
    expect(syntax.body.error.details.fields.F).toMatch(/^options.expression: .*\(at character \d+\)$/);
    const unknown = await client.post(`${sheets()}/Lines/fields`, { name: 'F', type: 'formula', options: { expression: '1 + {Nope}' } });
    expect(unknown.body.error.details.fields.F).toBe('options.expression: there is no field {Nope} in "Lines" (at character 5)');
    await addField('Lines', { name: 'A', type: 'formula', options: { expression: '{Quantity} + 1' } });
    await addField('Lines', { name: 'B', type: 'formula', options: { expression: '{A} * 2' } });
    const cycle = await client.patch(`${sheets()}/Lines/fields/A`, { options: { expression: '{B} + 1' } });
    expect(cycle.status).toBe(400);
    expect(cycle.body.error.details.fields.A).toMatch(/cycle/);
    expect(cycle.body.error.details.fields.A).toMatch(/at character 1/);
    const self = await client.patch(`${sheets()}/Lines/fields/A`, { options: { expression: '{A} + 1' } });
    expect(self.body.error.details.fields.A).toMatch(/cannot refer to itself/);
  });

  it('refuses to delete a field others compute from, naming them, unless forced; restoring heals them', async () => {
    const rule = await client.post(`${sheets()}/Lines/rules`, { condition: { '<=': [{ var: 'Discount' }, 0.5] }, message: 'Discount at most 50 %' });
    expect(rule.status).toBe(201);
    const refused = await client.delete(`${sheets()}/Lines/fields/Discount`);
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('has_dependents');
    expect(refused.body.error.details.dependents).toContainEqual(expect.objectContaining({ sheet: 'Lines', rule: 'Discount at most 50 %' }));
    expect((await client.delete(`${sheets()}/Lines/rules/${rule.body.id}`)).status).toBe(204);
    expect(refused.body.error.details.dependents.map((d: { sheet: string; field: string }) => `${d.sheet}.${d.field}`)).toEqual(
      expect.arrayContaining(['Lines.Line total', 'Quotes.Subtotal', 'Quotes.Grand total']),
    );
    expect((await client.delete(`${sheets()}/Lines/fields/Discount?force=true`)).status).toBe(200);
    const broken = (await client.get(`${sheets()}/Lines`)).body.fields.find((f: { name: string }) => f.name === 'Line total');
    expect(broken.error).toMatch(/trash/);
    expect((await list('Lines', { sort: 'Name' }))[0]!.fields).not.toHaveProperty('Line total');
    expect((await client.get(`${records('Lines')}?sort=Line%20total`)).status).toBe(400);
    const item = (await client.get(`/api/w/${ws}/trash`)).body.find((t: { name: string }) => t.name === 'Discount');
    expect((await client.post(`/api/w/${ws}/trash/${item.id}/restore`)).status).toBe(200);
    expect((await get('Quotes', quote.id)).Subtotal).toBe(128.34);
  });

  it('turns a formula into text keeping its results, and back', async () => {
    await addField('Lines', { name: 'Label', type: 'formula', options: { expression: '{Name} & " x" & {Quantity}' } });
    expect((await list('Lines', { sort: 'Name' }))[0]!.fields.Label).toBe('L1 x3');
    const res = await client.patch(`${sheets()}/Lines/fields/Label`, { type: 'text' });
    expect(res.status).toBe(200);
    expect((await list('Lines', { sort: 'Name' }))[0]!.fields.Label).toBe('L1 x3');
  });
});

describe('trash round trips of computed fields', () => {
  it('turns a text field into a formula and undoes it from the trash with the old values', async () => {
    await addField('Quotes', { name: 'Note', type: 'text' });
    await client.patch(`${records('Quotes')}/${quote.id}`, { fields: { Note: 'keep me' } });
    const changed = await client.patch(`${sheets()}/Quotes/fields/Note`, { type: 'formula', options: { expression: 'UPPER({Name})' } });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect((await get('Quotes', quote.id)).Note).toBe('Q1');
    const item = (await client.get(`/api/w/${ws}/trash`)).body.find((t: { name: string; kind: string }) => t.name === 'Note' && t.kind === 'field_version');
    expect((await client.post(`/api/w/${ws}/trash/${item.id}/restore`)).status).toBe(200);
    expect((await get('Quotes', quote.id)).Note).toBe('keep me');
  });

  it('deletes and restores a rollup and a lookup', async () => {
    expect((await client.delete(`${sheets()}/Quotes/fields/Grand total`)).status).toBe(200);
    expect((await client.delete(`${sheets()}/Quotes/fields/Subtotal`)).status).toBe(200);
    const trash = (await client.get(`/api/w/${ws}/trash`)).body as { id: string; name: string }[];
    for (const name of ['Subtotal', 'Grand total']) {
      expect((await client.post(`/api/w/${ws}/trash/${trash.find((t) => t.name === name)!.id}/restore`)).status).toBe(200);
    }
    expect(await get('Quotes', quote.id)).toMatchObject({ Subtotal: 128.34, 'Grand total': 134.76 });
  });
});

describe('filter and sort on computed fields', () => {
  it('filters on a link title, a lookup, a rollup and a formula, in SQL', async () => {
    expect(names(await list('Lines', { filter: JSON.stringify({ contains: [{ var: 'Product' }, 'gad'] }) }))).toEqual(['L2']);
    expect(names(await list('Lines', { filter: JSON.stringify({ '==': [{ var: 'Product' }, 'Widget'] }), sort: 'Name' }))).toEqual(['L1', 'L3']);
    expect(names(await list('Lines', { filter: JSON.stringify({ '>': [{ var: 'Unit price' }, 50] }) }))).toEqual(['L2']);
    expect(names(await list('Lines', { filter: JSON.stringify({ '>=': [{ var: 'Line total' }, 28.35] }), sort: 'Name' }))).toEqual(['L1', 'L2']);
    expect(names(await list('Quotes', { filter: JSON.stringify({ '>': [{ var: 'Subtotal' }, 100] }) }))).toEqual(['Q1']);
    expect(names(await list('Quotes', { filter: JSON.stringify({ is_empty: [{ var: 'Line items' }] }) }))).toEqual(['Q0']);
    expect(names(await list('Quotes', { filter: JSON.stringify({ '==': [{ var: 'Series' }, 'Basic'] }) }))).toEqual(['Q1']);
    expect(names(await list('Quotes', { filter: JSON.stringify({ '!=': [{ var: 'Series' }, 'Basic'] }) }))).toEqual(['Q0']);
    const bad = await client.get(`${records('Lines')}?filter=${encodeURIComponent(JSON.stringify({ '>': [{ var: 'Unit price' }, 'cheap'] }))}`);
    expect(bad.status).toBe(400);
  });

  it('sorts on a link title, a lookup, a rollup and a formula, and pages through them', async () => {
    expect(names(await list('Lines', { sort: '-Line total' }))).toEqual(['L2', 'L1', 'L3']);
    expect(names(await list('Lines', { sort: 'Product,Name' }))).toEqual(['L2', 'L1', 'L3']);
    expect(names(await list('Lines', { sort: '-Unit price,Name' }))).toEqual(['L2', 'L1', 'L3']);
    expect(names(await list('Quotes', { sort: '-Subtotal' }))).toEqual(['Q1', 'Q0']);
    const first = await client.get(`${records('Lines')}?sort=-Line%20total&limit=2`);
    const second = await client.get(`${records('Lines')}?sort=-Line%20total&limit=2&cursor=${encodeURIComponent(first.body.nextCursor)}`);
    expect(names(second.body.records)).toEqual(['L3']);
  });
});

describe('nested writes', () => {
  it('creates a quote with its line items in one request', async () => {
    const products = await list('Products', { sort: 'Name' });
    const res = await client.post(records('Quotes'), {
      fields: {
        Name: 'Q2',
        'Line items': [
          { fields: { Name: 'N1', Product: [products[1]!.id], Quantity: 2 } },
          { fields: { Name: 'N2', Product: [products[0]!.id], Quantity: 1 } },
        ],
      },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.fields['Line items'].map((l: { title: string }) => l.title)).toEqual(['N1', 'N2']);
    expect(res.body.fields.Subtotal).toBe(2 * 10.5 + 99.99);
    expect(names(await list('Lines', { filter: JSON.stringify({ '==': [{ var: 'Quote' }, 'Q2'] }), sort: 'Name' }))).toEqual(['N1', 'N2']);
  });

  it('writes nothing when a child is invalid, naming the child and its field', async () => {
    const before = (await client.get(`${records('Lines')}?count=true`)).body.total;
    const res = await client.post(records('Quotes'), {
      fields: { Name: 'Q3', 'Line items': [{ fields: { Name: 'ok', Quantity: 1 } }, { fields: { Name: 'bad', Quantity: 'many' } }] },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.details.fields['Line items']).toBe('new linked record 2: "Quantity" must be a number');
    expect((await client.get(`${records('Lines')}?count=true`)).body.total).toBe(before);
    expect(await list('Quotes', { filter: JSON.stringify({ '==': [{ var: 'Name' }, 'Q3'] }) })).toEqual([]);
  });
});

describe('one statement per page', () => {
  it('lists records with links, lookups, rollups and a formula in a single SQL query', async () => {
    let count = 0;
    const original = pg.Client.prototype.query;
    const url = `${records('Quotes')}?limit=50&sort=-Subtotal`;
    await client.get(url); // warms the session and catalog caches
    pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
      count++;
      return (original as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof original;
    try {
      const res = await client.get(url);
      expect(res.status).toBe(200);
      expect(res.body.records.length).toBeGreaterThan(1);
    } finally {
      pg.Client.prototype.query = original;
    }
    expect(count).toBe(1);
  });

  it('selects the same values through one join per link as through one subquery per field', async () => {
    await addField('Quotes', { name: 'Line totals', type: 'lookup', options: { link: 'Line items', field: 'Line total' } });
    await addField('Quotes', { name: 'Names', type: 'rollup', options: { link: 'Line items', field: 'Name', fn: 'concat' } });
    await addField('Quotes', { name: 'Line count', type: 'rollup', options: { link: 'Line items', field: 'Quantity', fn: 'count_all' } });
    await addField('Quotes', { name: 'Average line', type: 'formula', options: { expression: 'ROUND({Subtotal} / {Line count}, 2)' } });
    const overview = await server.engine.catalog.get(ws);
    let joined = 0;
    for (const sheet of overview.sheets) {
      const { list, joins } = recordSelect(sheet);
      const viaJoins = await sql<Record<string, unknown>>`SELECT ${list} FROM ${sheetTable(overview, sheet)} AS t${joins} ORDER BY t.id`.execute(server.db);
      const perField = await sql<Record<string, unknown>>`SELECT ${insertedSelectList(sheet)} FROM ${sheetTable(overview, sheet)} AS t ORDER BY t.id`.execute(server.db);
      for (const field of sheet.fields.filter((f) => f.impl.computed)) {
        joined += field.impl.computed!.viaLink ? 1 : 0;
        expect(viaJoins.rows.map((r) => r[field.id]), `${sheet.name}.${field.name}`).toEqual(perField.rows.map((r) => r[field.id]));
      }
    }
    expect(joined).toBeGreaterThan(5);
    const q = (await list('Quotes', { sort: 'Name' })).find((r) => r.id === quote.id)!.fields;
    expect(q['Average line']).toBe(42.78);
    expect(q['Line totals']).toEqual([28.35, 99.99, 0]);
  });
});
