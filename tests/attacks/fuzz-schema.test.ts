import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIELD_TYPE_IDS } from '../../schema-engine/field-types/type-ids.js';
import { fuzzHarness, fuzzOptions, reportSeed, SEED } from './fuzz-harness.js';
import { startTestServer, type Client, type Response, type TestServer } from '../helpers/server.js';
import { logic, oddNumber, oddText, RawJson, values } from './fuzz-arbitraries.js';

/*
 * The design routes under the same property as tests/attacks/fuzz.test.ts: fields (names, types, options, default
 * values, type changes), sheets, forms (layouts and conditions), documents (templates) and the trash never answer
 * 500, and a refused request changes nothing. FUZZ_SEED=<n> replays a run.
 */

let server: TestServer;
let client: Client;
let ws: string;
const names = ['Name', 'Qty', 'Close', 'Stage', 'Tags', 'Mutable 1', 'Mutable 2', 'Mutable 3'];
const sheetUrl = () => `/api/w/${ws}/sheets/Scratch`;

beforeAll(async () => {
  server = await startTestServer();
  ({ client, workspaceId: ws } = await server.setup());
  const sheet = await client.post(`/api/w/${ws}/sheets`, {
    name: 'Scratch',
    fields: [
      { name: 'Name', type: 'text' },
      { name: 'Qty', type: 'number' },
      { name: 'Close', type: 'date' },
      { name: 'Stage', type: 'single_select', options: { choices: [{ name: 'Won' }, { name: 'Lost' }] } },
      { name: 'Tags', type: 'multi_select', options: { choices: [{ name: 'a' }] } },
      { name: 'Mutable 1', type: 'text' },
      { name: 'Mutable 2', type: 'number' },
      { name: 'Mutable 3', type: 'date' },
    ],
  });
  expect(sheet.status, JSON.stringify(sheet.body)).toBe(201);
  const records = await client.post(`${sheetUrl()}/records`, {
    records: [
      { fields: { Name: 'One', Qty: 1, Close: '2026-01-31', Stage: 'Won', 'Mutable 1': 'Won', 'Mutable 2': 12.5, 'Mutable 3': '2026-03-01' } },
      { fields: { Name: 'Two', Qty: 2.25, Tags: ['a'], 'Mutable 1': '2026-02-28', 'Mutable 2': -3 } },
    ],
  });
  expect(records.status).toBe(201);
});
afterAll(() => server.close());

const { print, answered, send, writes } = fuzzHarness(() => ({ server, client }));
const options = fuzzOptions;

const name = fc.oneof(
  { weight: 3, arbitrary: fc.string({ minLength: 1, maxLength: 12 }) },
  { weight: 2, arbitrary: oddText },
  { weight: 1, arbitrary: fc.constantFrom('Name', 'ｎａｍｅ', 'NAME\u200b', 'Qty\u00ad', 'Stage', '\u200b', ' \ufeff ', '🚀\u200d', 'x'.repeat(256)) },
);
const choice = fc.record({ name: fc.oneof(name, fc.constantFrom('Won', 'won', 'ＷＯＮ', 'A', 'a')), color: fc.option(fc.constantFrom('blue', 'x', '\ud800'), { nil: undefined }) }, { requiredKeys: ['name'] });
const fieldOptions = fc.oneof(
  fc.constant(undefined),
  fc.record({ choices: fc.array(choice, { maxLength: 4 }) }),
  fc.record({ precision: fc.oneof(fc.integer({ min: -2, max: 12 }), oddNumber) }, { requiredKeys: [] }),
  fc.record({ currency: fc.constantFrom('USD', 'TWD', 'usd', 'XXXX', '\u200b'), precision: fc.integer({ min: 0, max: 8 }) }, { requiredKeys: [] }),
  fc.record({ prefix: oddText, digits: fc.oneof(fc.integer({ min: -1, max: 20 }), oddNumber) }, { requiredKeys: [] }),
  fc.record({ max: fc.oneof(fc.integer({ min: -1, max: 12 }), oddNumber) }),
  fc.record({ expression: fc.constantFrom('{Qty} * 2', '{Nope}', '(((1)))', '1/0', '{Qty} * 1e308 * 1e308', 'DATEADD({Close}, 1e9, "day")') }),
  fc.record({ sheet: fc.constantFrom('Scratch', 'Nope'), relationship: fc.constantFrom('many_to_one', 'one_to_many', 'many_to_many', 'one_to_one', 'x') }),
  fc.record({ link: fc.constantFrom('Name', 'Nope'), field: fc.constantFrom('Qty', 'Nope'), fn: fc.constantFrom('sum', 'concat', 'x') }, { requiredKeys: [] }),
  fc.dictionary(oddText, values(['Name']), { maxKeys: 2 }),
);
const fieldInput = fc.record(
  {
    name,
    type: fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...FIELD_TYPE_IDS) }, { weight: 1, arbitrary: fc.constantFrom('nope', '', 'TEXT', '__proto__') }),
    options: fc.option(fieldOptions, { nil: undefined, freq: 1 }),
    defaultValue: fc.option(values(names), { nil: undefined, freq: 2 }),
    required: fc.boolean(),
    unique: fc.oneof(fc.boolean(), fc.constant('yes') as fc.Arbitrary<unknown>),
    description: fc.option(oddText, { nil: undefined, freq: 2 }),
  },
  { requiredKeys: ['name', 'type', 'options', 'defaultValue', 'description'] },
);

