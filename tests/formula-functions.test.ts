import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type Client, type TestServer } from './helpers/server.js';

/*
 * Each function as a spreadsheet answers it: a formula field over rows of inputs, computed by PostgreSQL and read
 * through the API. `undefined` is an empty cell (also what an error reads as; ISERROR tells them apart).
 */

let server: TestServer;
let client: Client;
let ws: string;
const sheet = () => `/api/w/${ws}/sheets/Fn`;

beforeAll(async () => {
  server = await startTestServer();
  ({ client, workspaceId: ws } = await server.setup());
  const res = await client.post(`/api/w/${ws}/sheets`, {
    name: 'Fn',
    fields: [
      { name: 'T', type: 'text' },
      { name: 'U', type: 'text' },
      { name: 'N', type: 'number' },
      { name: 'K', type: 'number' },
      { name: 'D', type: 'date' },
      { name: 'E', type: 'date' },
      { name: 'DT', type: 'datetime' },
      { name: 'ET', type: 'datetime' },
    ],
  });
  expect(res.status).toBe(201);
});
afterAll(() => server.close());

type Inputs = Record<string, unknown>;
let n = 0;

/** Adds a formula field and answers its value for each row of inputs (a record each). */
async function evaluate(expression: string, rows: Inputs[]): Promise<unknown[]> {
  const created = await client.post(`${sheet()}/records`, { records: rows.map((fields) => ({ fields })) });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const name = `f${n++}`;
  const res = await client.post(`${sheet()}/fields`, { name, type: 'formula', options: { expression } });
  expect(res.status, `${expression}: ${JSON.stringify(res.body)}`).toBe(201);
  const values: unknown[] = [];
  for (const record of created.body.records as { id: string }[]) {
    const read = await client.get(`${sheet()}/records/${record.id}`);
    expect(read.status).toBe(200);
    values.push(read.body.fields[name]);
  }
  return values;
}

/** expression → rows of [inputs, expected value]. */
type Table = Record<string, [Inputs, unknown][]>;

function check(tables: Record<string, Table>) {
  for (const [group, table] of Object.entries(tables)) {
    describe(group, () => {
      for (const [expression, rows] of Object.entries(table)) {
        it(expression, async () => {
          const got = await evaluate(
            expression,
            rows.map(([inputs]) => inputs),
          );
          rows.forEach(([inputs, expected], i) => expect(got[i], `${expression} with ${JSON.stringify(inputs)}`).toEqual(expected));
        });
      }
    });
  }
}

