import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { dateAdd, dateDif } from '../rules/operations.js';
import { pureCompiler } from '../sql-compiler.js';
import { compileFormula, formulaReferences, type FormulaOperand, type FormulaType } from './compile.js';
import { isNumeric, sqlTypeOf } from './compile-types.js';
import { FormulaError } from './lexer.js';
import { parseFormula, type Logic } from './parser.js';

let client: pg.Client;

beforeAll(async () => {
  client = new pg.Client({ connectionString: inject('pgAdminUrl') });
  await client.connect();
  // A zone with DST, far from UTC: date arithmetic that forgets UTC gives other answers here.
  await client.query(`SET TIME ZONE 'America/New_York'`);
});
afterAll(() => client.end());

type Value = string | boolean | null;

const PG_TYPE = { numeric: 'numeric', text: 'text', date: 'date', timestamptz: 'timestamp with time zone', boolean: 'boolean' } as const;

/** Runs a compiled formula; answers its value as text (numbers without trailing zeros, datetimes ISO in UTC) or a boolean. */
async function run(op: FormulaOperand): Promise<Value> {
  const shown =
    op.type.kind === 'datetime'
      ? sql`to_char((${op.sql}) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`
      : op.type.kind === 'date'
        ? sql`to_char(${op.sql}, 'YYYY-MM-DD')`
        : isNumeric(op.type)
          ? sql`trim_scale(${op.sql})::text`
          : sql`(${op.sql})::text`;
  const query = sql`SELECT ${shown} AS v, pg_typeof(${op.sql})::text AS t`.compile(pureCompiler);
  const { rows } = await client.query<{ v: string | null; t: string }>(query.sql, [...query.parameters]);
  const row = rows[0]!;
  // The SQL type is the one the formula type promises.
  expect(row.t).toBe(PG_TYPE[sqlTypeOf(op.type) as keyof typeof PG_TYPE]);
  if (op.type.kind === 'boolean' && row.v !== null) return row.v === 'true';
  return row.v;
}

const FIELDS: Record<string, [FormulaType, string | boolean]> = {
  Name: [{ kind: 'text' }, 'Ada'],
  Other: [{ kind: 'text' }, 'ada'],
  EmptyText: [{ kind: 'text' }, ''],
  N: [{ kind: 'number', precision: 2 }, '2.50'],
  M: [{ kind: 'number' }, '4'],
  Zero: [{ kind: 'number', precision: 0 }, '0'],
  P: [{ kind: 'percent', precision: 1 }, '0.25'],
  C: [{ kind: 'currency', currency: 'USD', precision: 2 }, '12.50'],
  C2: [{ kind: 'currency', currency: 'USD', precision: 0 }, '3'],
  EUR: [{ kind: 'currency', currency: 'EUR' }, '7'],
  D: [{ kind: 'date' }, '2026-01-31'],
  E: [{ kind: 'date' }, '2026-03-15'],
  T: [{ kind: 'datetime' }, '2026-03-01T22:30:00Z'],
  Early: [{ kind: 'datetime' }, '2026-01-01T03:00:00Z'],
  B: [{ kind: 'boolean' }, true],
  F: [{ kind: 'boolean' }, false],
};

/** Operands bound as typed parameters: the record's values, or all empty (NULL). */
const operands =
  (empty: boolean) =>
  (ref: string): FormulaOperand => {
    const field = FIELDS[ref];
    if (!field) throw new Error(`no field {${ref}}`);
    const [type, value] = field;
    const cast = sql.raw(sqlTypeOf(type));
    return { sql: empty ? sql`NULL::${cast}` : sql`${value}::${cast}`, type };
  };

const compileText = (source: string, empty = false) => compileFormula(parseFormula(source), operands(empty));
const evaluate = (source: string, empty = false) => run(compileText(source, empty));

function refused(compile: () => unknown): FormulaError {
  try {
    compile();
  } catch (error) {
    expect(error).toBeInstanceOf(FormulaError);
    return error as FormulaError;
  }
  return expect.unreachable('should be refused');
}

