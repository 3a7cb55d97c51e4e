import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fuzzHarness, fuzzOptions, reportSeed, SEED } from './fuzz-harness.js';
import { startTestServer, type Client, type Response, type TestServer } from '../helpers/server.js';
import { cursorEdits, formulas, logic, oddNumber, oddText, ruleLogic, sorts, toJsonText, values } from './fuzz-arbitraries.js';

/*
 * Property: whatever a client sends to the listing, record, formula, rule and view routes of a sheet with every field
 * type, the answer is never a 500, and a refused request (4xx) leaves the database's fingerprint unchanged.
 * Seeded: FUZZ_SEED=<n> replays a run; a failure prints its seed and the shrunk counterexample.
 */

let server: TestServer;
let client: Client;
let ws: string;
let names: string[];
let cursor: string;
const base = () => `/api/w/${ws}/sheets/All`;

beforeAll(async () => {
  server = await startTestServer();
  ({ client, workspaceId: ws } = await server.setup());
  const created = (status: number, res: Response) => expect(res.status, JSON.stringify(res.body)).toBe(status);
  created(201, await client.post(`/api/w/${ws}/sheets`, { name: 'Other', fields: [{ name: 'Title', type: 'text' }, { name: 'Score', type: 'number' }] }));
  created(
    201,
    await client.post(`/api/w/${ws}/sheets`, {
      name: 'All',
      fields: [
        { name: 'Name', type: 'text' },
        { name: 'Notes', type: 'long_text' },
        { name: 'Email', type: 'email' },
        { name: 'Phone', type: 'phone' },
        { name: 'Site', type: 'url' },
        { name: 'Qty', type: 'number', options: { precision: 2 } },
        { name: 'Amount', type: 'currency', options: { currency: 'USD', precision: 2 } },
        { name: 'Share', type: 'percent' },
        { name: 'Close', type: 'date' },
        { name: 'At', type: 'datetime' },
        { name: 'Done', type: 'checkbox' },
        { name: 'Stage', type: 'single_select', options: { choices: [{ name: 'Won' }, { name: 'Lost' }] } },
        { name: 'Tags', type: 'multi_select', options: { choices: [{ name: 'a' }, { name: 'b' }] } },
        { name: 'Stars', type: 'rating' },
        { name: 'No', type: 'autonumber', options: { prefix: 'Q-', digits: 5 } },
        { name: 'Owner', type: 'user' },
        { name: 'Files', type: 'attachment' },
        { name: 'Created', type: 'created_time' },
        { name: 'Edited', type: 'updated_time' },
        { name: 'Creator', type: 'created_by' },
        { name: 'Editor', type: 'updated_by' },
        { name: 'Other', type: 'link', options: { sheet: 'Other', relationship: 'many_to_many' } },
        { name: 'Titles', type: 'lookup', options: { link: 'Other', field: 'Title' } },
        { name: 'Scores', type: 'rollup', options: { link: 'Other', field: 'Score', fn: 'sum' } },
        { name: 'Double', type: 'formula', options: { expression: '{Qty} * 2' } },
      ],
    }),
  );
  const other = await client.post(`/api/w/${ws}/sheets/Other/records`, { records: [{ fields: { Title: 'One', Score: 1 } }, { fields: { Title: 'Two', Score: 2 } }] });
  created(201, other);
  const ids = other.body.records.map((r: { id: string }) => r.id);
  created(
    201,
    await client.post(`${base()}/records`, {
      records: Array.from({ length: 6 }, (_, i) => ({
        fields: { Name: `Row ${i}`, Qty: i * 1.5, Amount: 10 * i, Close: `2026-0${i + 1}-15`, At: `2026-0${i + 1}-15T10:00:00Z`, Stage: i % 2 ? 'Won' : 'Lost', Tags: ['a'], Stars: 1 + (i % 5), Other: ids.slice(0, i % 3) },
      })),
    }),
  );
  names = (await client.get(base())).body.fields.map((f: { name: string }) => f.name);
  const page = await client.get(`${base()}/records?limit=2&sort=-Amount,Name`);
  cursor = page.body.nextCursor;
  expect(cursor).toEqual(expect.any(String));
});
afterAll(() => server.close());

const { print, answered, send, writes } = fuzzHarness(() => ({ server, client }));
const options = fuzzOptions;

