import { joinWorkspace } from './helpers/members.js';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../server/auth/passwords.js';
import { newId } from '../schema-engine/index.js';
import { registerRuleOperations } from '../schema-engine/rules/operations.js';
import { startTestServer, type Client, type TestServer } from './helpers/server.js';

let server: TestServer;
let client: Client;
let ws: string;

const sheetUrl = (sheet: string, path = '') => `/api/w/${ws}/sheets/${encodeURIComponent(sheet)}${path}`;
const rulesUrl = (sheet: string, rule = '') => sheetUrl(sheet, `/rules${rule ? `/${rule}` : ''}`);
const recordsUrl = (sheet: string, record = '') => sheetUrl(sheet, `/records${record ? `/${record}` : ''}`);

async function createSheet(name: string, fields: unknown[]) {
  const res = await client.post(`/api/w/${ws}/sheets`, { name, fields });
  expect(res.status).toBe(201);
  return res.body as { id: string; fields: { id: string; name: string }[] };
}

const storedRules = async (sheetId: string) =>
  server.db.selectFrom('sheet_rules').select(['id', 'condition', 'message']).where('sheet_id', '=', sheetId).orderBy('position').execute();
const sheetVersion = async (sheetId: string) => (await server.db.selectFrom('sheets').select('version').where('id', '=', sheetId).executeTakeFirstOrThrow()).version;
const rowCount = async (sheetId: string) => Number((await sql<{ n: string }>`SELECT count(*) AS n FROM ${sql.id(`ws_${ws}`, `s_${sheetId}`)}`.execute(server.db)).rows[0]!.n);
const historyCount = async (sheetId: string) =>
  Number((await server.db.selectFrom('record_history').select((eb) => eb.fn.countAll().as('n')).where('sheet_id', '=', sheetId).executeTakeFirstOrThrow()).n);

const DEAL_FIELDS = [
  { name: 'Name', type: 'text' },
  { name: 'Engage date', type: 'date' },
  { name: 'Close date', type: 'date' },
  { name: 'Discount', type: 'percent', options: { precision: 0 } },
  { name: 'Stage', type: 'single_select', options: { choices: [{ name: 'Prospecting' }, { name: 'Negotiation' }, { name: 'Won' }] } },
];
const CLOSE_AFTER_ENGAGE = {
  or: [{ '!': { var: 'Close date' } }, { '!': { var: 'Engage date' } }, { '>=': [{ var: 'Close date' }, { var: 'Engage date' }] }],
};
const CLOSE_MESSAGE = 'The close date cannot be before the engage date';
const DISCOUNT_LIMIT = { or: [{ '==': [{ var: 'Stage' }, 'Negotiation'] }, { '<=': [{ var: 'Discount' }, 0.3] }] };
const DISCOUNT_MESSAGE = 'A discount above 30 % needs the Negotiation stage';

beforeAll(async () => {
  server = await startTestServer();
  ({ client, workspaceId: ws } = await server.setup());
});
afterAll(() => server.close());

