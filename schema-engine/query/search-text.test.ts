import { describe, expect, it } from 'vitest';
import { pureCompiler } from '../sql-compiler.js';
import { searchFieldIds, searchText, sheetSearchIndex } from './search-text.js';

describe('the joined search text of a sheet (pure)', () => {
  const fields = [
    { id: 'fldzz', type: 'text' },
    { id: 'fldnum', type: 'number' },
    { id: 'fldaa', type: 'email' },
    { id: 'fldsel', type: 'single_select' },
    { id: 'fldmm', type: 'long_text' },
    { id: 'fldf', type: 'formula' },
  ];

  it('takes the text-like fields with a column, in id order, so reordering fields changes nothing', () => {
    expect(searchFieldIds(fields)).toEqual(['fldaa', 'fldmm', 'fldzz']);
    expect(searchFieldIds([...fields].reverse())).toEqual(['fldaa', 'fldmm', 'fldzz']);
  });

  it('joins the columns with chr(31) in lower case, empty values as empty text, for the row or bare as the index has it', () => {
    expect(searchText(['flda', 'fldb'], 't').compile(pureCompiler).sql).toBe(`lower(coalesce("t"."f_flda", '') || chr(31) || coalesce("t"."f_fldb", ''))`);
    expect(searchText(['flda']).compile(pureCompiler).sql).toBe(`lower(coalesce("f_flda", ''))`);
  });

  it('names the index after the sheet and the set of fields it covers', () => {
    const name = sheetSearchIndex('shtabc', ['flda', 'fldb']);
    expect(name).toMatch(/^x_shtabc_[0-9a-f]{10}$/);
    expect(sheetSearchIndex('shtabc', ['flda', 'fldb'])).toBe(name);
    expect(sheetSearchIndex('shtabc', ['flda'])).not.toBe(name);
    expect(sheetSearchIndex('shtabd', ['flda', 'fldb'])).not.toBe(name);
  });
});