// [formula, value with the record's values, value when every field is empty]
const CASES: Record<string, [string, Value, Value][]> = {
  arithmetic: [
    ['{N} + {M}', '6.5', '0'],
    ['{N} - {M}', '-1.5', '0'],
    ['{N} * {M}', '10', '0'],
    ['{N} / {M}', '0.625', null],
    ['{M} / {Zero}', null, null],
    ['1 / 3', '0.33333333333333333333', '0.33333333333333333333'],
    ['0.1 + 0.2', '0.3', '0.3'],
    ['-{N}', '-2.5', '0'],
    ['-(-{M})', '4', '0'],
    ['{B} + {F} + 1', '2', '1'],
    ['{C} * {M} - {C2}', '47', '0'],
    ['{P} * 100', '25', '0'],
    ['{E} - {D}', '43', null],
    ['{N} + BLANK()', '2.5', '0'],
  ],
  concatenation: [
    ['{Name} & "-" & {N}', 'Ada-2.5', '-'],
    ['CONCAT({D}, " ", {T}, " ", {B}, " ", {F}, " ", {C}, " ", {P})', '2026-01-31 2026-03-01T22:30:00.000Z true false 12.5 0.25', '     '],
    ['{Early} & ""', '2026-01-01T03:00:00.000Z', ''],
    ['{N} & ""', '2.5', ''],
    ['BLANK() & "x"', 'x', 'x'],
    ['{M} * 1.000 & "!"', '4!', '0!'],
    [Array.from({ length: 60 }, (_, i) => `"${i % 10}"`).join(' & '), '0123456789'.repeat(6), '0123456789'.repeat(6)],
  ],
  comparison: [
    ['{Name} = "Ada"', true, false],
    ['{Name} != "Ada"', false, true],
    ['{Name} <> "x"', true, true],
    ['{Name} = {Other}', false, false],
    ['{Name} < {Other}', true, false],
    ['"B" > {Name}', true, false],
    ['{EmptyText} = {EmptyText}', false, false],
    ['{N} < 3', true, false],
    ['{N} >= 2.5', true, false],
    ['{N} != 3', true, true],
    ['{C} > {N}', true, false],
    ['{P} = 0.25', true, false],
    ['{D} > "2026-01-01"', true, false],
    ['{D} = "2026-01-31"', true, false],
    ['"2026-02-01" <= {D}', false, false],
    ['{T} >= {D}', true, false],
    ['{Early} > "2026-01-01"', true, false],
    ['{B} = TRUE', true, false],
    ['{F} = FALSE', true, true],
    ['{B} != {F}', true, false],
    ['{N} = BLANK()', false, true],
    ['{N} != BLANK()', true, false],
    ['BLANK() = {D}', false, true],
    ['{Name} = ""', false, true],
    ['{Name} != ""', true, false],
    ['{EmptyText} = BLANK()', true, true],
    ['{F} = BLANK()', true, true],
  ],
  IF: [
    ['IF({B}, "yes", "no")', 'yes', 'no'],
    ['IF({N} > 2, {N})', '2.5', null],
    ['IF({N}, {C}, 0)', '12.5', '0'],
    ['IF({F}, "x", {N})', '2.5', null],
    ['IF({B}, "x", {N})', 'x', null],
    ['IF({B}, {D}, {T})', '2026-01-31T00:00:00.000Z', null],
    ['IF({F}, {D}, {T})', '2026-03-01T22:30:00.000Z', null],
    ['IF({B}, BLANK(), {D})', null, null],
    ['IF({Name}, 1, 2)', '1', '2'],
    ['IF({D}, 1, 2)', '1', '2'],
    ['IF(BLANK(), 1, 2)', '2', '2'],
  ],
  logic: [
    ['AND({B}, {N} > 1)', true, false],
    ['AND({D}, {M})', true, false],
    ['AND({B}, {Zero})', false, false],
    ['OR({F}, {N} > 100)', false, false],
    ['OR({F}, {Name})', true, false],
    ['OR({F}, {EmptyText})', false, false],
    ['NOT({B})', false, true],
    ['NOT({Zero})', true, true],
    ['NOT(BLANK())', true, true],
  ],
  'ROUND and ABS': [
    ['ROUND({N})', '3', null],
    ['ROUND(2.5)', '3', '3'],
    ['ROUND(-2.5)', '-3', '-3'],
    ['ROUND(-0.125, 2)', '-0.13', '-0.13'],
    ['ROUND(1234.5, -2)', '1200', '1200'],
    ['ROUND(-1250, -2)', '-1300', '-1300'],
    ['ROUND({C} / 3, 1)', '4.2', '0'],
    ['ROUND({N}, {M})', '2.5', null],
    ['ROUND({N}, BLANK())', '3', null],
    ['ABS({M} - 10)', '6', '10'],
    ['ABS(-{C})', '12.5', '0'],
    ['ABS({N})', '2.5', null],
  ],
  'MIN and MAX': [
    ['MIN({N}, {M})', '2.5', null],
    ['MAX({N}, {M}, 3)', '4', '3'],
    ['MIN({N}, BLANK())', '2.5', null],
    ['MAX({C}, 20)', '20', '20'],
    ['MAX({D}, {E})', '2026-03-15', null],
    ['MIN({D}, {T})', '2026-01-31T00:00:00.000Z', null],
    ['MIN(BLANK(), BLANK())', null, null],
  ],
  text: [
    ['UPPER({Name})', 'ADA', ''],
    ['LOWER({Name} & {D})', 'ada2026-01-31', ''],
    ['UPPER({B})', 'TRUE', ''],
    ['LEN({Name})', '3', '0'],
    ['LEN({N})', '3', '0'],
    ['LEN("單價")', '2', '2'],
  ],
  dates: [
    ['DATEADD({D}, 1, "month")', '2026-02-28', null],
    ['DATEADD("2024-01-31", 1, "months")', '2024-02-29', '2024-02-29'],
    ['DATEADD("2024-02-29", 1, "year")', '2025-02-28', '2025-02-28'],
    ['DATEADD({D}, -2, "weeks")', '2026-01-17', null],
    ['DATEADD({D}, 3, "d")', '2026-02-03', null],
    ['DATEADD({D}, {M}, "day")', '2026-02-04', null],
    ['DATEADD({D}, BLANK(), "day")', null, null],
    ['DATEADD({D}, 1e9, "day")', null, null],
    // Beyond the years 1 to 9999: empty, as the rule engine answers, never a range error failing the query.
    ['DATEADD("9999-12-31", 1, "day")', null, null],
    ['DATEADD("9999-12-31", 0, "day")', '9999-12-31', '9999-12-31'],
    ['DATEADD("0001-01-01", -1, "day")', null, null],
    ['DATEADD("0001-01-01", -1e20, "day")', null, null],
    ['DATEADD("0001-01-31", -1, "month")', null, null],
    ['DATEADD("9999-12-01", 1, "month")', null, null],
    ['DATEADD({D}, 99999999999, "month")', null, null],
    ['DATEADD({T}, -1e15, "minute")', null, null],
    ['DATEADD(DATEADD(DATEADD({D}, 3000000, "day"), 3000000, "day"), 3000000, "day")', null, null],
    ['DATEADD({D}, -738000, "day")', '0005-07-05', null],
    ['DATEADD({T}, 2, "hour")', '2026-03-02T00:30:00.000Z', null],
    ['DATEADD({T}, 10, "day")', '2026-03-11T22:30:00.000Z', null],
    ['DATEADD({T}, 1, "month")', '2026-04-01T22:30:00.000Z', null],
    ['DATEADD({D}, 90, "mi")', '2026-01-31T01:30:00.000Z', null],
    ['DATEADD({D}, 1.5, "h")', '2026-01-31T01:30:00.000Z', null],
    ['DATEDIF({D}, {E}, "day")', '43', null],
    ['DATEDIF({D}, {E}, "month")', '1', null],
    ['DATEDIF({E}, {D}, "week")', '-6', null],
    ['DATEDIF({D}, {T}, "hour")', '718', null],
    ['DATEDIF({D}, {T}, "minutes")', '43110', null],
    ['DATEDIF("2020-02-29", "2026-02-28", "y")', '5', '5'],
    ['DATEDIF({D}, BLANK(), "day")', null, null],
    ['YEAR({D})', '2026', null],
    ['MONTH({T})', '3', null],
    ['YEAR({Early})', '2026', null],
    ['MONTH({Early})', '1', null],
    ['BLANK()', null, null],
  ],
};

