import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadLibrary } from '../schema-engine/index.js';
import { inviteMember } from './helpers/members.js';
import { startTestServer, type Client, type TestServer } from './helpers/server.js';

/**
 * Issued documents stay as issued (issue 16, item 1): copy on pick makes a quote line's unit price its own, and lock
 * rules keep an accepted quote and its lines from changing for everyone but designers.
 */

let server: TestServer;
let owner: Client;
let editor: Client;
let ws: string;
type Rec = { id: string; fields: Record<string, unknown> };
const u = (path: string) => `/api/w/${ws}${path}`;

beforeAll(async () => {
  server = await startTestServer();
  const setup = await server.setup('owner@example.com');
  owner = setup.client;
  ws = setup.workspaceId;
  const installed = await owner.post(u('/templates/full-crm/install'), { sampleData: true });
  expect(installed.status).toBe(201);
  ({ client: editor } = await inviteMember(server, owner, ws, 'editor@example.com', 'editor'));
});
afterAll(() => server.close());

async function all(client: Client, sheet: string): Promise<Rec[]> {
  const res = await client.get(u(`/sheets/${encodeURIComponent(sheet)}/records?limit=1000`));
  expect(res.status).toBe(200);
  return res.body.records;
}
const title = (value: unknown) => (value as { title: string }[] | undefined)?.[0]?.title;
const idOf = (value: unknown) => (value as { id: string }[] | undefined)?.[0]?.id;
const round2 = (n: number) => Math.round((n + Number.EPSILON) * 100) / 100;

/** The accepted quote's grand total as the template's data says: each line at its own or its product's price. */
function expectedAcceptedTotal(): { key: string; total: number } {
  const sheets = loadLibrary().get('products-quotes')!.sheets;
  const records = (key: string) => sheets.find((s) => s.key === key)!.records!;
  const quote = records('quotes').find((q) => q.fields.status === 'accepted')!;
  const price = new Map(records('products').map((p) => [p.key, Number(p.fields.unit_price)]));
  const lines = records('quote_lines').filter((l) => l.fields.quote === quote.key);
  const subtotal = round2(
    lines.reduce((sum, l) => {
      const unit = l.fields.unit_price !== undefined ? Number(l.fields.unit_price) : price.get(String(l.fields.product))!;
      return sum + round2(Number(l.fields.quantity) * unit * (1 - Number(l.fields.discount ?? 0)));
    }, 0),
  );
  return { key: quote.key!, total: round2(subtotal + round2(subtotal * Number(quote.fields.tax_rate))) };
}