describe('rules: create, read, change, delete', () => {
  let sheet: Awaited<ReturnType<typeof createSheet>>;
  const fieldId = (name: string) => sheet.fields.find((f) => f.name === name)!.id;

  beforeAll(async () => {
    sheet = await createSheet('Rule CRUD', DEAL_FIELDS);
  });

  it('stores a condition with field ids and shows it with names', async () => {
    const version = await sheetVersion(sheet.id);
    const res = await client.post(rulesUrl('Rule CRUD'), { condition: CLOSE_AFTER_ENGAGE, message: CLOSE_MESSAGE });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ id: expect.stringMatching(/^rul/), condition: CLOSE_AFTER_ENGAGE, message: CLOSE_MESSAGE, fields: ['Close date', 'Engage date'] });
    const [stored] = await storedRules(sheet.id);
    expect(JSON.stringify(stored!.condition)).not.toContain('Close date');
    expect(JSON.stringify(stored!.condition)).toContain(fieldId('Close date'));
    expect(await sheetVersion(sheet.id)).toBe(version + 1);
    expect((await client.get(rulesUrl('Rule CRUD'))).body).toEqual([res.body]);
  });

  it('accepts field ids in vars, and ["name"] as a var', async () => {
    const res = await client.post(rulesUrl(sheet.id), {
      condition: { or: [{ '==': [{ var: fieldId('Stage') }, 'Negotiation'] }, { '<=': [{ var: ['Discount'] }, 0.3] }] },
      message: DISCOUNT_MESSAGE,
    });
    expect(res.status).toBe(201);
    expect(res.body.condition).toEqual(DISCOUNT_LIMIT);
    expect(res.body.fields).toEqual(['Stage', 'Discount']);
    const list = (await client.get(rulesUrl('Rule CRUD'))).body;
    expect(list.map((r: { message: string }) => r.message)).toEqual([CLOSE_MESSAGE, DISCOUNT_MESSAGE]);
  });

  it('changes the message, the condition or both, and deletes', async () => {
    const [first, second] = (await client.get(rulesUrl('Rule CRUD'))).body;
    const renamed = await client.patch(rulesUrl('Rule CRUD', first.id), { message: '  Close after engaging  ' });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ id: first.id, message: 'Close after engaging', condition: CLOSE_AFTER_ENGAGE });
    const condition = { '!': { var: 'Name' } };
    const both = await client.patch(rulesUrl('Rule CRUD', first.id), { condition, message: 'No name' });
    expect(both.body).toEqual({ id: first.id, condition, message: 'No name', fields: ['Name'] });
    const version = await sheetVersion(sheet.id);
    expect((await client.patch(rulesUrl('Rule CRUD', first.id), {})).status).toBe(200);
    expect(await sheetVersion(sheet.id)).toBe(version);

    const deleted = await client.delete(rulesUrl('Rule CRUD', first.id));
    expect(deleted.status).toBe(204);
    expect(deleted.body).toBe('');
    expect((await client.get(rulesUrl('Rule CRUD'))).body.map((r: { id: string }) => r.id)).toEqual([second.id]);
    expect((await client.delete(rulesUrl('Rule CRUD', first.id))).status).toBe(404);
    expect((await client.patch(rulesUrl('Rule CRUD', first.id), { message: 'x' })).status).toBe(404);
    expect((await client.get(rulesUrl('No such sheet'))).status).toBe(404);
    await client.delete(rulesUrl('Rule CRUD', second.id));
    expect(await storedRules(sheet.id)).toEqual([]);
  });

  it('lets a viewer read rules and only designers change them', async () => {
    const rule = (await client.post(rulesUrl('Rule CRUD'), { condition: CLOSE_AFTER_ENGAGE, message: CLOSE_MESSAGE })).body;
    const member = async (role: 'viewer' | 'editor') => {
      const id = newId('usr');
      const email = `${role}@example.com`;
      await server.db.insertInto('users').values({ id, email, name: role, password_hash: await hashPassword(`${role} pass`) }).execute();
      await joinWorkspace(server.db, ws, id, role);
      return server.signIn(email, `${role} pass`);
    };
    const viewer = await member('viewer');
    const editor = await member('editor');
    expect((await viewer.get(rulesUrl('Rule CRUD'))).body).toEqual([rule]);
    for (const who of [viewer, editor]) {
      expect((await who.post(rulesUrl('Rule CRUD'), { condition: DISCOUNT_LIMIT, message: 'x' })).status).toBe(403);
      expect((await who.patch(rulesUrl('Rule CRUD', rule.id), { message: 'x' })).status).toBe(403);
      expect((await who.delete(rulesUrl('Rule CRUD', rule.id))).status).toBe(403);
    }
    expect((await server.anonymous.get(rulesUrl('Rule CRUD'))).status).toBe(401);
    await client.delete(rulesUrl('Rule CRUD', rule.id));
  });

  it('refuses bad conditions and messages with 400 naming what is wrong, storing nothing', async () => {
    const deep = Array.from({ length: 25 }).reduce<unknown>((inner) => ({ '!': inner }), { var: 'Name' });
    const cases: [unknown, string, RegExp][] = [
      [{ condition: { '==': [{ var: 'Nope' }, 1] }, message: 'm' }, 'condition', /unknown field "Nope"/],
      [{ condition: { method: [{ var: 'Name' }, 'toUpperCase'] }, message: 'm' }, 'condition', /unknown operator "method"/],
      [{ condition: { '==': [{ log: { var: 'Name' } }, 1] }, message: 'm' }, 'condition', /unknown operator "log"/],
      [{ condition: { '==': [{ var: '__proto__' }, 1] }, message: 'm' }, 'condition', /"__proto__" is not allowed/],
      [{ condition: { '!': { var: 'constructor' } }, message: 'm' }, 'condition', /"constructor" is not allowed/],
      [{ condition: { '!': { var: { cat: ['Na', 'me'] } } }, message: 'm' }, 'condition', /"var" takes the name/],
      [{ condition: { '!': { var: ['Name', 'default'] } }, message: 'm' }, 'condition', /"var" takes the name/],
      [{ condition: deep, message: 'm' }, 'condition', /nested more than 20 deep/],
      [{ condition: { in: [{ var: 'Name' }, Array.from({ length: 600 }, (_, i) => `v${i}`)] }, message: 'm' }, 'condition', /more than 500 parts/],
      [{ condition: true, message: 'm' }, 'condition', /must be a JsonLogic object/],
      [{ condition: [{ var: 'Name' }], message: 'm' }, 'condition', /must be a JsonLogic object/],
      [{ condition: 'Name', message: 'm' }, 'condition', /must be a JsonLogic object/],
      [{ message: 'm' }, 'condition', /is required/],
      [{ condition: { '==': [1, 1] }, message: 'm' }, 'condition', /at least one field/],
      [{ condition: { '==': [{ var: 'Name' }, 1], '!=': [1, 2] }, message: 'm' }, 'condition', /one operator/],
      [{ condition: CLOSE_AFTER_ENGAGE, message: '' }, 'message', /empty/],
      [{ condition: CLOSE_AFTER_ENGAGE, message: '   ' }, 'message', /empty/],
      [{ condition: CLOSE_AFTER_ENGAGE, message: 'x'.repeat(501) }, 'message', /500/],
      [{ condition: CLOSE_AFTER_ENGAGE }, 'message', /./],
      [{ condition: CLOSE_AFTER_ENGAGE, message: 'm', extra: 1 }, 'body', /Unrecognized key: "extra"/],
    ];
    const version = await sheetVersion(sheet.id);
    for (const [body, key, pattern] of cases) {
      const res = await client.post(rulesUrl('Rule CRUD'), body);
      expect(res.status, JSON.stringify(body).slice(0, 200)).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
      expect(res.body.error.details.fields[key] ?? JSON.stringify(res.body)).toMatch(pattern);
    }
    // JSON can name an operator "__proto__" (a JavaScript object literal cannot, so this goes as text). Fastify's
    // parser already refuses it; compileCondition refuses it too (its unit test), for callers of the engine.
    const proto = await client.request('POST', rulesUrl('Rule CRUD'), '{"condition": {"__proto__": [{"var": "Name"}]}, "message": "m"}', {
      'content-type': 'application/json',
    });
    expect(proto.status).toBe(400);
    expect(await storedRules(sheet.id)).toEqual([]);
    expect(await sheetVersion(sheet.id)).toBe(version);

    const rule = (await client.post(rulesUrl('Rule CRUD'), { condition: CLOSE_AFTER_ENGAGE, message: CLOSE_MESSAGE })).body;
    const patched = await client.patch(rulesUrl('Rule CRUD', rule.id), { condition: { '>': [{ var: 'Missing' }, 1] }, message: 'changed' });
    expect(patched.status).toBe(400);
    expect(patched.body.error.details.fields.condition).toMatch(/"Missing"/);
    expect((await client.get(rulesUrl('Rule CRUD'))).body).toEqual([rule]);
    await client.delete(rulesUrl('Rule CRUD', rule.id));
  });

  it('follows a field rename: the rule shows the new name and keeps working', async () => {
    const rule = (await client.post(rulesUrl('Rule CRUD'), { condition: CLOSE_AFTER_ENGAGE, message: CLOSE_MESSAGE })).body;
    expect((await client.patch(sheetUrl('Rule CRUD', '/fields/Close date'), { name: 'Closing date' })).status).toBe(200);
    const [shown] = (await client.get(rulesUrl('Rule CRUD'))).body;
    expect(shown.fields).toEqual(['Closing date', 'Engage date']);
    expect(JSON.stringify(shown.condition)).toContain('"var":"Closing date"');
    const refused = await client.post(recordsUrl('Rule CRUD'), { fields: { 'Engage date': '2026-03-01', 'Closing date': '2026-02-01' } });
    expect(refused.status).toBe(400);
    expect(refused.body.error.details).toEqual({ fields: { 'Closing date': CLOSE_MESSAGE, 'Engage date': CLOSE_MESSAGE }, rule: rule.id });
    expect((await client.post(recordsUrl('Rule CRUD'), { fields: { 'Engage date': '2026-03-01', 'Closing date': '2026-03-01' } })).status).toBe(201);
    // What the API shows can be sent back as it is.
    expect((await client.patch(rulesUrl('Rule CRUD', rule.id), { condition: shown.condition })).body).toEqual(shown);
    await client.patch(sheetUrl('Rule CRUD', '/fields/Closing date'), { name: 'Close date' });
    expect((await client.get(rulesUrl('Rule CRUD'))).body[0].condition).toEqual(CLOSE_AFTER_ENGAGE);
  });
});