describe('compiled formulas in PostgreSQL, with values and with every field empty', () => {
  for (const [group, cases] of Object.entries(CASES)) {
    describe(group, () => {
      for (const [source, full, empty] of cases) {
        it(source, async () => {
          expect(await evaluate(source)).toEqual(full);
          expect(await evaluate(source, true)).toEqual(empty);
        });
      }
    });
  }

  it('orders text by code point, whatever the collation of an operand', async (ctx) => {
    const { rows } = await client.query(`SELECT 1 FROM pg_collation WHERE collname = 'und-x-icu'`);
    if (!rows.length) ctx.skip(); // a server built without ICU
    const icu = (): FormulaOperand => ({ sql: sql`(${'a'}::text COLLATE "und-x-icu")`, type: { kind: 'text' } });
    expect(await run(compileFormula(parseFormula('{X} < "B"'), icu))).toBe(false);
    expect(await run(compileFormula(parseFormula('{X} >= "B"'), icu))).toBe(true);
  });

  it('TODAY() is the UTC date and NOW() the time', async () => {
    expect(compileText('TODAY()').type).toEqual({ kind: 'date' });
    expect(await evaluate('TODAY()')).toBe(new Date().toISOString().slice(0, 10));
    const now = (await evaluate('NOW()')) as string;
    expect(Math.abs(Date.parse(now) - Date.now())).toBeLessThan(60_000);
  });

  it('computes a line total from real formula text', async () => {
    const fields: Record<string, FormulaOperand> = {
      Quantity: { sql: sql`${'3'}::numeric`, type: { kind: 'number', precision: 0 } },
      'Unit price': { sql: sql`${'19.99'}::numeric`, type: { kind: 'currency', currency: 'TWD', precision: 2 } },
      Discount: { sql: sql`${'0.1'}::numeric`, type: { kind: 'percent' } },
    };
    const compiled = compileFormula(parseFormula('{Quantity} * {Unit price} * (1 - {Discount})'), (ref) => fields[ref]!);
    expect(compiled.type).toEqual({ kind: 'currency', currency: 'TWD', precision: 2 });
    expect(await run(compiled)).toBe('53.973');
  });
});