check({
  text: {
    'CONCATENATE({T}, "-", {N})': [
      [{ T: 'a', N: 1.5 }, 'a-1.5'],
      [{}, '-'],
    ],
    'LEFT({T}, {N})': [
      [{ T: 'Hello', N: 2 }, 'He'],
      [{ T: '台北市信義區', N: 3 }, '台北市'],
      [{ T: '😀ab', N: 1 }, '😀'],
      [{ T: 'Hi', N: 10 }, 'Hi'],
      [{ T: 'Hi', N: 1.9 }, 'H'],
      [{ T: 'Hi' }, undefined],
      [{ T: 'Hi', N: -1 }, undefined],
    ],
    'RIGHT({T}, {N})': [
      [{ T: 'Hello', N: 3 }, 'llo'],
      [{ T: '台北市信義區', N: 2 }, '義區'],
      [{ N: 2 }, undefined],
    ],
    'MID({T}, {N}, {K})': [
      [{ T: 'Hello world', N: 7, K: 5 }, 'world'],
      [{ T: 'Hello', N: 1, K: 2 }, 'He'],
      [{ T: '台北市信義區', N: 4, K: 2 }, '信義'],
      [{ T: 'Hello', N: 4, K: 100 }, 'lo'],
      [{ T: 'Hello', N: 9, K: 2 }, undefined],
      [{ T: 'Hello', N: 0, K: 2 }, undefined],
    ],
    'ISERROR(MID({T}, {N}, {K}))': [
      [{ T: 'Hello', N: 0, K: 2 }, true],
      [{ T: 'Hello', N: 1, K: -1 }, true],
      [{ T: 'Hello', N: 9, K: 2 }, undefined],
    ],
    'FIND({U}, {T})': [
      [{ T: 'Hello', U: 'l' }, 3],
      [{ T: 'Hello', U: 'L' }, 0],
      [{ T: 'Hello', U: 'z' }, 0],
      [{ T: '台北市信義區', U: '信義' }, 4],
      [{ T: 'abc' }, 1],
      [{}, 1],
    ],
    'FIND({U}, {T}, {N})': [
      [{ T: 'banana', U: 'an', N: 1 }, 2],
      [{ T: 'banana', U: 'an', N: 3 }, 4],
      [{ T: 'banana', U: 'an', N: 5 }, 0],
      [{ T: 'banana', U: 'an', N: 50 }, 0],
      [{ T: 'banana', U: 'an' }, 2],
    ],
    'SUBSTITUTE({T}, "a", "o")': [
      [{ T: 'banana' }, 'bonono'],
      [{ T: 'xyz' }, 'xyz'],
      [{}, undefined],
    ],
    'SUBSTITUTE({T}, {U}, "-", {N})': [
      [{ T: 'a.b.c.d', U: '.', N: 2 }, 'a.b-c.d'],
      [{ T: 'a.b.c.d', U: '.', N: 3 }, 'a.b.c-d'],
      [{ T: 'a.b.c.d', U: '.', N: 4 }, 'a.b.c.d'],
      [{ T: '一二一二', U: '二', N: 2 }, '一二一-'],
      [{ T: 'a.b', U: '.', N: 0 }, undefined],
    ],
    'TRIM("  " & {T} & "\t ") & "|"': [
      [{ T: 'both' }, 'both|'],
      [{ T: 'in  side' }, 'in  side|'],
      [{}, '|'],
    ],
    'TEXT({N})': [
      [{ N: 2.5 }, '2.5'],
      [{ N: -3 }, '-3'],
      [{}, undefined],
    ],
    'TEXT({N}, "#,##0.00")': [
      [{ N: 1234567.891 }, '1,234,567.89'],
      [{ N: -1234.5 }, '-1,234.50'],
      [{ N: 999 }, '999.00'],
      [{ N: 0 }, '0.00'],
    ],
    'TEXT({N}, "0")': [
      [{ N: 2.5 }, '3'],
      [{ N: -2.5 }, '-3'],
    ],
    'FORMAT({N}, "0.0%")': [
      [{ N: 0.1234 }, '12.3%'],
      [{ N: 1 }, '100.0%'],
    ],
    'TEXT({N}, "#,##0")': [[{ N: 1234.5 }, '1,235']],
  },
  logic: {
    'SWITCH({T}, "a", 1, "b", 2, 0)': [
      [{ T: 'a' }, 1],
      [{ T: 'b' }, 2],
      [{ T: 'c' }, 0],
      [{}, 0],
    ],
    'SWITCH({N}, 1, "one", 2, "two")': [
      [{ N: 1 }, 'one'],
      [{ N: 3 }, undefined],
    ],
    'SWITCH({T}, "", "none", "x", "ex", "other")': [
      [{}, 'none'],
      [{ T: 'x' }, 'ex'],
      [{ T: 'y' }, 'other'],
    ],
    'AND({N} > 0, {T} != "")': [
      [{ N: 1, T: 'x' }, true],
      [{ N: 1 }, undefined],
    ],
    'OR({N} > 0, {T} = "x")': [
      [{ T: 'x' }, true],
      [{ N: -1 }, undefined],
    ],
    'NOT({N} > 0)': [
      [{ N: 1 }, undefined],
      [{ N: 0 }, true],
    ],
    'IF({T} = BLANK(), "empty", "set")': [
      [{}, 'empty'],
      [{ T: 'x' }, 'set'],
    ],
    'ISERROR({N} / {K})': [
      [{ N: 1, K: 0 }, true],
      [{ N: 1 }, true],
      [{ N: 1, K: 2 }, undefined],
    ],
    'ISERROR({N} / {K} + 1)': [[{ N: 1, K: 0 }, true]],
    'IF({K} = 0, 0, {N} / {K})': [
      [{ N: 1, K: 0 }, 0],
      [{ N: 1, K: 4 }, 0.25],
    ],
    'ISERROR(IF({K} = 0, 0, {N} / {K}))': [[{ N: 1, K: 0 }, undefined]],
    'IF(ISERROR(SQRT({N})), "bad", SQRT({N}))': [
      [{ N: 16 }, '4'],
      [{ N: -4 }, 'bad'],
    ],
    'ISERROR({T})': [[{ T: 'x' }, undefined]],
  },
  numbers: {
    'CEILING({N})': [
      [{ N: 2.1 }, 3],
      [{ N: -2.1 }, -2],
      [{ N: 3 }, 3],
      [{}, undefined],
    ],
    'CEILING({N}, {K})': [
      [{ N: 7, K: 5 }, 10],
      [{ N: -7, K: 5 }, -5],
      [{ N: 1.21, K: 0.25 }, 1.25],
      [{ N: 7, K: 0 }, 0],
    ],
    'FLOOR({N})': [
      [{ N: 2.9 }, 2],
      [{ N: -2.1 }, -3],
    ],
    'FLOOR({N}, {K})': [
      [{ N: 7, K: 5 }, 5],
      [{ N: -7, K: 5 }, -10],
      [{ N: 1.49, K: 0.25 }, 1.25],
    ],
    'INT({N})': [
      [{ N: 2.7 }, 2],
      [{ N: -2.5 }, -3],
      [{ N: -2 }, -2],
      [{}, undefined],
    ],
    'MOD({N}, {K})': [
      [{ N: 10, K: 3 }, 1],
      [{ N: -10, K: 3 }, 2],
      [{ N: 10, K: -3 }, -2],
      [{ N: -10, K: -3 }, -1],
      [{ N: 5.5, K: 2 }, 1.5],
      [{ N: 5, K: 0 }, undefined],
    ],
    'ISERROR(MOD({N}, {K}))': [
      [{ N: 5, K: 0 }, true],
      [{ N: 5, K: 2 }, undefined],
    ],
    'POWER({N}, {K})': [
      [{ N: 2, K: 10 }, 1024],
      [{ N: 9, K: 0.5 }, 3],
      [{ N: -2, K: 3 }, -8],
      [{ N: 2, K: -1 }, 0.5],
      [{ N: 0, K: -1 }, undefined],
      [{ N: -8, K: 0.5 }, undefined],
      [{ N: 10, K: 100000 }, undefined],
    ],
    'SQRT({N})': [
      [{ N: 16 }, 4],
      [{ N: 0 }, 0],
      [{ N: -1 }, undefined],
      [{}, undefined],
    ],
    'ISERROR(SQRT(-1))': [[{}, true]],
    'ISERROR(POWER(0, -1))': [[{}, true]],
  },
  dates: {
    'DAY({D})': [
      [{ D: '2024-02-29' }, 29],
      [{}, undefined],
    ],
    'WEEKDAY({D})': [
      [{ D: '2026-12-06' }, 0],
      [{ D: '2026-12-07' }, 1],
      [{ D: '2026-12-12' }, 6],
    ],
    'WEEKDAY({D}, "Monday")': [
      [{ D: '2026-12-06' }, 6],
      [{ D: '2026-12-07' }, 0],
    ],
    'WEEKNUM({D})': [
      [{ D: '2026-01-01' }, 1],
      [{ D: '2026-01-03' }, 1],
      [{ D: '2026-01-04' }, 2],
      [{ D: '2024-12-31' }, 53],
      [{ D: '2023-01-01' }, 1],
      [{ D: '2023-12-31' }, 53],
      [{ D: '2024-02-29' }, 9],
    ],
    'WEEKNUM({D}, "Monday")': [
      [{ D: '2023-01-01' }, 1],
      [{ D: '2023-01-02' }, 2],
      [{ D: '2026-01-05' }, 2],
    ],
    'DATETIME_FORMAT({D}, "DD/MM/YYYY")': [
      [{ D: '2026-03-05' }, '05/03/2026'],
      [{}, undefined],
    ],
    'DATETIME_FORMAT({D}, "M/D/YY dddd [Q]Q")': [[{ D: '2026-03-05' }, '3/5/26 Thursday Q1']],
    'DATETIME_FORMAT({D}, "MMMM Do, ddd MMM")': [[{ D: '2026-12-25' }, 'December 25th, Fri Dec']],
    'DATETIME_FORMAT({DT}, "YYYY-MM-DD HH:mm:ss.SSS h A d Z")': [[{ DT: '2026-03-01T22:30:05.120Z' }, '2026-03-01 22:30:05.120 10 PM 0 +00:00']],
    'DATETIME_FORMAT({D})': [[{ D: '2026-03-05' }, '2026-03-05']],
    'WORKDAY({D}, {N})': [
      [{ D: '2026-12-04', N: 1 }, '2026-12-07'],
      [{ D: '2026-12-05', N: 1 }, '2026-12-07'],
      [{ D: '2026-12-07', N: 5 }, '2026-12-14'],
      [{ D: '2026-12-07', N: -1 }, '2026-12-04'],
      [{ D: '2026-12-07', N: 0 }, '2026-12-07'],
      [{ D: '2026-12-07', N: 2.9 }, '2026-12-09'],
      [{ D: '2026-12-07', N: 1000000 }, undefined],
      [{ N: 1 }, undefined],
    ],
    'WORKDAY({D}, {N}, {T})': [
      [{ D: '2026-12-24', N: 1, T: '2026-12-25' }, '2026-12-28'],
      [{ D: '2026-12-24', N: 2, T: '2026-12-25, 2026-12-28,2026-12-26' }, '2026-12-30'],
      [{ D: '2026-12-29', N: -2, T: '2026-12-25, 2026-12-28' }, '2026-12-23'],
      [{ D: '2026-12-24', N: 1, T: '' }, '2026-12-25'],
      [{ D: '2026-12-24', N: 1, T: '2026-02-30' }, undefined],
      [{ D: '2026-12-24', N: 1, T: 'soon' }, undefined],
    ],
    'ISERROR(WORKDAY({D}, {N}, {T}))': [
      [{ D: '2026-12-24', N: 1, T: '2026-02-30' }, true],
      [{ D: '2026-12-24', N: 1, T: '2026-12-25' }, undefined],
    ],
    'DATETIME_DIFF({E}, {D}, "days")': [
      [{ D: '2026-01-01', E: '2026-03-01' }, 59],
      [{ D: '2024-01-01', E: '2024-03-01' }, 60],
      [{ D: '2026-03-01', E: '2026-01-01' }, -59],
      [{ D: '2026-03-01' }, undefined],
    ],
    'DATETIME_DIFF({E}, {D}, "months")': [
      [{ D: '2026-01-31', E: '2026-02-28' }, 0],
      [{ D: '2026-01-31', E: '2026-03-01' }, 1],
      [{ D: '2024-02-29', E: '2025-02-28' }, 11],
      [{ D: '2024-02-29', E: '2025-03-01' }, 12],
      [{ D: '2025-12-15', E: '2026-01-15' }, 1],
      [{ D: '2026-01-15', E: '2025-12-16' }, 0],
      [{ D: '2026-01-15', E: '2025-12-15' }, -1],
    ],
    'DATETIME_DIFF({E}, {D}, "M")': [[{ D: '2025-11-30', E: '2026-02-28' }, 2]],
    'DATETIME_DIFF({E}, {D}, "Q")': [[{ D: '2025-11-30', E: '2026-03-01' }, 1]],
    'DATETIME_DIFF({E}, {D}, "years")': [
      [{ D: '2024-02-29', E: '2025-02-28' }, 0],
      [{ D: '2024-02-29', E: '2025-03-01' }, 1],
      [{ D: '2025-12-31', E: '2026-01-01' }, 0],
    ],
    'DATETIME_DIFF({E}, {D}, "w")': [[{ D: '2026-01-01', E: '2026-01-20' }, 2]],
    'DATETIME_DIFF({ET}, {DT}, "h")': [
      [{ DT: '2026-03-01T22:30:00Z', ET: '2026-03-02T01:29:00Z' }, 2],
      [{ DT: '2026-03-02T01:29:00Z', ET: '2026-03-01T22:30:00Z' }, -2],
    ],
    'DATETIME_DIFF({ET}, {DT}, "m")': [[{ DT: '2026-03-01T22:30:00Z', ET: '2026-03-01T23:45:30Z' }, 75]],
    'DATETIME_DIFF({ET}, {DT})': [[{ DT: '2026-03-01T22:30:00Z', ET: '2026-03-01T22:31:01.500Z' }, 61]],
    'DATETIME_DIFF({ET}, {DT}, "ms")': [[{ DT: '2026-03-01T22:30:00Z', ET: '2026-03-01T22:30:01.250Z' }, 1250]],
    'DATETIME_DIFF({ET}, {DT}, "days")': [[{ DT: '2026-03-01T22:30:00Z', ET: '2026-03-03T22:29:00Z' }, 1]],
  },
});

