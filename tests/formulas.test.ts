import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dateAdd, dateDif } from '../schema-engine/rules/operations.js';
import { startTestServer, type Client, type TestServer } from './helpers/server.js';

let server: TestServer;
let client: Client;
let ws: string;
const sheet = () => `/api/w/${ws}/sheets/F`;
let full: string;
let empty: string;

beforeAll(async () => {
  server = await startTestServer();
  ({ client, workspaceId: ws } = await server.setup());
  const res = await client.post(`/api/w/${ws}/sheets`, {
    name: 'F',
    fields: [
      { name: 'Name', type: 'text' },
      { name: 'N', type: 'number', options: { precision: 2 } },
      { name: 'M', type: 'number' },
      { name: 'P', type: 'percent' },
      { name: 'C', type: 'currency', options: { currency: 'USD', precision: 2 } },
      { name: 'EUR', type: 'currency', options: { currency: 'EUR' } },
      { name: 'D', type: 'date' },
      { name: 'E', type: 'date' },
      { name: 'T', type: 'datetime' },
      { name: 'B', type: 'checkbox' },
      { name: 'S', type: 'single_select', options: { choices: [{ name: 'Won' }, { name: 'Lost' }] } },
    ],
  });
  expect(res.status).toBe(201);
  const values = { Name: 'A', N: 2.5, M: 4, P: 0.25, C: 10.25, D: '2026-01-31', E: '2026-03-15', T: '2026-03-01T22:30:00.000Z', B: true, S: 'Won' };
  full = (await client.post(`${sheet()}/records`, { fields: values })).body.id;
  empty = (await client.post(`${sheet()}/records`, { fields: { Name: 'B' } })).body.id;
});
afterAll(() => server.close());

let n = 0;
/** Adds a formula field and answers its value in the full record and in the empty one (undefined = empty). */
async function evaluate(expression: string): Promise<{ full: unknown; empty: unknown; field: { result: { type: string; options: unknown } } }> {
  const name = `f${n++}`;
  const res = await client.post(`${sheet()}/fields`, { name, type: 'formula', options: { expression } });
  expect(res.status, `${expression}: ${JSON.stringify(res.body)}`).toBe(201);
  const read = async (id: string) => (await client.get(`${sheet()}/records/${id}`)).body.fields[name];
  return { full: await read(full), empty: await read(empty), field: res.body };
}

const today = () => new Date().toISOString().slice(0, 10);

describe('every function and operator, with empty values', () => {
  const cases: [string, unknown, unknown][] = [
    ['{N} + {M}', 6.5, 0],
    ['{N} - {M}', -1.5, 0],
    ['{N} * {M}', 10, 0],
    ['{N} / {M}', 0.625, undefined],
    ['-{N}', -2.5, 0],
    ['{P} * 100', 25, 0],
    ['{E} - {D}', 43, undefined],
    ['{Name} & "-" & {N}', 'A-2.5', 'B-'],
    ['CONCAT({Name}, " ", {D}, " ", {B})', 'A 2026-01-31 true', 'B  '],
    ['{N} & ""', '2.5', undefined],
    ['IF({B}, "yes", "no")', 'yes', 'no'],
    ['IF({N} > 2, {N})', 2.5, undefined],
    ['IF({N}, {C}, 0)', 10.25, 0],
    ['AND({B}, {N} > 1)', true, undefined],
    ['OR({B}, {N} > 100)', true, undefined],
    ['NOT({B})', undefined, true],
    ['ROUND({N})', 3, undefined],
    ['ROUND(-2.5)', -3, -3],
    ['ROUND({C} / 3, 1)', 3.4, 0],
    ['ROUND(1234.5, -2)', 1200, 1200],
    ['ABS({M} - 10)', 6, 10],
    ['ABS({N})', 2.5, undefined],
    ['MIN({N}, {M})', 2.5, undefined],
    ['MAX({N}, {M}, 3)', 4, 3],
    ['MAX({D}, {E})', '2026-03-15', undefined],
    ['UPPER({Name})', 'A', 'B'],
    ['LOWER({S})', 'won', undefined],
    ['LEN({Name} & {S})', 4, 1],
    ['LEN({S})', 3, 0],
    ['DATEADD({D}, 1, "month")', '2026-02-28', undefined],
    ['DATEADD({D}, -2, "weeks")', '2026-01-17', undefined],
    ['DATEADD({T}, 2, "hour")', '2026-03-02T00:30:00.000Z', undefined],
    ['DATEADD("2024-02-29", 1, "year")', '2025-02-28', '2025-02-28'],
    ['DATEDIF({D}, {E}, "day")', 43, undefined],
    ['DATEDIF({D}, {E}, "month")', 1, undefined],
    ['DATEDIF({E}, {D}, "week")', -6, undefined],
    ['DATEDIF({D}, {T}, "hour")', 718, undefined],
    ['YEAR({D})', 2026, undefined],
    ['MONTH({T})', 3, undefined],
    ['BLANK()', undefined, undefined],
    ['IF({N} = BLANK(), "none", "some")', 'some', 'none'],
    ['IF({S} != "", "set", "unset")', 'set', 'unset'],
    ['{D} > "2026-01-01"', true, undefined],
    ['{T} >= {D}', true, undefined],
    ['{Name} = "A"', true, undefined],
    ['{Name} != "A"', undefined, true],
    ['{N} < 3', true, undefined],
    ['{B} = TRUE', true, undefined],
  ];
  for (const [expression, onFull, onEmpty] of cases) {
    it(expression, async () => {
      const result = await evaluate(expression);
      expect(result.full).toEqual(onFull);
      expect(result.empty).toEqual(onEmpty);
    });
  }

  it('TODAY() and NOW() are now, in UTC', async () => {
    expect((await evaluate('TODAY()')).full).toBe(today());
    const now = (await evaluate('NOW()')).full as string;
    expect(Math.abs(Date.parse(now) - Date.now())).toBeLessThan(60_000);
  });
});

