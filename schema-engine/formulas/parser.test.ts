import { describe, expect, it } from 'vitest';
import { FormulaError } from './lexer.js';
import { logicDepth, parseFormula } from './parser.js';
import { renderFormula } from './render.js';

const same = (ref: string) => ref;

describe('formula parser', () => {
  it('parses arithmetic with precedence into JsonLogic', () => {
    expect(parseFormula('{Quantity} * {Unit price} * (1 - {Discount})')).toEqual({
      '*': [{ '*': [{ var: 'Quantity' }, { var: 'Unit price' }] }, { '-': [1, { var: 'Discount' }] }],
    });
    expect(parseFormula('1 + 2 * 3 - 4 / 2')).toEqual({ '-': [{ '+': [1, { '*': [2, 3] }] }, { '/': [4, 2] }] });
    expect(parseFormula('-{A} + -2')).toEqual({ '+': [{ '-': [{ var: 'A' }] }, -2] });
  });

  it('parses comparison, concatenation and functions', () => {
    expect(parseFormula('IF({Stage} = "Won", {Amount}, 0)')).toEqual({ if: [{ '==': [{ var: 'Stage' }, 'Won'] }, { var: 'Amount' }, 0] });
    expect(parseFormula(`{First} & " " & {Last}`)).toEqual({ cat: [{ var: 'First' }, ' ', { var: 'Last' }] });
    expect(parseFormula('and({A} > 1, NOT({B} <> 2))')).toEqual({ and: [{ '>': [{ var: 'A' }, 1] }, { '!': [{ '!=': [{ var: 'B' }, 2] }] }] });
    expect(parseFormula('DATEADD(TODAY(), 30, "days")')).toEqual({ dateadd: [{ today: [] }, 30, 'days'] });
    expect(parseFormula('BLANK()')).toEqual({ blank: [] });
    expect(parseFormula('TRUE')).toBe(true);
  });

  it('reads field names with spaces, Chinese, quotes and escaped braces', () => {
    expect(parseFormula('{單價} * {Qty "x"} + {a\\}b}')).toEqual({ '+': [{ '*': [{ var: '單價' }, { var: 'Qty "x"' }] }, { var: 'a}b' }] });
  });

  it('refuses bad syntax with the position and the reason', () => {
    const cases: [string, number, RegExp][] = [
      ['{A} +', 5, /ends too early/],
      ['{A} + )', 6, /unexpected "\)"/],
      ['FOO(1)', 0, /unknown function FOO/],
      ['ROUND()', 0, /ROUND takes 1 to 2 arguments, not 0/],
      ['{A', 0, /not closed/],
      ['"abc', 0, /not closed/],
      ['1 2', 2, /unexpected but found 2/],
      ['IF(1, 2', 7, /expected "\)" but the formula ends/],
      ['{A} # 2', 4, /unexpected "#"/],
    ];
    for (const [source, position, message] of cases) {
      try {
        parseFormula(source);
        expect.unreachable(`${source} should not parse`);
      } catch (error) {
        expect(error).toBeInstanceOf(FormulaError);
        expect((error as FormulaError).message).toMatch(message);
        expect((error as FormulaError).position).toBe(position);
      }
    }
  });
});

describe('formula nesting', () => {
  const refused = (source: string, message: RegExp) => {
    expect(() => parseFormula(source)).toThrow(FormulaError);
    expect(() => parseFormula(source)).toThrow(message);
  };

  it('refuses parentheses, calls and signs nested too deep, without overflowing the stack', () => {
    refused(`${'('.repeat(2000)}1${')'.repeat(2000)}`, /nested more than 100 deep/);
    refused(`${'ABS('.repeat(500)}1${')'.repeat(500)}`, /nested more than 100 deep/);
    refused(`${'-'.repeat(5000)}{A}`, /nested more than 100 deep/);
    expect(parseFormula(`${'('.repeat(100)}1${')'.repeat(100)}`)).toBe(1);
    expect(logicDepth(parseFormula(`${'-'.repeat(100)}{A}`))).toBe(101);
  });

  it('bounds chains of operations, which nest to the left', () => {
    const chain = (n: number) => Array.from({ length: n }, (_, i) => `{F${i}}`).join(' + ');
    // 299 additions around the fields' vars
    expect(logicDepth(parseFormula(chain(300)))).toBe(300);
    refused(chain(302), /more than 300 operations inside one another/);
    refused(Array.from({ length: 400 }, () => '1').join(' = '), /more than 300/);
  });

  it('measures depth without recursion', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = { '-': [deep] };
    expect(logicDepth(deep)).toBe(100_000);
    expect(logicDepth([[[{ var: 'A' }]]])).toBe(1);
  });

  it('refuses a number literal beyond a double', () => {
    refused(`1${'0'.repeat(400)}`, /too large/);
    expect(parseFormula('1e308')).toBe(1e308);
  });
});

describe('formula renderer', () => {
  it('writes formulas back with current names, keeping meaning', () => {
    const sources = [
      '{Quantity} * {Unit price} * (1 - {Discount})',
      'IF({Stage} = "Won", {Amount}, 0)',
      '{First} & " " & UPPER({Last})',
      '1 - (2 - 3)',
      '(1 + 2) * 3',
      '-{A} + ROUND({B} / 3, 2)',
      'DATEDIF({Start}, TODAY(), "days") >= 30',
      '{a\\}b} & "say \\"hi\\""',
    ];
    for (const source of sources) {
      const logic = parseFormula(source);
      const text = renderFormula(logic, same);
      expect(parseFormula(text)).toEqual(logic);
    }
    expect(renderFormula(parseFormula('{A}*(1-{B})'), (ref) => `${ref} renamed`)).toBe('{A renamed} * (1 - {B renamed})');
  });
});