describe(`fuzzing with seed ${SEED}`, () => {
  it('lists with any filter, sort, search, limit and cursor (GET and POST) without a 500 or a change', async () => {
    const before = await print();
    // Each parameter is left out, sane, or hostile, so that many listings get past the checks to PostgreSQL.
    const sometimes = <T>(sane: fc.Arbitrary<T>, hostile: fc.Arbitrary<T>) =>
      fc.oneof({ weight: 2, arbitrary: fc.constant(undefined) }, { weight: 3, arbitrary: sane }, { weight: 1, arbitrary: hostile });
    const query = fc.record({
      filter: fc.option(logic(names), { nil: undefined, freq: 4 }),
      sort: sometimes(fc.constantFrom('Name', '-Amount,Name', '-Close', 'Stage', 'Titles', '-Scores', 'Double', 'No', 'At,-Qty,Stars'), sorts(names)),
      search: sometimes(fc.constantFrom('Row', 'ow 1', '台'), oddText),
      limit: sometimes(fc.integer({ min: 1, max: 1000 }) as fc.Arbitrary<unknown>, fc.constantFrom(-1, 0, 1001, 1.5, '1e3', 'abc', '', '0x10')),
      cursor: fc.oneof({ weight: 5, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: cursorEdits(cursor) }),
      count: fc.constantFrom(undefined, true, false, 'yes'),
    });
    const statuses = new Map<number, number>();
    await fc
      .assert(
        fc.asyncProperty(query, fc.boolean(), async (q, viaPost) => {
          const present = Object.fromEntries(Object.entries(q).filter(([, v]) => v !== undefined));
          let res: Response;
          if (viaPost) res = answered(await send('POST', `${base()}/records/query`, present), 'POST records/query');
          else {
            const params = Object.entries(present).flatMap(([key, value]) => {
              const text = key === 'filter' ? toJsonText(value) : String(value);
              return text.isWellFormed() ? [`${key}=${encodeURIComponent(text)}`] : [];
            });
            res = answered(await client.get(`${base()}/records?${params.join('&')}`), 'GET records');
          }
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        }),
        options(2000),
      )
      .catch(reportSeed);
    expect(await print()).toBe(before);
    // The fuzzer reaches PostgreSQL, not only the checks before it.
    expect(statuses.get(200) ?? 0, JSON.stringify([...statuses])).toBeGreaterThan(200);
  }, 120_000);

  it('writes records with any values, one or a batch, refusing without a change', async () => {
    const state = { print: await print() };
    const fieldValues = fc.dictionary(fc.constantFrom(...names, 'Nope', '__proto__', 'constructor', ''), values(names), { maxKeys: 4 });
    const body = fc.oneof(fieldValues.map((fields) => ({ fields })), fc.array(fieldValues, { minLength: 1, maxLength: 3 }).map((list) => ({ records: list.map((fields) => ({ fields })) })));
    await fc
      .assert(
        fc.asyncProperty(body, fc.boolean(), async (input, update) => {
          if (update && 'fields' in input) await writes(state, 'PATCH record', () => send('PATCH', `${base()}/records/1`, { ...input, version: 1 }));
          else await writes(state, 'POST records', () => send('POST', `${base()}/records`, input));
        }),
        options(200),
      )
      .catch(reportSeed);
  }, 120_000);

  it('adds formula fields from any expression; an accepted one still lists', async () => {
    const state = { print: await print() };
    let n = 0;
    await fc
      .assert(
        fc.asyncProperty(formulas(names), async (expression) => {
          const name = `F${n++}`;
          const res = await writes(state, `formula ${JSON.stringify(expression).slice(0, 200)}`, () => send('POST', `${base()}/fields`, { name, type: 'formula', options: { expression } }));
          if (res.status !== 201) return;
          answered(await client.get(`${base()}/records?sort=${encodeURIComponent(name)}&limit=20`), `listing with formula ${expression}`);
          answered(await client.get(`${base()}/records?cellFormat=string&limit=20`), `display values with formula ${expression}`);
          expect((await client.delete(`${base()}/fields/${name}`)).status).toBe(200);
          state.print = await print();
        }),
        options(120),
      )
      .catch(reportSeed);
  }, 180_000);

  it('adds validation rules with any condition; records are still written or refused with 400', async () => {
    const state = { print: await print() };
    await fc
      .assert(
        fc.asyncProperty(ruleLogic(names), fc.oneof(oddText, fc.constant('Broken')), values(names), async (condition, message, value) => {
          const res = await writes(state, 'POST rule', () => send('POST', `${base()}/rules`, { condition, message }));
          if (res.status !== 201) return;
          await writes(state, 'record under a rule', () => send('POST', `${base()}/records`, { fields: { Name: 'ruled', Notes: value, Qty: 3 } }));
          expect((await client.delete(`${base()}/rules/${res.body.id}`)).status).toBe(204);
          state.print = await print();
        }),
        options(100),
      )
      .catch(reportSeed);
  }, 120_000);

  it('saves views with any settings; an accepted one lists, and a refused one changes nothing', async () => {
    const state = { print: await print() };
    let n = 0;
    const config = fc.record(
      {
        filter: logic(names),
        sort: sorts(names),
        search: oddText,
        hiddenFields: fc.array(fc.constantFrom(...names, 'Nope'), { maxLength: 3 }),
        fieldWidths: fc.dictionary(fc.constantFrom(...names, 'Nope'), oddNumber, { maxKeys: 2 }),
        rowHeight: fc.constantFrom('short', 'huge'),
        groupBy: fc.constantFrom('Stage', 'Name', 'Nope'),
        sumField: fc.constantFrom('Qty', 'Scores', 'Name'),
      },
      { requiredKeys: [] },
    );
    await fc
      .assert(
        fc.asyncProperty(config, fc.constantFrom('grid', 'kanban'), fc.oneof(fc.constant(''), oddText), async (settings, type, suffix) => {
          const res = await writes(state, 'POST view', () => send('POST', `${base()}/views`, { name: `V${n++}${suffix}`, type, config: settings }));
          if (res.status !== 201) return;
          const { filter, sort, search } = res.body.config;
          answered(await send('POST', `${base()}/records/query`, { filter, sort, search }), 'listing a saved view');
          answered(await client.get(`${base()}/views`), 'views');
          expect((await client.delete(`${base()}/views/${res.body.id}`)).status).toBe(204);
          state.print = await print();
        }),
        options(120),
      )
      .catch(reportSeed);
  }, 120_000);
});
