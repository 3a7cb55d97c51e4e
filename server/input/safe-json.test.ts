import { describe, expect, it } from 'vitest';
import { DEPTH_MESSAGE, NUL_MESSAGE, JsonInputError, MAX_JSON_DEPTH, NUMBER_LIMIT_MESSAGE, NUMBER_RANGE_MESSAGE, numberProblem, parseJsonInput, SURROGATE_MESSAGE } from './safe-json.js';

function problemOf(text: string): { path: (string | number)[]; problem: string } {
  try {
    parseJsonInput(text);
  } catch (error) {
    expect(error).toBeInstanceOf(JsonInputError);
    return { path: (error as JsonInputError).segments, problem: (error as JsonInputError).problem };
  }
  throw new Error(`${text.slice(0, 80)} was accepted`);
}

describe('parseJsonInput', () => {
  it('parses ordinary JSON as JSON.parse does', () => {
    const samples = ['{"fields":{"Name":"台北 🚀","Amount":120000.5,"n":-0.000001,"e":1e21,"t":true,"z":null}}', '[1,[2,[3]],{"a":{"b":[]}}]', '"\\ud83d\\ude80"', '12345678901234568', '0.1', '5e-324'];
    for (const text of samples) expect(parseJsonInput(text)).toEqual(JSON.parse(text));
  });

  it('refuses nesting deeper than the limit without recursion, naming where it starts', () => {
    expect(problemOf(`${'['.repeat(100_000)}${']'.repeat(100_000)}`)).toEqual({ path: [0, 0, 0, 0, 0, 0], problem: DEPTH_MESSAGE });
    expect(problemOf(`{"fields":{"Notes":${'{"a":'.repeat(MAX_JSON_DEPTH)}1${'}'.repeat(MAX_JSON_DEPTH)}}}`).path.slice(0, 2)).toEqual(['fields', 'Notes']);
    const deepest = `${'['.repeat(MAX_JSON_DEPTH)}${']'.repeat(MAX_JSON_DEPTH)}`;
    expect(parseJsonInput(deepest)).toBeInstanceOf(Array);
    // Brackets inside strings are text.
    expect(parseJsonInput(`{"a":"${'['.repeat(500)}"}`)).toEqual({ a: '['.repeat(500) });
  });

  it('refuses lone surrogates in values and keys, escaped or raw, and keeps pairs', () => {
    expect(problemOf('{"fields":{"Name":"a\\ud800b"}}')).toEqual({ path: ['fields', 'Name'], problem: SURROGATE_MESSAGE });
    expect(problemOf('{"records":[{"fields":{"Name":"ok"}},{"fields":{"Name":"\\udfff"}}]}').path).toEqual(['records', 1, 'fields', 'Name']);
    expect(problemOf('{"x\\ud800":1}').problem).toBe(SURROGATE_MESSAGE);
    expect(problemOf('["\\ud800\\ud800"]').problem).toBe(SURROGATE_MESSAGE);
    expect(problemOf('["\\ud800"]').problem).toBe(SURROGATE_MESSAGE);
    expect(problemOf('["\\ud800\\n"]').problem).toBe(SURROGATE_MESSAGE);
    expect(problemOf('["a\ud800"]').problem).toBe(SURROGATE_MESSAGE);
    expect(problemOf('["\udc00b"]').problem).toBe(SURROGATE_MESSAGE);
    expect(parseJsonInput('["\\ud83d\\ude80", "\ud83d\ude80", "\\ud83d\ude80"]')).toEqual(['🚀', '🚀', '🚀']);
    // An escaped backslash before "ud800" is text, not an escape.
    expect(parseJsonInput('["a\\\\ud800", "\\""]')).toEqual(['a\\ud800', '"']);
  });

  it('refuses NUL, escaped, in values and keys', () => {
    expect(problemOf('{"fields":{"Name":"a\\u0000"}}')).toEqual({ path: ['fields', 'Name'], problem: NUL_MESSAGE });
    expect(problemOf('{"a\\u0000":1}').problem).toBe(NUL_MESSAGE);
  });

  it('refuses numbers a double would change, and keeps those it holds exactly', () => {
    expect(problemOf('{"fields":{"Qty":12345678901234567890}}')).toEqual({ path: ['fields', 'Qty'], problem: NUMBER_LIMIT_MESSAGE });
    expect(problemOf('[9007199254740993]').problem).toBe(NUMBER_LIMIT_MESSAGE);
    expect(problemOf('[0.12345678901234567891]').problem).toBe(NUMBER_LIMIT_MESSAGE);
    expect(problemOf('[1e400]').problem).toBe(NUMBER_RANGE_MESSAGE);
    expect(problemOf('[-1e400]').problem).toBe(NUMBER_RANGE_MESSAGE);
    expect(problemOf('[1e-400]').problem).toBe(NUMBER_RANGE_MESSAGE);
    for (const ok of ['9007199254740991', '-9007199254740991', '123456789012345', '1e308', '0.30000000000000004', '1.10', '0e5', '-0']) {
      expect(numberProblem(ok), ok).toBeUndefined();
    }
    // Digits inside strings are text.
    expect(parseJsonInput('{"a":"12345678901234567890"}')).toEqual({ a: '12345678901234567890' });
  });

  it('refuses prototype keys and bad syntax as the document', () => {
    expect(problemOf('{"fields":{"__proto__":{"x":1}}}').path).toEqual([]);
    expect(problemOf('{"a":{"constructor":{"prototype":{}}}}').path).toEqual([]);
    expect(problemOf('{"fields": ').problem).toMatch(/not valid JSON/);
    expect(problemOf('[1.]').problem).toMatch(/not valid JSON/);
  });
});