describe('result types', () => {
  const cases: [string, FormulaType][] = [
    ['{C} * {M}', { kind: 'currency', currency: 'USD', precision: 2 }],
    ['{M} * {C}', { kind: 'currency', currency: 'USD', precision: 2 }],
    ['{C} / {M}', { kind: 'currency', currency: 'USD', precision: 2 }],
    ['{C} / {C2}', { kind: 'number' }],
    ['{M} / {C}', { kind: 'number' }],
    ['{C} + {C2}', { kind: 'currency', currency: 'USD', precision: 2 }],
    ['{C2} - 1', { kind: 'currency', currency: 'USD', precision: 0 }],
    ['{C} + {N}', { kind: 'currency', currency: 'USD', precision: 2 }],
    ['{EUR} + 1', { kind: 'currency', currency: 'EUR' }],
    ['-{C}', { kind: 'currency', currency: 'USD', precision: 2 }],
    ['{N} + {N}', { kind: 'number', precision: 2 }],
    ['{N} + 1.125', { kind: 'number', precision: 3 }],
    ['{N} + {M}', { kind: 'number' }],
    ['{N} * 2', { kind: 'number' }],
    ['{P} + {P}', { kind: 'percent', precision: 1 }],
    ['{P} + 1', { kind: 'number', precision: 1 }],
    ['{P} * {M}', { kind: 'number' }],
    ['{B} + 1', { kind: 'number' }],
    ['{E} - {D}', { kind: 'number', precision: 0 }],
    ['{Name} & 1', { kind: 'text' }],
    ['{N} > 1', { kind: 'boolean' }],
    ['NOT({N})', { kind: 'boolean' }],
    ['DATEADD({D}, 1, "day")', { kind: 'date' }],
    ['DATEADD({D}, 1, "minute")', { kind: 'datetime' }],
    ['DATEADD({T}, 1, "year")', { kind: 'datetime' }],
    ['DATEDIF({D}, {T}, "day")', { kind: 'number', precision: 0 }],
    ['IF({B}, {C}, 1)', { kind: 'currency', currency: 'USD', precision: 2 }],
    ['IF({B}, BLANK(), {C})', { kind: 'currency', currency: 'USD', precision: 2 }],
    ['IF({B}, {N}, {Zero})', { kind: 'number', precision: 2 }],
    ['IF({B}, {C}, {EUR})', { kind: 'number' }],
    ['IF({B}, "x", 1)', { kind: 'text' }],
    ['IF({B}, {D}, {T})', { kind: 'datetime' }],
    ['IF({B}, {D})', { kind: 'date' }],
    ['ROUND({C})', { kind: 'currency', currency: 'USD', precision: 0 }],
    ['ROUND({C}, -1)', { kind: 'currency', currency: 'USD', precision: 0 }],
    ['ROUND({N} * 3, 1)', { kind: 'number', precision: 1 }],
    ['ROUND({P}, 3)', { kind: 'percent', precision: 3 }],
    ['ROUND({N}, {M})', { kind: 'number' }],
    ['ABS({C})', { kind: 'currency', currency: 'USD', precision: 2 }],
    ['MAX({C}, 20)', { kind: 'currency', currency: 'USD', precision: 2 }],
    ['MIN({D}, {E})', { kind: 'date' }],
    ['LEN({Name})', { kind: 'number', precision: 0 }],
    ['YEAR({T})', { kind: 'number', precision: 0 }],
    ['BLANK()', { kind: 'text' }],
  ];
  for (const [source, type] of cases) {
    it(source, () => expect(compileText(source).type).toEqual(type));
  }
});