/** One field on one tab, with hostile conditions and defaults: mostly a layout the engine could take. */
const simpleLayout = fc
  .record({
    title: oddText,
    visibleWhen: fc.option(logic(names), { nil: undefined, freq: 2 }),
    field: fc.constantFrom(...names),
    defaultValue: fc.option(values(names), { nil: undefined, freq: 2 }),
    requiredWhen: fc.option(logic(names), { nil: undefined, freq: 2 }),
  })
  .map(({ title, visibleWhen, ...element }) => ({
    tabs: [{ id: 't1', title, ...(visibleWhen === undefined ? {} : { visibleWhen }), sections: [{ id: 's1', rows: [{ id: 'r1', columns: [{ id: 'c1', elements: [{ id: 'e1', kind: 'field', ...element }] }] }] }] }],
  }));

const anyLayout = fc.record({
  tabs: fc.array(
    fc.record({
      id: fc.constantFrom('t1', 't2', 'bad id!', ''),
      title: oddText,
      visibleWhen: fc.option(logic(['Name', 'Qty', 'Close', 'Stage']), { nil: undefined }),
      sections: fc.array(
        fc.record({
          id: fc.constantFrom('s1', 's2'),
          rows: fc.array(
            fc.record({
              id: fc.constantFrom('r1', 'r2'),
              columns: fc.array(
                fc.record({
                  id: fc.constantFrom('c1', 'c2'),
                  elements: fc.array(
                    fc.record(
                      { id: fc.constantFrom('e1', 'e2', 'e3'), kind: fc.constantFrom('field', 'heading', 'related', 'nope'), field: fc.constantFrom(...names, 'Nope'), text: oddText, defaultValue: values(names), requiredWhen: logic(names) },
                      { requiredKeys: ['id', 'kind'] },
                    ),
                    { maxLength: 3 },
                  ),
                }),
                { maxLength: 2 },
              ),
            }),
            { maxLength: 2 },
          ),
        }),
        { maxLength: 2 },
      ),
    }),
    { maxLength: 2 },
  ),
});

const TEMPLATE_PARTS = ['{{Name}}', '{{#each Tags}}{{this}}{{/each}}', '{{#if (eq Stage "Won")}}', '{{/if}}', '{{constructor.constructor}}', '{{> partial}}', '{{lookup . "__proto__"}}', '{{{Name}}}', '{{date Close "long"}}', '{{currency Qty "XXX"}}', '{{#with record}}{{id}}{{/with}}', '{{', '}}', '{{!-- x --}}', '<script>alert(1)</script>', '{{number Qty 99}}', '{{sum Tags "x"}}', '{{*decorator}}'];
const template = fc.oneof(
  fc.array(fc.constantFrom(...TEMPLATE_PARTS), { maxLength: 8 }).map((parts) => parts.join('')),
  fc.integer({ min: 40, max: 3000 }).map((n) => `${'{{#if Name}}'.repeat(n)}x${'{{/if}}'.repeat(n)}`),
  oddText,
);

