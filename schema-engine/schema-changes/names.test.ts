import { describe, expect, it } from 'vitest';
import { EngineError } from '../errors.js';
import { assertNameFree, cleanName, findClash, freeName, nameKey, nameSchema, sameName } from './names.js';

describe('name keys', () => {
  it('make names that look the same equal: width, case, invisible characters, compatibility forms', () => {
    const same: [string, string][] = [
      ['Name', 'Ｎａｍｅ'],
      ['Name', 'Name\u200b'],
      ['Name', 'N\u00adame'],
      ['Name', '\ufeffNAME'],
      ['Name', 'Na\u2060me'],
      ['Name', 'name\u200d'],
      ['Straße', 'STRASSE'],
      ['ΟΔΟΣ', 'οδος'],
      ['ﬁle', 'FILE'],
      ['No. ①', 'no. 1'],
      ['Café', 'Cafe\u0301'],
      ['客戶', '客戶\u200c'],
    ];
    for (const [a, b] of same) expect(sameName(a, b), `${a} / ${b}`).toBe(true);
    const different: [string, string][] = [
      ['Name', 'Names'],
      ['Amount', 'Amount 2'],
      ['客戶', '客户'],
      ['A', 'Α'], // Latin A and Greek Alpha stay apart: a confusable, not the same letter
      ['a b', 'ab'],
    ];
    for (const [a, b] of different) expect(sameName(a, b), `${a} / ${b}`).toBe(false);
  });

  it('drop invisible characters from stored names, but keep joiners between characters', () => {
    expect(cleanName('Name\u200b')).toBe('Name');
    expect(cleanName('\ufeff Total \u00ad')).toBe('Total');
    expect(cleanName('Pri\u00adce')).toBe('Price');
    expect(cleanName('\u202eevil')).toBe('evil');
    expect(cleanName('👩\u200d💻 Dev')).toBe('👩\u200d💻 Dev');
    expect(cleanName('❤\ufe0f')).toBe('❤\ufe0f');
    expect(cleanName('\u200dName\u200c')).toBe('Name');
    expect(cleanName('می\u200cخواهم')).toBe('می\u200cخواهم');
  });

  it('validate names: cleaned, never empty or invisible, no control characters, well-formed', () => {
    expect(nameSchema.parse(' Name\u200b ')).toBe('Name');
    for (const bad of ['', '   ', '\u200b', '\ufeff\u00ad', 'a\u0000', 'a\u0085', 'x\ud800', 'y'.repeat(256)]) {
      expect(nameSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });

  it('find clashes, refuse taken names and make free ones by the key', () => {
    expect(findClash([{ name: 'A' }, { name: 'B' }, { name: 'ａ' }])).toEqual([{ name: 'A' }, { name: 'ａ' }]);
    expect(findClash([{ name: 'A' }, { name: 'B' }])).toBeUndefined();
    const existing = [{ id: '1', name: 'Name' }, { id: '2', name: 'Total (2)' }];
    expect(() => assertNameFree(existing, 'Ｎａｍｅ', 'field')).toThrow(EngineError);
    expect(() => assertNameFree(existing, 'Ｎａｍｅ', 'field')).toThrow(/A field named "Name" already exists \(names are compared ignoring case/);
    expect(() => assertNameFree(existing, 'Ｎａｍｅ', 'field', '1')).not.toThrow();
    expect(freeName(existing, 'NAME\u200b')).toBe('NAME\u200b (2)');
    expect(freeName([...existing, { name: 'Total' }], 'total')).toBe('total (3)');
    expect(freeName(existing, 'Other')).toBe('Other');
  });

  it('are stable: a key is its own key', () => {
    for (const name of ['Ｎａｍｅ', 'Straße', 'ΟΔΟΣ', 'İstanbul', 'ǅ', '①②', '👩\u200d💻']) expect(nameKey(nameKey(name))).toBe(nameKey(name));
  });
});
