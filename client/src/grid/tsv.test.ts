import { describe, expect, it } from 'vitest';
import { parseTsv, toHtmlTable, toTsv } from './tsv.js';

describe('tab-separated text', () => {
  it('reads rows and cells, with the trailing line break Excel adds', () => {
    expect(parseTsv('a\tb\r\nc\td\r\n')).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
    expect(parseTsv('one')).toEqual([['one']]);
    expect(parseTsv('a\t\tc\n')).toEqual([['a', '', 'c']]);
    expect(parseTsv('')).toEqual([]);
  });

  it('reads quoted cells holding tabs, line breaks and doubled quotes', () => {
    expect(parseTsv('"line 1\nline 2"\t"say ""hi"""\nx\t"a\tb"\n')).toEqual([
      ['line 1\nline 2', 'say "hi"'],
      ['x', 'a\tb'],
    ]);
  });

  it('keeps a quote that does not open a quoted cell as written', () => {
    expect(parseTsv('5" monitor\t"half\n')).toEqual([['5" monitor', '"half']]);
    expect(parseTsv('"a"b\tc')).toEqual([['"a"b', 'c']]);
  });

  it('writes cells quoted like Excel and reads them back the same', () => {
    const rows = [
      ['plain', 'tab\there', 'two\nlines'],
      ['say "hi"', '', '中文'],
    ];
    const text = toTsv(rows);
    expect(text).toBe('plain\t"tab\there"\t"two\nlines"\n"say ""hi"""\t\t中文');
    expect(parseTsv(text)).toEqual(rows);
  });

  it('writes an HTML table with its text escaped', () => {
    expect(toHtmlTable([['<b>', 'a&b\nc']])).toBe('<table><tbody><tr><td>&lt;b&gt;</td><td>a&amp;b<br>c</td></tr></tbody></table>');
  });
});