describe('type errors', () => {
  const cases: [string, string][] = [
    ['{Name} + 1', '+ needs numbers, not text'],
    ['{N} * {D}', '* needs numbers, not a date'],
    ['-{Name}', '- needs numbers, not text'],
    ['{B} / {T}', '/ needs numbers, not a datetime'],
    ['{D} + 1', '+ cannot add or subtract a number and a date; use DATEADD({Date}, 3, "day")'],
    ['1 - {T}', '- cannot add or subtract a number and a date; use DATEADD({Date}, 3, "day")'],
    ['{T} - {D}', '- cannot combine a datetime and a date; use DATEDIF({Start}, {End}, "hour") for the time between them'],
    ['{C} + {EUR}', '+ mixes USD and EUR'],
    ['{C} / {EUR}', '/ mixes USD and EUR'],
    ['{N} > "x"', '> compares a number with text'],
    ['{D} > 5', '> compares a date with a number'],
    ['{D} = "soon"', '= compares a date with text'],
    ['{D} = "2026-02-30"', '"2026-02-30" is not a date'],
    ['{B} = 1', '= compares true/false with a number'],
    ['{N} <= BLANK()', '<= cannot compare with an empty value; use = or != to test for it'],
    ['YEAR({N})', 'YEAR needs a date, not a number'],
    ['MONTH({Name})', 'MONTH needs a date, not text'],
    ['DATEDIF({D}, 5, "day")', 'DATEDIF needs a date, not a number'],
    ['DATEADD({D}, 1, {Name})', `DATEADD's unit must be written as text, such as "day" (day, week, month, year, hour or minute)`],
    ['DATEDIF({D}, {E}, "fortnight")', `DATEDIF's unit must be day, week, month, year, hour or minute, not "fortnight"`],
    ['DATEADD({D}, "x", "day")', 'DATEADD needs numbers, not text'],
    ['ROUND({Name})', 'ROUND needs numbers, not text'],
    ['ROUND({N}, {D})', 'ROUND needs numbers, not a date'],
    ['ABS({D})', 'ABS needs numbers, not a date'],
    ['MIN({D}, 1)', 'MIN needs all numbers or all dates, not a date and a number'],
    ['MAX({Name})', 'MAX needs numbers, not text'],
    ['MAX({C}, {EUR})', 'MAX mixes USD and EUR'],
  ];
  for (const [source, message] of cases) {
    it(source, () => {
      const error = refused(() => compileText(source));
      expect(error.message).toBe(message);
      expect(error.position).toBe(-1);
    });
  }

  it('refuses logic the parser would not write', () => {
    const cases: [Logic, string][] = [
      [{ foo: [1] }, 'unknown operation "foo"'],
      [{ '+': [1] }, '+ takes 2 or more arguments, not 1'],
      [{ if: [true] }, 'IF takes 2 to 3 arguments, not 1'],
      [{ '==': [1, 2, 3] }, '== takes 2 arguments, not 3'],
      [{ cat: [] }, 'CONCAT takes 1 or more arguments, not 0'],
      [{ '!': [true, false] }, 'NOT takes 1 argument, not 2'],
    ];
    for (const [logic, message] of cases) expect(refused(() => compileFormula(logic, operands(false))).message).toBe(message);
  });
});

