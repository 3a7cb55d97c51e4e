import { describe, expect, it } from 'vitest';
import type { RecordJson } from '../api/types.js';
import { groupKey, groupRows, groupedSort } from './group-rows.js';
import { loadedRows } from './loaded-rows.js';

const record = (id: string, stage?: string): RecordJson => ({ id, version: 1, createdAt: '', updatedAt: '', fields: stage === undefined ? {} : { Stage: stage } }) as RecordJson;
const pages = [{ records: [record('1', 'Lead'), record('2', 'Lead'), record('3', 'Won')] }, { records: [record('4', 'Won'), record('5')] }];
const summary = [
  { group: ['Lead'], values: [2, 10] },
  { group: ['Won'], values: [7, 30] },
  { group: [null], values: [1, 0] },
];

describe('group rows', () => {
  it('puts a header before each group, across pages, with its count from the summary', () => {
    const rows = groupRows(loadedRows(pages), 'Stage', summary, new Set());
    expect(rows.count).toBe(8);
    const shown = Array.from({ length: rows.count }, (_, i) => (rows.header(i) ? rows.header(i)!.value : rows.at(i)?.id));
    expect(shown).toEqual(['Lead', '1', '2', 'Won', '3', '4', null, '5']);
    expect(rows.header(3)).toMatchObject({ key: '"Won"', count: 7, values: [7, 30], collapsed: false });
    expect(rows.header(6)).toMatchObject({ key: 'null', count: 1 });
    expect(rows.at(0)).toBeUndefined();
    expect(rows.header(1)).toBeUndefined();
    expect(rows.at(8)).toBeUndefined();
    // Record rows are numbered among the records.
    expect([rows.number(1), rows.number(4), rows.number(7)]).toEqual([1, 3, 5]);
    expect(rows.records).toBe(5);
  });

  it('leaves out the records of a collapsed group, keeping its header', () => {
    const rows = groupRows(loadedRows(pages), 'Stage', summary, new Set(['"Won"']));
    const shown = Array.from({ length: rows.count }, (_, i) => (rows.header(i) ? rows.header(i)!.value : rows.at(i)?.id));
    expect(shown).toEqual(['Lead', '1', '2', 'Won', null, '5']);
    expect(rows.header(3)!.collapsed).toBe(true);
  });

  it('has no count for a group the summary does not know (yet)', () => {
    const rows = groupRows(loadedRows(pages), 'Stage', undefined, new Set());
    expect(rows.header(0)).toMatchObject({ value: 'Lead', count: undefined });
    expect(groupRows(loadedRows([]), 'Stage', summary, new Set()).count).toBe(0);
  });

  it('keys a record value and a summary group value alike', () => {
    expect(groupKey({ id: 'u1', name: 'Ann', email: 'a@x' })).toBe(groupKey({ id: 'u1', name: 'Ann (renamed)', email: 'a@x' }));
    expect(groupKey(undefined)).toBe(groupKey(null));
    expect(groupKey(3)).not.toBe(groupKey('3'));
  });

  it('sorts by the group field first, the view sort after', () => {
    expect(groupedSort('-Amount,f1', 'f1')).toBe('f1,-Amount');
    expect(groupedSort('-f1', 'f1')).toBe('f1');
    expect(groupedSort(undefined, 'f1')).toBe('f1');
  });
});
