import { describe, expect, it } from 'vitest';
import { applySuggestion, contextAt, suggestionsAt } from './completion.js';

const FIELDS = ['Name', 'Unit price', 'Quantity', 'Odd } name'];
/** Text with `|` as the cursor. */
const at = (marked: string) => [marked.replace('|', ''), marked.indexOf('|')] as const;

describe('formula completion', () => {
  it('lists fields after an unclosed {, by how they start and then by what they contain', () => {
    expect(suggestionsAt(...at('1 + {|'), FIELDS).map((s) => s.label)).toEqual(FIELDS);
    expect(suggestionsAt(...at('1 + {u|'), FIELDS).map((s) => s.label)).toEqual(['Unit price', 'Quantity']);
    expect(suggestionsAt(...at('{Name} + 1|'), FIELDS)).toEqual([]);
  });

  it('lists functions while a name is typed, with their signatures, but not inside text', () => {
    const found = suggestionsAt(...at('ROUND({Name}) + date|'), FIELDS);
    expect(found.map((s) => s.label)).toEqual(['DATEADD', 'DATEDIF', 'DATETIME_DIFF', 'DATETIME_FORMAT']);
    expect(found[0]!.detail).toBe('DATEADD(date, count, unit)');
    expect(suggestionsAt(...at('"date|'), FIELDS)).toEqual([]);
    expect(suggestionsAt(...at('12|'), FIELDS)).toEqual([]);
  });

  it('inserts a field quoted (a } escaped, one typed already not doubled) and a function with its parenthesis', () => {
    const [text, cursor] = at('1 + {od|}');
    const [odd] = suggestionsAt(text, cursor, FIELDS);
    expect(applySuggestion(text, cursor, odd!)).toEqual({ text: '1 + {Odd \\} name}', cursor: 17 });
    const [t2, c2] = at('x & LE| & y');
    const left = suggestionsAt(t2, c2, FIELDS).find((s) => s.label === 'LEFT');
    expect(applySuggestion(t2, c2, left!)).toEqual({ text: 'x & LEFT( & y', cursor: 9 });
  });

  it('knows the function around the cursor, skipping text and fields', () => {
    expect(contextAt(...at('IF({A}, MID("(", 1|')).call).toBe('MID');
    expect(contextAt(...at('IF({A}, MID("x", 1, 2), |')).call).toBe('IF');
    expect(contextAt(...at('SUBST|ITUTE(')).call).toBe('SUBSTITUTE');
    expect(contextAt(...at('{Na|')).field).toEqual({ prefix: 'Na', from: 0 });
    expect(contextAt(...at('1 + 2|')).call).toBeUndefined();
  });
});