describe('DATEADD and DATEDIF agree with rules/operations.ts', () => {
  let seed = 11;
  const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
  const START = Date.UTC(2019, 0, 1);
  const day = () => new Date(START + Math.floor(random() * 3000) * 86_400_000).toISOString().slice(0, 10);
  const instant = () => new Date(START + Math.floor(random() * 3000 * 86_400_000)).toISOString();
  const fixed: [string, string][] = [
    ['2026-01-31', '2026-02-28'],
    ['2026-01-31', '2026-03-01'],
    ['2024-02-29', '2025-02-28'],
    ['2024-02-29', '2028-02-29'],
    ['2026-03-15', '2026-01-31'],
    ['2025-12-31', '2026-01-01'],
    ['2026-05-10', '2026-05-10'],
  ];
  const pairs: [string, string][] = [...fixed, ...Array.from({ length: 40 }, () => [day(), day()] as [string, string])];
  const withTimes: [string, string][] = Array.from({ length: 30 }, (_, i) => (i % 3 === 0 ? [day(), instant()] : [instant(), instant()]));
  const operand = (value: string): FormulaOperand =>
    value.length === 10 ? { sql: sql`${value}::date`, type: { kind: 'date' } } : { sql: sql`${value}::timestamptz`, type: { kind: 'datetime' } };

  it('DATEDIF counts days, weeks, months, years, hours and minutes the same way', async () => {
    for (const [start, end] of [...pairs, ...withTimes]) {
      const values: Record<string, FormulaOperand> = { S: operand(start), E: operand(end) };
      for (const unit of ['day', 'week', 'month', 'year', 'hour', 'minute']) {
        const compiled = compileFormula({ datedif: [{ var: 'S' }, { var: 'E' }, unit] }, (ref) => values[ref]!);
        expect(await run(compiled), `DATEDIF(${start}, ${end}, ${unit})`).toBe(String(dateDif(start, end, unit)));
      }
    }
  });

  it('DATEADD adds the same way, dates staying dates for whole days to years', async () => {
    const starts = [...fixed.map(([d]) => d), ...pairs.slice(fixed.length, fixed.length + 15).map(([d]) => d), ...withTimes.slice(0, 6).map(([, t]) => t)];
    for (const start of starts) {
      for (const unit of ['day', 'week', 'month', 'year', 'hour', 'minute']) {
        for (const n of [-25, -13, -1, 0, 1, 2, 13, 37]) {
          const compiled = compileFormula({ dateadd: [{ var: 'S' }, n, unit] }, () => operand(start));
          expect(await run(compiled), `DATEADD(${start}, ${n}, ${unit})`).toBe(dateAdd(start, n, unit));
        }
      }
    }
  });
});

describe('SQL and references', () => {
  it('passes every value as a parameter', () => {
    const compiled = compileFormula(parseFormula(`IF({Name} = "it's", 1.5, DATEADD("2026-01-01", 2, "day")) & "'; DROP TABLE x; --"`), operands(false)).sql.compile(pureCompiler);
    expect(compiled.sql).not.toMatch(/it's|DROP|1\.5|2026/);
    expect(compiled.parameters).toEqual(expect.arrayContaining(["it's", '1.5', '2026-01-01', "'; DROP TABLE x; --"]));
  });

  it('lists field references with their positions', () => {
    expect(formulaReferences('{A} + {B c} * {A} & "{not a field}"')).toEqual([
      { name: 'A', pos: 0 },
      { name: 'B c', pos: 6 },
      { name: 'A', pos: 14 },
    ]);
  });
});
