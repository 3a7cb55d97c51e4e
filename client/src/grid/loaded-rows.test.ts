import { describe, expect, it } from 'vitest';
import type { RecordJson } from '../api/types.js';
import { loadedRows } from './loaded-rows.js';

const record = (id: number): RecordJson => ({ id: String(id), version: 1, createdAt: '', updatedAt: '', fields: {} });
const page = (first: number, size: number) => ({ records: Array.from({ length: size }, (_, i) => record(first + i)) });

describe('the loaded rows of a grid', () => {
  it('reads every record by its row index across pages of any size, in order', () => {
    const pages = [page(0, 3), page(3, 0), page(3, 1), page(4, 5)];
    const rows = loadedRows(pages);
    expect(rows.count).toBe(9);
    expect(Array.from({ length: rows.count }, (_, i) => rows.at(i)?.id)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8']);
  });

  it('answers nothing outside the loaded rows', () => {
    const rows = loadedRows([page(0, 2)]);
    expect([rows.at(-1), rows.at(2), rows.at(0.5)]).toEqual([undefined, undefined, undefined]);
    expect(loadedRows([]).count).toBe(0);
    expect(loadedRows([]).at(0)).toBeUndefined();
  });

  it('returns the records themselves, so rows that did not change keep their props', () => {
    const pages = [page(0, 100), page(100, 100)];
    expect(loadedRows(pages).at(150)).toBe(pages[1]!.records[50]);
  });
});
