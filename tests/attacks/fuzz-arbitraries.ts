import fc from 'fast-check';
import { CATALOGUE } from '../../schema-engine/formulas/catalogue.js';

/**
 * Generators of hostile input for the fuzzer: JsonLogic filters and rule conditions, sorts, cursors, formulas and
 * record values built from the sheet's real field names and from adversarial values (impossible dates, numbers a
 * double cannot hold, lone surrogates, deep nesting, wrong types, unknown operators).
 */

/** JSON text sent as written: numbers JSON.stringify cannot write (12345678901234567890, 1e400), deep nesting. */
export class RawJson {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text.length > 40 ? `${this.text.slice(0, 20)}…(${this.text.length} characters)` : this.text;
  }
}

/** JSON text of a value that may hold RawJson parts. */
export function toJsonText(value: unknown): string {
  const raws: string[] = [];
  const text = JSON.stringify(value, (_key, v: unknown) => {
    if (v instanceof RawJson) {
      raws.push(v.text);
      return `\u0000raw${raws.length - 1}\u0000`;
    }
    return v;
  });
  return (text ?? 'null').replace(/"\\u0000raw(\d+)\\u0000"/g, (_, i: string) => raws[Number(i)]!);
}

/** JSON nested `depth` deep, as text (a value that deep would overflow JSON.stringify and fast-check's reports). */
export function nested(depth: number, inner = '1', wrap: 'array' | 'not' = 'array'): RawJson {
  const [open, close] = wrap === 'array' ? ['[', ']'] : ['{"!":[', ']}'];
  return new RawJson(`${open.repeat(depth)}${inner}${close.repeat(depth)}`);
}

const ODD_TEXT = [
  '',
  ' ',
  '\ud800',
  'a\udfffb',
  '\u0000',
  'x\u200b',
  'Ｎａｍｅ',
  '\u202eevil',
  '%',
  '_',
  '\\',
  "'; DROP TABLE users; --",
  '__proto__',
  'constructor',
  '台北',
  '🚀\u200d🔥',
  'x'.repeat(3000),
  '{',
  '"',
];
const ODD_DATES = ['2026-02-30', '0000-01-01', '9999-12-31', '10000-01-01', '2026-13-01', '2026-00-10', '2024-02-29', '2026-01-01T25:00:00Z', '2026-01-01T10:00:00+25:00', '+275760-09-13T00:00:00Z', '2026-06-01T09:30:00Z', '1-1-1', 'today', '2026-02-29T00:00:00Z'];
const RAW_NUMBERS = ['12345678901234567890', '1e400', '-1e400', '1e-400', '9007199254740993', '0.12345678901234567891', '1e308', '-0', '5e-324'];

export const oddText = fc.oneof(fc.constantFrom(...ODD_TEXT), fc.string({ maxLength: 20 }), fc.string({ unit: 'binary', maxLength: 8 }));

export const oddNumber: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(0, -1, 1.5, 1e30, -1e30, 2 ** 53, Number.MAX_SAFE_INTEGER, 1e308),
  fc.constantFrom(...RAW_NUMBERS).map((t) => new RawJson(t)),
);

export function values(fieldNames: readonly string[]): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 3, arbitrary: oddText },
    { weight: 3, arbitrary: oddNumber },
    { weight: 3, arbitrary: fc.constantFrom(...ODD_DATES) },
    { weight: 1, arbitrary: fc.constantFrom(true, false, null, [], {}, ['a', 'b'], [1, 2], { id: 1 }, 'Q-00001', 'Q-99999999999999999999', 'X-1') },
    { weight: 1, arbitrary: fc.constantFrom(...fieldNames) },
    { weight: 1, arbitrary: fc.array(oddText, { maxLength: 3 }) },
    { weight: 1, arbitrary: fc.constantFrom(nested(150), nested(5000), { var: 'Name' }) },
  );
}

export const FILTER_OPS = ['==', '!=', '<', '<=', '>', '>=', 'in', 'contains', 'starts_with', 'is_empty', 'is_not_empty', '!!'];
const JUNK_OPS = ['>>', 'var', 'method', '__proto__', 'constructor', '$where', '', 'AND', 'log', 'missing'];
const RULE_OPS = ['+', '-', '*', '/', '%', 'min', 'max', 'cat', 'substr', 'round', 'abs', 'len', 'upper', 'year', 'month', 'dateadd', 'datedif', 'today', 'now', 'if', '?:', 'merge', '==='];

/** A field reference: a real name, a wrong one, or something that is no name at all. */
export function fieldRef(fieldNames: readonly string[]): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...fieldNames) },
    { weight: 1, arbitrary: fc.constantFrom('Nope', 'name', ' Name', '__proto__', 'constructor', '', 'fldx', '\ud800') },
    { weight: 1, arbitrary: fc.constantFrom(1, null, ['Name', 'x'], { var: 'Name' }) },
  );
}