describe('type errors name the function and the problem', () => {
  const cases: [string, RegExp][] = [
    ['LEFT({D}, 2) & SQRT({T})', /SQRT needs numbers, not text/],
    ['MID({T}, "x", 1)', /MID needs numbers, not text/],
    ['TEXT({D}, "0")', /TEXT needs a number, not a date; use DATETIME_FORMAT/],
    ['TEXT({N}, "##")', /TEXT's format must be written as text such as "0"/],
    ['WEEKDAY({D}, "Tuesday")', /WEEKDAY's start of the week must be "Sunday" or "Monday"/],
    ['DAY({N})', /DAY needs a date, not a number/],
    ['DATETIME_DIFF({D}, {E}, "fortnights")', /DATETIME_DIFF's unit must be milliseconds/],
    ['DATETIME_FORMAT({D}, {T})', /DATETIME_FORMAT's format must be written as text/],
    ['WORKDAY({T}, 1)', /WORKDAY needs a date, not text/],
    ['MOD(1)', /MOD takes 2 arguments, not 1/],
    ['SWITCH({T}, "a")', /SWITCH takes 3 to 99 arguments, not 2/],
  ];
  for (const [expression, reason] of cases) {
    it(expression, async () => {
      const res = await client.post(`${sheet()}/fields`, { name: `bad${n++}`, type: 'formula', options: { expression } });
      expect(res.status, expression).toBe(400);
      expect(Object.values(res.body.error.details.fields)[0], expression).toMatch(reason);
    });
  }
});

describe("the workspace's time zone", () => {
  it('reads datetimes on its calendar, at once when it changes', async () => {
    const rows = [{ DT: '2026-03-01T22:30:00Z', ET: '2026-12-31T20:00:00Z' }];
    const created = await client.post(`${sheet()}/records`, { records: rows.map((fields) => ({ fields })) });
    const id = created.body.records[0].id as string;
    const exprs = ['DAY({DT})', 'WEEKDAY({DT})', 'DATETIME_FORMAT({DT}, "YYYY-MM-DD HH:mm Z")', 'YEAR({ET})', 'WEEKNUM({ET})', 'WORKDAY({DT}, 1)', 'DATETIME_DIFF({ET}, {DT}, "months")'];
    const names: string[] = [];
    for (const expression of exprs) {
      const name = `tz${n++}`;
      expect((await client.post(`${sheet()}/fields`, { name, type: 'formula', options: { expression } })).status).toBe(201);
      names.push(name);
    }
    const read = async () => {
      const fields = (await client.get(`${sheet()}/records/${id}`)).body.fields;
      return names.map((name) => fields[name]);
    };
    expect(await read()).toEqual([1, 0, '2026-03-01 22:30 +00:00', 2026, 53, '2026-03-02', 9]);
    expect((await client.patch(`/api/w/${ws}/settings`, { timeZone: 'Asia/Taipei' })).status).toBe(200);
    // 06:30 on Monday March 2 and 04:00 on January 1, 2027 in Taipei.
    expect(await read()).toEqual([2, 1, '2026-03-02 06:30 +08:00', 2027, 1, '2026-03-03', 9]);
    expect((await client.patch(`/api/w/${ws}/settings`, { timeZone: 'UTC' })).status).toBe(200);
  });
});

describe('checking a formula without saving it (the editor asks as the user types)', () => {
  const check = (expression: string, language = 'en', field?: string) =>
    client.request('POST', `${sheet()}/formula-check`, { expression, ...(field ? { field } : {}) }, { 'accept-language': language });

  it('answers the result type of a valid formula and saves nothing', async () => {
    const before = (await client.get(sheet())).body.fields.length;
    const res = await check('ROUND({N} * 2, 1)');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ valid: true, result: { type: 'number', options: { precision: 1 } } });
    expect((await check('DATETIME_FORMAT({D}, "YYYY")')).body.result.type).toBe('text');
    expect((await client.get(sheet())).body.fields.length).toBe(before);
  });

  it('gives the reason and position in English and Traditional Chinese', async () => {
    const cases: [string, RegExp, RegExp, number][] = [
      ['SQRT({T})', /^SQRT needs numbers, not text$/, /^SQRT 需要數字，不能是文字$/, -1],
      ['LEFT({T})', /^LEFT takes 2 arguments, not 1$/, /^LEFT 需要 2 個引數，而不是 1 個$/, 0],
      ['1 + {Nope}', /^there is no field \{Nope\} in "Fn"$/, /^「Fn」沒有欄位 \{Nope\}$/, 4],
      ['NOPE(1)', /^unknown function NOPE/, /^沒有函式 NOPE/, 0],
      ['WEEKDAY({D}, "Friday")', /"Sunday" or "Monday"/, /一週起始日/, -1],
      ['DATETIME_DIFF({D}, {E}, "fortnight")', /unit must be milliseconds/, /單位必須是/, -1],
      ['{N} > "x"', /^> compares a number with text$/, /^> 不能比較數字與文字$/, -1],
      ['LEFT("abc, 1)', /not closed with its quote/, /^文字缺少結尾的引號$/, 5],
      ['{D} + 1', /use DATEADD/, /不能將數字與日期相加減/, -1],
    ];
    for (const [expression, en, zh, position] of cases) {
      const english = await check(expression, 'en');
      expect(english.body, expression).toMatchObject({ valid: false, position });
      expect(english.body.message, expression).toMatch(en);
      expect((await check(expression, 'zh-TW,zh;q=0.9')).body.message, expression).toMatch(zh);
    }
  });

  it('refuses a formula that refers to the field being edited', async () => {
    const created = await client.post(`${sheet()}/fields`, { name: 'Self', type: 'formula', options: { expression: '1' } });
    expect(created.status).toBe(201);
    expect((await check('{Self} + 1', 'en', 'Self')).body).toMatchObject({ valid: false, message: 'a formula cannot refer to itself ({Self})', position: 0 });
  });
});

describe('refusals when saving, in the request language', () => {
  it('names the problem in Traditional Chinese for a zh request, in English otherwise', async () => {
    const save = (expression: string, language: string) =>
      client.request('POST', `${sheet()}/fields`, { name: `zh${n++}`, type: 'formula', options: { expression } }, { 'accept-language': language });
    const typeError = await save('SQRT({T})', 'zh-TW');
    expect(typeError.status).toBe(400);
    // details.fields stay the engine's English (machine-readable); details.messages say the same in Chinese.
    expect(Object.values(typeError.body.error.details.fields)[0]).toBe('cannot be computed: SQRT needs numbers, not text');
    expect(Object.values(typeError.body.error.details.messages)[0]).toBe('無法計算：SQRT 需要數字，不能是文字');
    expect(typeError.body.error.message).toMatch(/^「zh\d+」：無法計算：SQRT 需要數字/);
    const unknown = await save('{Nope} + 1', 'zh-TW');
    expect(Object.values(unknown.body.error.details.messages)[0]).toBe('公式：「Fn」沒有欄位 {Nope}（第 1 個字元）');
    expect(unknown.body.error.message).toMatch(/^「zh\d+」的公式：「Fn」沒有欄位 \{Nope\}/);
    const english = await save('SQRT({T})', 'en');
    expect(Object.values(english.body.error.details.fields)[0]).toBe('cannot be computed: SQRT needs numbers, not text');
  });
});