describe('copy on pick', () => {
  it("keeps an accepted quote's total when a product's price changes", async () => {
    const { total } = expectedAcceptedTotal();
    expect(total).toBe(13912.14);
    const accepted = (await all(owner, 'Quotes')).find((q) => q.fields.Status === 'Accepted')!;
    expect(accepted.fields['Grand total']).toBe(total);
    const lines = (await all(owner, 'Quote lines')).filter((l) => idOf(l.fields.Quote) === accepted.id);
    const products = await all(owner, 'Products');
    // Every product of the quote costs twice as much now.
    for (const line of lines) {
      const product = products.find((p) => p.id === idOf(line.fields.Product))!;
      const res = await owner.patch(u(`/sheets/Products/records/${product.id}`), { fields: { 'Unit price': Number(product.fields['Unit price']) * 2 } });
      expect(res.status).toBe(200);
    }
    const after = await owner.get(u(`/sheets/Quotes/records/${accepted.id}`));
    expect(after.body.fields['Grand total']).toBe(total);
    const gtxPro = (await all(owner, 'Quote lines')).find((l) => idOf(l.fields.Quote) === accepted.id && title(l.fields.Product) === 'GTX Pro')!;
    expect(gtxPro.fields['Unit price']).toBe(4821);
    expect(gtxPro.fields['List price']).toEqual([9642]);
  });

  it('copies the price when a line picks a product, again when it picks another; a price given wins', async () => {
    const products = await all(editor, 'Products');
    const basic = products.find((p) => p.fields.Product === 'GTX Basic')!;
    const special = products.find((p) => p.fields.Product === 'MG Special')!;
    const quote = await editor.post(u('/sheets/Quotes/records'), { fields: { Title: 'Copy on pick', Status: 'Draft', 'Quote date': '2026-12-01' } });
    expect(quote.status, JSON.stringify(quote.body)).toBe(201);
    const line = await editor.post(u('/sheets/Quote lines/records'), { fields: { Item: 'A', Quote: [quote.body.id], Product: [basic.id], Quantity: 2 } });
    expect(line.status).toBe(201);
    expect(line.body.fields['Unit price']).toBe(basic.fields['Unit price']);
    expect(line.body.fields['Line total']).toBe(round2(2 * Number(basic.fields['Unit price'])));
    // The line's own price now: a change of the product's price does not reach it.
    expect((await owner.patch(u(`/sheets/Products/records/${basic.id}`), { fields: { 'Unit price': 1 } })).status).toBe(200);
    expect((await editor.get(u(`/sheets/Quote lines/records/${line.body.id}`))).body.fields['Unit price']).toBe(basic.fields['Unit price']);
    // Editable like any value, and copied again when the line picks another product (again: on_change).
    const edited = await editor.patch(u(`/sheets/Quote lines/records/${line.body.id}`), { fields: { 'Unit price': 500 } });
    expect(edited.body.fields['Unit price']).toBe(500);
    const moved = await editor.patch(u(`/sheets/Quote lines/records/${line.body.id}`), { fields: { Product: [special.id] } });
    expect(moved.status).toBe(200);
    expect(moved.body.fields['Unit price']).toBe(special.fields['Unit price']);
    // Picking the same product again is no change of the link: the price stays.
    await editor.patch(u(`/sheets/Quote lines/records/${line.body.id}`), { fields: { 'Unit price': 42 } });
    expect((await editor.patch(u(`/sheets/Quote lines/records/${line.body.id}`), { fields: { Product: [special.id] } })).body.fields['Unit price']).toBe(42);
    // A price given with the pick wins, on create and on update.
    const given = await editor.post(u('/sheets/Quote lines/records'), { fields: { Item: 'B', Quote: [quote.body.id], Product: [special.id], 'Unit price': 7.5, Quantity: 1 } });
    expect(given.body.fields['Unit price']).toBe(7.5);
    const both = await editor.patch(u(`/sheets/Quote lines/records/${given.body.id}`), { fields: { Product: [basic.id], 'Unit price': 8 } });
    expect(both.body.fields['Unit price']).toBe(8);
  });

  it('copies only once with again: never, and checks the option when the field is defined', async () => {
    const items = await owner.post(u('/sheets'), { name: 'Items', fields: [{ name: 'Name', type: 'text' }, { name: 'Price', type: 'currency', options: { currency: 'EUR' } }] });
    expect(items.status).toBe(201);
    const orders = await owner.post(u('/sheets'), {
      name: 'Orders',
      fields: [
        { name: 'Name', type: 'text' },
        { name: 'Item', type: 'link', options: { sheet: 'Items', relationship: 'many_to_one' } },
        { name: 'Price', type: 'number', options: { precision: 2, copyFrom: { link: 'Item', field: 'Price', again: 'never' } } },
      ],
    });
    expect(orders.status).toBe(201);
    const price = orders.body.fields.find((f: { name: string }) => f.name === 'Price');
    const item = orders.body.fields.find((f: { name: string }) => f.name === 'Item');
    expect(price.options.copyFrom).toEqual({ link: item.id, field: items.body.fields[1].id, again: 'never' });

    const a = await owner.post(u('/sheets/Items/records'), { fields: { Name: 'A', Price: 10 } });
    const b = await owner.post(u('/sheets/Items/records'), { fields: { Name: 'B', Price: 20 } });
    const order = await editor.post(u('/sheets/Orders/records'), { fields: { Name: 'O1', Item: [a.body.id] } });
    expect(order.body.fields.Price).toBe(10);
    const changed = await editor.patch(u(`/sheets/Orders/records/${order.body.id}`), { fields: { Item: [b.body.id] } });
    expect(changed.body.fields.Price).toBe(10);
    // An order without an item, given one later, copies then (from empty to set is the first pick).
    const later = await editor.post(u('/sheets/Orders/records'), { fields: { Name: 'O2' } });
    expect(later.body.fields.Price).toBeUndefined();
    expect((await editor.patch(u(`/sheets/Orders/records/${later.body.id}`), { fields: { Item: [b.body.id] } })).body.fields.Price).toBe(20);
    // Nested new records copy too, and a batch of creates.
    const batch = await editor.post(u('/sheets/Orders/records'), { records: [{ fields: { Name: 'O3', Item: [a.body.id] } }, { fields: { Name: 'O4', Item: [{ fields: { Name: 'C', Price: 30 } }] } }] });
    expect(batch.status).toBe(201);
    expect(batch.body.records.map((r: Rec) => r.fields.Price)).toEqual([10, 30]);

    const bad = async (options: Record<string, unknown>, type = 'number') => {
      const res = await owner.post(u('/sheets/Orders/fields'), { name: `Bad ${Math.random()}`, type, options });
      expect(res.status).toBe(400);
      return String(Object.values(res.body.error.details.fields)[0]);
    };
    expect(await bad({ copyFrom: { link: 'Name', field: 'Price' } })).toContain('is not a link field');
    expect(await bad({ copyFrom: { link: 'Item', field: 'Nope' } })).toContain('has no field "Nope"');
    expect(await bad({ copyFrom: { link: 'Item', field: 'Name' } })).toContain('holds text values');
    expect(await bad({ copyFrom: { link: 'Item', field: 'Price', again: 'always' } })).toContain('options.copyFrom.again');
    expect(await bad({ expression: '1', copyFrom: { link: 'Item', field: 'Price' } }, 'formula')).toContain('cannot copy values');
    // Turned off by options without it.
    const off = await owner.patch(u(`/sheets/Orders/fields/Price`), { options: { precision: 2 } });
    expect(off.status).toBe(200);
    expect(off.body.options.copyFrom).toBeUndefined();
    expect((await editor.post(u('/sheets/Orders/records'), { fields: { Name: 'O5', Item: [a.body.id] } })).body.fields.Price).toBeUndefined();
  });
});