/** JsonLogic conditions: mostly well-formed over real fields, with junk anywhere. */
export function logic(fieldNames: readonly string[], extraOps: readonly string[] = []): fc.Arbitrary<unknown> {
  const value = values(fieldNames);
  const ops = [...FILTER_OPS, ...extraOps];
  const { condition } = fc.letrec((tie) => ({
    condition: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      { weight: 5, arbitrary: fc.tuple(fc.constantFrom(...ops), fieldRef(fieldNames), value).map(([op, ref, v]) => ({ [op]: [{ var: ref }, v] })) },
      { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...ops), value, fieldRef(fieldNames)).map(([op, v, ref]) => ({ [op]: [v, { var: ref }] })) },
      { weight: 1, arbitrary: fc.tuple(fc.constantFrom('<', '<='), value, fieldRef(fieldNames), value).map(([op, a, ref, b]) => ({ [op]: [a, { var: ref }, b] })) },
      { weight: 1, arbitrary: fc.tuple(fc.constantFrom('is_empty', 'is_not_empty', '!!'), fieldRef(fieldNames)).map(([op, ref]) => ({ [op]: [{ var: ref }] })) },
      { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...JUNK_OPS), value).map(([op, v]) => ({ [op]: v })) },
      { weight: 1, arbitrary: value },
      { weight: 2, arbitrary: fc.tuple(fc.constantFrom('and', 'or'), fc.array(tie('condition'), { maxLength: 4 })).map(([op, parts]) => ({ [op]: parts })) },
      { weight: 1, arbitrary: tie('condition').map((c) => ({ '!': [c] })) },
      { weight: 1, arbitrary: fc.constantFrom(nested(30, 'true', 'not'), nested(3000, 'true', 'not')) },
    ),
  }));
  return condition;
}

export const ruleLogic = (fieldNames: readonly string[]) => logic(fieldNames, RULE_OPS);

export function sorts(fieldNames: readonly string[]): fc.Arbitrary<string> {
  const key = fc.tuple(fc.boolean(), fc.constantFrom(...fieldNames, 'Nope', '', '--', ' ')).map(([desc, name]) => `${desc ? '-' : ''}${name}`);
  return fc.oneof(fc.array(key, { minLength: 1, maxLength: 4 }).map((keys) => keys.join(',')), oddText);
}

/** A real cursor edited, or anything at all. */
export function cursorEdits(cursor: string): fc.Arbitrary<string> {
  const [payload = '', signature = ''] = cursor.split('.');
  const json = Buffer.from(payload, 'base64url').toString('utf8');
  const rewritten = fc.constantFrom(
    json.replace(/"id":"\d+"/, '"id":"99999999999999999999"'),
    json.replace(/"k":\[[^\]]*\]/, '"k":["1e999999"]'),
    json.replace(/"k":\[[^\]]*\]/, '"k":["2026-02-30"]'),
    json.replace(/"k":\[[^\]]*\]/, `"k":["x'); DROP TABLE users; --"]`),
    json.replace(/"s":"[^"]*"/, '"s":""'),
  );
  return fc.oneof(
    rewritten.map((text) => `${Buffer.from(text).toString('base64url')}.${signature}`),
    fc.nat({ max: Math.max(cursor.length - 1, 0) }).map((i) => `${cursor.slice(0, i)}${cursor[i] === 'A' ? 'B' : 'A'}${cursor.slice(i + 1)}`),
    oddText,
    fc.constant(`${payload}.`),
  );
}

// Every function users can call (formulas/catalogue.ts), and names that are none.
const FUNCTIONS = [...CATALOGUE.map((f) => f.name), 'NOPE', 'EVAL'];

/** Formula source text: tokens of the real syntax in random order and nesting, with hostile literals. */
export function formulas(fieldNames: readonly string[]): fc.Arbitrary<string> {
  const literal = fc.oneof(
    fc.constantFrom(...fieldNames).map((n) => `{${n.replace(/[\\}]/g, (c) => `\\${c}`)}}`),
    fc.constantFrom('{Nope}', '{}', '{', '1', '0', '1e308', '1e400', '12345678901234567890', '0.1', '"2026-02-30"', '"0000-01-01"', '"9999-12-31"', '"day"', '"month"', '"x"', '"Monday"', '"M"', '"YYYY-MM-DD [at] HH:mm Z"', '"#,##0.00"', '"2026-12-25, 2026-02-30"', '-1', '-1e10', '"\ud800"', 'TRUE', '"'),
  );
  const { expr } = fc.letrec((tie) => ({
    expr: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      { weight: 4, arbitrary: literal },
      { weight: 3, arbitrary: fc.tuple(tie('expr'), fc.constantFrom('+', '-', '*', '/', '&', '=', '<>', '<', '>=', ','), tie('expr')).map(([a, op, b]) => `${a} ${op} ${b}`) },
      { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...FUNCTIONS), fc.array(tie('expr'), { maxLength: 3 })).map(([f, args]) => `${f}(${args.join(', ')})`) },
      { weight: 1, arbitrary: tie('expr').map((e) => `(${e})`) },
      { weight: 1, arbitrary: fc.tuple(fc.nat({ max: 3000 }), tie('expr')).map(([n, e]) => `${'('.repeat(n)}${e}${')'.repeat(n)}`) },
      { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 2, max: 400 }), literal).map(([n, e]) => Array.from({ length: n }, () => e).join(' * ')) },
    ),
  }));
  return expr;
}