describe('result types', () => {
  it('infers number, currency, percent, text, date, datetime and boolean', async () => {
    const type = async (expression: string) => (await evaluate(expression)).field.result;
    expect(await type('{C} * {M}')).toEqual({ type: 'currency', options: { currency: 'USD', precision: 2 } });
    expect(await type('{C} / {C}')).toMatchObject({ type: 'number' });
    expect(await type('{N} + {N}')).toEqual({ type: 'number', options: { precision: 2 } });
    expect(await type('{P} + {P}')).toMatchObject({ type: 'percent' });
    expect(await type('{Name} & 1')).toEqual({ type: 'text', options: {} });
    expect(await type('DATEADD({D}, 1, "day")')).toEqual({ type: 'date', options: {} });
    expect(await type('DATEADD({D}, 1, "minute")')).toEqual({ type: 'datetime', options: {} });
    expect(await type('{N} > 1')).toEqual({ type: 'checkbox', options: {} });
    expect(await type('IF({B}, {C}, 1)')).toEqual({ type: 'currency', options: { currency: 'USD', precision: 2 } });
    expect(await type('IF({B}, "x", 1)')).toEqual({ type: 'text', options: {} });
  });

  it('formats results like their type', async () => {
    const name = `f${n}`;
    await evaluate('{C} * 1000');
    const text = (await client.get(`${sheet()}/records/${full}?cellFormat=string&locale=en`)).body.fields[name];
    expect(text).toBe('$10,250.00');
  });

  it('refuses type errors with the reason', async () => {
    const refuse = async (expression: string, reason: RegExp) => {
      const res = await client.post(`${sheet()}/fields`, { name: `bad${n++}`, type: 'formula', options: { expression } });
      expect(res.status, expression).toBe(400);
      expect(Object.values(res.body.error.details.fields)[0], expression).toMatch(reason);
    };
    await refuse('{Name} + 1', /\+ needs numbers, not text/);
    await refuse('{D} + 1', /use DATEADD/);
    await refuse('{C} + {EUR}', /mixes USD and EUR/);
    await refuse('DATEADD({D}, 1, {Name})', /unit must be written as text/);
    await refuse('YEAR({N})', /YEAR needs a date/);
    await refuse('{N} > "x"', /compares a number with text/);
    await refuse('IF(1)', /IF takes 2 to 3 arguments, not 1/);
    await refuse('NOPE(1)', /unknown function NOPE/);
  });
});

describe('DATEDIF and DATEADD agree with the rule engine used in the browser', () => {
  it('gives the same answers as rules/operations.ts over many date pairs', async () => {
    let seed = 7;
    const random = () => ((seed = (seed * 48271) % 2147483647) / 2147483647);
    const day = () => new Date(Date.UTC(2020, 0, 1) + Math.floor(random() * 2000) * 86_400_000).toISOString().slice(0, 10);
    const pairs = Array.from({ length: 60 }, () => [day(), day()] as const);
    const created = await client.post(`${sheet()}/records`, { records: pairs.map(([d, e]) => ({ fields: { Name: 'pair', D: d, E: e } })) });
    expect(created.status).toBe(201);
    const exprs = {
      months: 'DATEDIF({D}, {E}, "month")',
      years: 'DATEDIF({D}, {E}, "year")',
      weeks: 'DATEDIF({D}, {E}, "week")',
      days: 'DATEDIF({D}, {E}, "day")',
      plusMonths: 'DATEADD({D}, 13, "month")',
    };
    for (const [name, expression] of Object.entries(exprs)) {
      expect((await client.post(`${sheet()}/fields`, { name, type: 'formula', options: { expression } })).status).toBe(201);
    }
    for (const [i, record] of (created.body.records as { id: string }[]).entries()) {
      const fields = (await client.get(`${sheet()}/records/${record.id}`)).body.fields;
      const [d, e] = pairs[i]!;
      expect(fields.months, `${d} → ${e}`).toBe(dateDif(d, e, 'month'));
      expect(fields.years, `${d} → ${e}`).toBe(dateDif(d, e, 'year'));
      expect(fields.weeks, `${d} → ${e}`).toBe(dateDif(d, e, 'week'));
      expect(fields.days, `${d} → ${e}`).toBe(dateDif(d, e, 'day'));
      expect(fields.plusMonths, d).toBe(dateAdd(d, 13, 'month'));
    }
  });
});