describe('the example rules on record writes', () => {
  let sheet: Awaited<ReturnType<typeof createSheet>>;
  let closeRule: string;
  let discountRule: string;

  beforeAll(async () => {
    sheet = await createSheet('Deals', DEAL_FIELDS);
    closeRule = (await client.post(rulesUrl('Deals'), { condition: CLOSE_AFTER_ENGAGE, message: CLOSE_MESSAGE })).body.id;
    discountRule = (await client.post(rulesUrl('Deals'), { condition: DISCOUNT_LIMIT, message: DISCOUNT_MESSAGE })).body.id;
  });

  const closeFields = { 'Close date': CLOSE_MESSAGE, 'Engage date': CLOSE_MESSAGE };
  const discountFields = { Stage: DISCOUNT_MESSAGE, Discount: DISCOUNT_MESSAGE };

  it('refuses a create that breaks a rule, with its message and fields, writing nothing', async () => {
    const [rows, history] = [await rowCount(sheet.id), await historyCount(sheet.id)];
    const early = await client.post(recordsUrl('Deals'), { fields: { Name: 'Early', 'Engage date': '2026-05-10', 'Close date': '2026-05-09' } });
    expect(early.status).toBe(400);
    expect(early.body.error).toEqual({ code: 'validation_failed', message: CLOSE_MESSAGE, details: { fields: closeFields, rule: closeRule } });
    const discount = await client.post(recordsUrl('Deals'), { fields: { Name: 'Generous', Discount: 0.35, Stage: 'Won' } });
    expect(discount.status).toBe(400);
    expect(discount.body.error).toEqual({ code: 'validation_failed', message: DISCOUNT_MESSAGE, details: { fields: discountFields, rule: discountRule } });
    expect(await rowCount(sheet.id)).toBe(rows);
    expect(await historyCount(sheet.id)).toBe(history);
  });

  it('accepts records that keep the rules, empty dates and discounts included', async () => {
    const ok = [
      { Name: 'Same day', 'Engage date': '2026-05-10', 'Close date': '2026-05-10' },
      { Name: 'No close yet', 'Engage date': '2026-05-10' },
      { Name: 'Negotiating', Discount: 0.5, Stage: 'Negotiation' },
      { Name: 'At the limit', Discount: 0.3, Stage: 'Won' },
      { Name: 'No discount', Stage: 'Won' },
    ];
    for (const fields of ok) expect((await client.post(recordsUrl('Deals'), { fields })).status, fields.Name).toBe(201);
  });

  it('checks an update against the whole record as saved, and a refused update changes nothing', async () => {
    const created = (await client.post(recordsUrl('Deals'), { fields: { Name: 'Haggle', Discount: 0.4, Stage: 'Negotiation', 'Engage date': '2026-01-05' } })).body;
    const history = await historyCount(sheet.id);
    // The stage alone breaks the discount rule: the discount already saved counts.
    const won = await client.patch(recordsUrl('Deals', created.id), { fields: { Stage: 'Won' } });
    expect(won.status).toBe(400);
    expect(won.body.error).toEqual({ code: 'validation_failed', message: DISCOUNT_MESSAGE, details: { fields: discountFields, rule: discountRule } });
    const early = await client.patch(recordsUrl('Deals', created.id), { fields: { 'Close date': '2026-01-04', Name: 'Renamed' }, version: created.version });
    expect(early.status).toBe(400);
    expect(early.body.error.details).toEqual({ fields: closeFields, rule: closeRule });
    expect((await client.get(recordsUrl('Deals', created.id))).body).toEqual(created);
    expect(await historyCount(sheet.id)).toBe(history);

    const fixed = await client.patch(recordsUrl('Deals', created.id), { fields: { Stage: 'Won', Discount: 0.25, 'Close date': '2026-02-01' } });
    expect(fixed.status).toBe(200);
    expect(fixed.body).toMatchObject({ version: created.version + 1, fields: { Stage: 'Won', Discount: 0.25, 'Close date': '2026-02-01' } });
    expect(await historyCount(sheet.id)).toBe(history + 1);
  });

  it('refuses a batch with any rule-breaking record, naming each of them, and writes none', async () => {
    const [rows, history] = [await rowCount(sheet.id), await historyCount(sheet.id)];
    const records = [
      { fields: { Name: 'Fine', Discount: 0.1 } },
      { fields: { Name: 'Backwards', 'Engage date': '2026-06-02', 'Close date': '2026-06-01' } },
      { fields: { Name: 'Fine too' } },
      { fields: { Name: 'Too generous', Discount: 0.9 } },
    ];
    const res = await client.post(recordsUrl('Deals'), { records });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe(`Record 2 of 4: ${CLOSE_MESSAGE}; nothing was saved`);
    expect(res.body.error.details).toEqual({
      fields: closeFields,
      rule: closeRule,
      records: [
        { index: 1, fields: closeFields, rule: closeRule },
        { index: 3, fields: discountFields, rule: discountRule },
      ],
    });
    expect(await rowCount(sheet.id)).toBe(rows);
    expect(await historyCount(sheet.id)).toBe(history);
    const good = await client.post(recordsUrl('Deals'), { records: [records[0], records[2]] });
    expect(good.status).toBe(201);
    expect(await rowCount(sheet.id)).toBe(rows + 2);
  });

  it('stops checking a rule once it is deleted', async () => {
    const fields = { Name: 'Late rule', Discount: 0.6, Stage: 'Won' };
    expect((await client.post(recordsUrl('Deals'), { fields })).status).toBe(400);
    await client.delete(rulesUrl('Deals', discountRule));
    expect((await client.post(recordsUrl('Deals'), { fields })).status).toBe(201);
  });
});