describe(`fuzzing the design routes with seed ${SEED}`, () => {
  it('adds, changes and deletes fields with any name, type, options and default; the sheet still lists', async () => {
    const state = { print: await print() };
    const counts = { added: 0, changed: 0 };
    const change = fc.record({
      type: fc.oneof({ weight: 3, arbitrary: fc.constantFrom('text', 'number', 'date', 'long_text', 'single_select', 'checkbox', 'rating') }, { weight: 1, arbitrary: fc.constantFrom(...FIELD_TYPE_IDS) }),
      options: fc.option(fieldOptions, { nil: undefined, freq: 3 }),
      defaultValue: fc.option(values(names), { nil: undefined, freq: 3 }),
    });
    await fc
      .assert(
        fc.asyncProperty(fieldInput, change, fc.constantFrom('', '?dryRun=true', '?force=true', '?force=true'), fc.constantFrom('Mutable 1', 'Mutable 2', 'Mutable 3'), async (input, patch, flags, target) => {
          const added = await writes(state, 'POST field', () => send('POST', `${sheetUrl()}/fields`, input));
          if (added.status === 201) {
            counts.added++;
            answered(await client.get(`${sheetUrl()}/records?cellFormat=string`), 'listing after a new field');
            expect((await client.delete(`${sheetUrl()}/fields/${added.body.id}`)).status).toBe(200);
            state.print = await print();
          }
          const changed = await writes(state, 'PATCH field', () => send('PATCH', `${sheetUrl()}/fields/${encodeURIComponent(target)}${flags}`, { ...patch, name: target }));
          if (changed.status === 200) counts.changed++;
          if (changed.status === 200) answered(await client.get(`${sheetUrl()}/records?sort=${encodeURIComponent(target)}`), 'listing after a field change');
        }),
        options(100),
      )
      .catch(reportSeed);
    // Not only refusals: the fuzzer gets fields created and changed too.
    expect(counts.added, JSON.stringify(counts)).toBeGreaterThan(2);
    expect(counts.changed, JSON.stringify(counts)).toBeGreaterThan(0);
  }, 180_000);

  it('creates sheets with any name and fields, and restores them from the trash under a free name', async () => {
    const state = { print: await print() };
    await fc
      .assert(
        fc.asyncProperty(name, fc.option(fc.array(fieldInput, { maxLength: 3 }), { nil: undefined }), fc.boolean(), async (sheetName, fields, restore) => {
          const res = await writes(state, 'POST sheet', () => send('POST', `/api/w/${ws}/sheets`, { name: sheetName, ...(fields ? { fields } : {}) }));
          if (res.status !== 201) return;
          expect((await client.delete(`/api/w/${ws}/sheets/${res.body.id}`)).status).toBe(200);
          state.print = await print();
          const trash = (await client.get(`/api/w/${ws}/trash`)).body as { id: string }[];
          const id = restore ? trash[0]!.id : `${trash[0]!.id}x`;
          await writes(state, 'restore', () => client.post(`/api/w/${ws}/trash/${encodeURIComponent(id)}/restore`));
        }),
        options(50),
      )
      .catch(reportSeed);
  }, 120_000);

  it('saves forms with any layout, and documents with any template', async () => {
    const state = { print: await print() };
    let n = 0;
    const counts = { forms: 0, documents: 0 };
    await fc
      .assert(
        fc.asyncProperty(fc.oneof(simpleLayout, anyLayout), template, fc.constantFrom('en', 'zh-TW', 'xx-invalid', '\u200b'), async (formLayout, source, locale) => {
          const form = await writes(state, 'POST form', () => send('POST', `${sheetUrl()}/forms`, { name: `Form ${n}`, layout: formLayout }));
          if (form.status === 201) {
            counts.forms++;
            answered(await client.post(`${sheetUrl()}/forms/${form.body.id}/publish`, {}), 'publish');
            answered(await send('POST', `${sheetUrl()}/records?form=${form.body.id}`, { fields: { Name: 'via form' } }), 'write through a form');
            state.print = await print();
          }
          const doc = await writes(state, 'POST document', () => send('POST', `${sheetUrl()}/documents`, { name: `Doc ${n++}`, template: source, locale }));
          if (doc.status === 201) counts.documents++;
          if (doc.status === 201) answered(await client.get(`${sheetUrl()}/records/1/documents/${doc.body.id}?locale=${encodeURIComponent(locale)}`), 'render');
          answered(await send('POST', `${sheetUrl()}/documents/preview`, { template: source, recordId: new RawJson('"1"'), locale }), 'preview');
        }),
        options(80),
      )
      .catch(reportSeed);
    expect(counts.forms, JSON.stringify(counts)).toBeGreaterThan(0);
    expect(counts.documents, JSON.stringify(counts)).toBeGreaterThan(0);
  }, 120_000);
});