describe('lock rules', () => {
  it('locks an accepted quote and its lines for editors, not for admins; refuses deleting it', async () => {
    const rules = await editor.get(u('/sheets/Quotes/rules'));
    const lock = rules.body.find((r: { kind: string }) => r.kind === 'lock');
    expect(lock).toMatchObject({ kind: 'lock', lockedFields: null, fields: ['Status'] });
    const accepted = (await all(editor, 'Quotes')).find((q) => q.fields.Status === 'Accepted')!;
    const refused = await editor.patch(u(`/sheets/Quotes/records/${accepted.id}`), { fields: { Title: 'Changed' } });
    expect(refused.status).toBe(400);
    expect(refused.body.error.details.fields.Title).toContain('is locked');
    expect(refused.body.error.message).toContain('"Title" is locked');
    // Setting a value it already has changes nothing and is no change of a locked field.
    expect((await editor.patch(u(`/sheets/Quotes/records/${accepted.id}`), { fields: { Title: accepted.fields.Title } })).status).toBe(200);
    const line = (await all(editor, 'Quote lines')).find((l) => idOf(l.fields.Quote) === accepted.id)!;
    const lineRefused = await editor.patch(u(`/sheets/Quote lines/records/${line.id}`), { fields: { Quantity: 99 } });
    expect(lineRefused.status).toBe(400);
    expect(lineRefused.body.error.details.fields.Quantity).toContain('is locked');
    // A new line on the accepted quote would change its line items (and total): refused, naming the link.
    const added = await editor.post(u('/sheets/Quote lines/records'), { fields: { Item: 'Extra', Quote: [accepted.id], 'Unit price': 1, Quantity: 1 } });
    expect(added.status).toBe(400);
    expect(added.body.error.details.fields.Quote).toBe('is locked: An accepted quote is issued and cannot be changed');
    const deleted = await editor.delete(u(`/sheets/Quotes/records/${accepted.id}`));
    expect(deleted.status).toBe(400);
    expect(deleted.body.error.message).toContain('locked');
    expect((await editor.get(u(`/sheets/Quotes/records/${accepted.id}`))).status).toBe(200);
    expect((await editor.get(u(`/sheets/Quote lines/records/${line.id}`))).body.fields.Quantity).toBe(line.fields.Quantity);
    // An admin corrects an issued quote.
    const byAdmin = await owner.patch(u(`/sheets/Quotes/records/${accepted.id}`), { fields: { Title: 'Corrected' } });
    expect(byAdmin.status).toBe(200);
    expect(byAdmin.body.fields.Title).toBe('Corrected');
    // A draft is not locked.
    const draft = (await all(editor, 'Quotes')).find((q) => q.fields.Status === 'Draft')!;
    expect((await editor.patch(u(`/sheets/Quotes/records/${draft.id}`), { fields: { Title: 'Draft changed' } })).status).toBe(200);
  });

  it('locks only the fields it names, and checks them when it is defined', async () => {
    const sheet = await owner.post(u('/sheets'), { name: 'Invoices', fields: [{ name: 'Name', type: 'text' }, { name: 'Amount', type: 'number' }, { name: 'Paid', type: 'checkbox' }] });
    expect(sheet.status).toBe(201);
    const rule = await owner.post(u('/sheets/Invoices/rules'), { kind: 'lock', condition: { '==': [{ var: 'Paid' }, true] }, message: 'A paid invoice keeps its amount', lockedFields: ['Amount'] });
    expect(rule.status).toBe(201);
    expect(rule.body).toMatchObject({ kind: 'lock', lockedFields: ['Amount'], fields: ['Paid'] });
    expect((await owner.post(u('/sheets/Invoices/rules'), { kind: 'lock', condition: true, message: 'x', lockedFields: ['Nope'] })).status).toBe(400);
    expect((await owner.post(u('/sheets/Invoices/rules'), { condition: true, message: 'x', lockedFields: ['Amount'] })).status).toBe(400);
    expect((await editor.post(u('/sheets/Invoices/rules'), { kind: 'lock', condition: true, message: 'x' })).status).toBe(403);

    const invoice = await editor.post(u('/sheets/Invoices/records'), { fields: { Name: 'I1', Amount: 100, Paid: true } });
    expect(invoice.status).toBe(201);
    const refused = await editor.patch(u(`/sheets/Invoices/records/${invoice.body.id}`), { fields: { Amount: 50 } });
    expect(refused.status).toBe(400);
    expect(refused.body.error.details.fields).toEqual({ Amount: 'is locked: A paid invoice keeps its amount' });
    expect((await editor.patch(u(`/sheets/Invoices/records/${invoice.body.id}`), { fields: { Name: 'I1 renamed' } })).status).toBe(200);
    // Unpaying unlocks it (the rule reads the record as it was before the write).
    expect((await editor.patch(u(`/sheets/Invoices/records/${invoice.body.id}`), { fields: { Paid: false } })).status).toBe(200);
    expect((await editor.patch(u(`/sheets/Invoices/records/${invoice.body.id}`), { fields: { Amount: 50 } })).status).toBe(200);
    // Not every field locked: it may be deleted.
    await editor.patch(u(`/sheets/Invoices/records/${invoice.body.id}`), { fields: { Paid: true } });
    expect((await editor.delete(u(`/sheets/Invoices/records/${invoice.body.id}`))).status).toBe(200);
  });
});