describe('the server and json-logic-js give the same verdicts', () => {
  const FIELDS = [
    { name: 'Title', type: 'text' },
    { name: 'Num', type: 'number', options: { precision: 2 } },
    { name: 'Pct', type: 'percent', options: { precision: 1 } },
    { name: 'Start', type: 'date' },
    { name: 'End', type: 'date' },
    { name: 'Done', type: 'checkbox' },
    { name: 'Tier', type: 'single_select', options: { choices: [{ name: 'Gold' }, { name: 'Silver' }, { name: 'Bronze' }] } },
  ];
  const RULES: { message: string; condition: unknown }[] = [
    { message: 'End not before start', condition: { or: [{ is_empty: [{ var: 'Start' }] }, { is_empty: [{ var: 'End' }] }, { '>=': [{ var: 'End' }, { var: 'Start' }] }] } },
    { message: 'Num with Pct at most 120', condition: { '<=': [{ '*': [{ var: 'Num' }, { '+': [1, { var: 'Pct' }] }] }, 120] } },
    { message: 'Done needs Gold or Silver', condition: { or: [{ '!': { var: 'Done' } }, { and: [{ '!!': { var: 'Tier' } }, { '!=': [{ var: 'Tier' }, 'Bronze'] }] }] } },
    { message: 'Globex is Gold', condition: { or: [{ '!': { contains: [{ var: 'Title' }, 'GLOBEX'] } }, { '==': [{ var: 'Tier' }, 'Gold'] }] } },
    { message: 'End within 300 days of 2025', condition: { or: [{ is_empty: [{ var: 'End' }] }, { '<=': [{ var: 'End' }, { dateadd: ['2025-01-01', 300, 'days'] }] }] } },
    { message: 'At most 150 days long', condition: { '!': { '>': [{ datedif: [{ var: 'Start' }, { var: 'End' }, 'days'] }, 150] } } },
    { message: 'Big discounts for Gold and Silver', condition: { or: [{ in: [{ var: 'Tier' }, ['Gold', 'Silver']] }, { '<': [{ var: 'Pct' }, 0.4] }] } },
    { message: 'Odd numbers end in 3', condition: { or: [{ is_empty: [{ var: 'Num' }] }, { '!=': [{ '%': [{ var: 'Num' }, 7] }, 3] }, { starts_with: [{ var: 'Title' }, 'a'] }] } },
    { message: 'Titles are short', condition: { '<=': [{ len: [{ var: 'Title' }] }, 12] } },
  ];
  const COUNT = 240;

  /** mulberry32: a small seeded PRNG, so a failure reproduces. */
  function prng(seed: number) {
    let a = seed >>> 0;
    return () => {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  function generate(count: number): Record<string, unknown>[] {
    const random = prng(20261122);
    const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
    const maybe = <T>(value: () => T) => (random() < 0.2 ? null : value());
    const day = (offset: number) => new Date(Date.UTC(2025, 0, 1) + offset * 86_400_000).toISOString().slice(0, 10);
    return Array.from({ length: count }, () => ({
      Title: maybe(() => pick(['acme', 'Acme Corp', 'globex', 'Globex 台北 branch office', 'Initech', '台北', 'a', ''])),
      Num: maybe(() => (random() < 0.5 ? Math.floor(random() * 160 - 20) : Math.round((random() * 200 - 40) * 100) / 100)),
      Pct: maybe(() => Math.round(random() * 700) / 1000),
      Start: maybe(() => day(Math.floor(random() * 300))),
      End: maybe(() => day(Math.floor(random() * 400))),
      Done: random() < 0.5,
      Tier: maybe(() => pick(['Gold', 'Silver', 'Bronze'])),
    }));
  }

  /** The client's view: json-logic-js with our operations, over the record as the API returns it (empty = null). */
  const jsonLogic = registerRuleOperations();
  const clientHolds = (condition: unknown, record: { fields: Record<string, unknown> }) => {
    const data = { ...Object.fromEntries(FIELDS.map((f) => [f.name, null])), ...record.fields };
    return jsonLogic.truthy(jsonLogic.apply(condition as never, data));
  };

  let inputs: Record<string, unknown>[];
  let asReturned: { fields: Record<string, unknown> }[];

  beforeAll(async () => {
    inputs = generate(COUNT);
    // The API's values (rounded, empty ones omitted), from a sheet without rules.
    await createSheet('Mirror', FIELDS);
    const mirror = await client.post(recordsUrl('Mirror'), { records: inputs.map((fields) => ({ fields })) });
    expect(mirror.status).toBe(201);
    asReturned = mirror.body.records;
  });

  it('agrees on each rule, record by record (batches on a sheet per rule)', async () => {
    let refusals = 0;
    for (const [i, rule] of RULES.entries()) {
      const name = `Rule ${i}`;
      await createSheet(name, FIELDS);
      const ruleId = (await client.post(rulesUrl(name), rule)).body.id;
      const expected = asReturned.flatMap((record, index) => (clientHolds(rule.condition, record) ? [] : [index]));
      const res = await client.post(recordsUrl(name), { records: inputs.map((fields) => ({ fields })) });
      if (!expected.length) {
        expect(res.status, rule.message).toBe(201);
        continue;
      }
      expect(res.status, rule.message).toBe(400);
      const refused = res.body.error.details.records as { index: number; rule: string }[];
      expect(refused.map((r) => r.index), rule.message).toEqual(expected);
      expect(new Set(refused.map((r) => r.rule))).toEqual(new Set([ruleId]));
      refusals += expected.length;
    }
    // The generated data must exercise the rules both ways.
    expect(refusals).toBeGreaterThan(COUNT / 2);
  });

  it('agrees on the first broken rule of every record, created one by one and updated', async () => {
    await createSheet('All rules', FIELDS);
    const ruleIds: string[] = [];
    for (const rule of RULES) ruleIds.push((await client.post(rulesUrl('All rules'), rule)).body.id);
    // JsonLogic arithmetic makes an empty Num or Pct NaN, which breaks rule 2: the probe starts with values.
    const probe = (await client.post(recordsUrl('All rules'), { fields: { Num: 1, Pct: 0.1 } })).body;
    expect(probe.id).toBeDefined();
    const verdicts = new Set<string>();
    for (const [i, record] of asReturned.entries()) {
      const broken = RULES.findIndex((rule) => !clientHolds(rule.condition, record));
      const expected = broken < 0 ? 'ok' : ruleIds[broken]!;
      verdicts.add(expected);
      const created = await client.post(recordsUrl('All rules'), { fields: inputs[i] });
      expect(created.status === 201 ? 'ok' : created.body.error?.details?.rule, `record ${i}: ${JSON.stringify(record.fields)}`).toBe(expected);
      if (created.status === 201) expect(created.body.fields).toEqual(record.fields);
      // Every field written (null clears), so the updated record holds exactly these values.
      const updated = await client.patch(recordsUrl('All rules', probe.id), { fields: Object.fromEntries(FIELDS.map((f) => [f.name, inputs[i]![f.name]])) });
      expect(updated.status === 200 ? 'ok' : updated.body.error?.details?.rule, `update ${i}: ${JSON.stringify(updated.body)}`).toBe(expected);
      if (updated.status === 200) expect(updated.body.fields).toEqual(record.fields);
    }
    expect(verdicts.size).toBeGreaterThanOrEqual(5);
  });
});

describe('rules over computed values', () => {
  it('reads a formula as computed for the saved row', async () => {
    await createSheet('Quotes', [
      { name: 'Amount', type: 'number' },
      { name: 'Discount', type: 'percent' },
      { name: 'Net', type: 'formula', options: { expression: '{Amount} * (1 - {Discount})' } },
    ]);
    const rule = (await client.post(rulesUrl('Quotes'), { condition: { '>=': [{ var: 'Net' }, 100] }, message: 'Net at least 100' })).body;
    expect(rule.fields).toEqual(['Net']);
    const low = await client.post(recordsUrl('Quotes'), { fields: { Amount: 120, Discount: 0.2 } });
    expect(low.status).toBe(400);
    expect(low.body.error.details).toEqual({ fields: { Net: 'Net at least 100' }, rule: rule.id });
    const ok = (await client.post(recordsUrl('Quotes'), { fields: { Amount: 200, Discount: 0.2 } })).body;
    expect(ok.fields.Net).toBe(160);
    const update = await client.patch(recordsUrl('Quotes', ok.id), { fields: { Discount: 0.6 } });
    expect(update.status).toBe(400);
    expect((await client.get(recordsUrl('Quotes', ok.id))).body).toEqual(ok);
  });
});
