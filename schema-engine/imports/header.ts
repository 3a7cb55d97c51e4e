import { cleanName, nameKey } from '../schema-changes/names.js';
import { cellText, isEmptyCell, type Cell, type SourceRow } from './cells.js';
import type { Merge } from './xlsx-source.js';

export interface Header {
  /** The first data row's number. */
  dataFrom: number;
  /** Column names by source column index ('' where the header names nothing). */
  names: string[];
}

const filled = (row: SourceRow) => row.cells.filter((c) => !isEmptyCell(c)).length;
const text = (cell: Cell | undefined) => (cell === undefined ? '' : cleanName(cellText(cell)).slice(0, 255));

/**
 * The header of a sheet from its first rows. A title above the table (one filled cell, or one merged cell, over a
 * row of several) is skipped. A merged header cell stands for every column under it: over a row of sub-headers it
 * names a group ("Contact" over "Email" and "Phone" → "Contact Email", "Contact Phone"), otherwise its columns take
 * its name in turn ("Amount", "Amount (2)").
 */
export function findHeader(first: SourceRow[], merges: readonly Merge[]): Header {
  let at = 0;
  while (at + 1 < first.length && isTitle(first[at]!, first[at + 1]!, merges)) at++;
  const header = first[at];
  if (!header) return { dataFrom: 1, names: [] };
  const spans = merges.filter((m) => m.top === header.number && m.right > m.left);
  const below = first[at + 1];
  if (spans.length && below && below.number === header.number + 1 && isSubHeader(header, below, spans, merges)) {
    const names = header.cells.map((c) => text(c));
    const width = Math.max(header.cells.length, below.cells.length);
    for (let i = 0; i < width; i++) {
      const group = spans.find((m) => m.left <= i + 1 && i + 1 <= m.right);
      const sub = text(below.cells[i]);
      names[i] = group ? [text(header.cells[group.left - 1]), sub].filter(Boolean).join(' ') : (names[i] ?? '') || sub;
    }
    return { dataFrom: below.number + 1, names };
  }
  const names = header.cells.map((c) => text(c));
  for (const span of spans) {
    const name = names[span.left - 1] ?? '';
    for (let column = span.left + 1; column <= span.right; column++) if (!names[column - 1]) names[column - 1] = name && `${name} (${column - span.left + 1})`;
  }
  return { dataFrom: header.number + 1, names };
}

function isTitle(row: SourceRow, next: SourceRow, merges: readonly Merge[]): boolean {
  const count = filled(row);
  if (filled(next) < 2) return false;
  if (count === 1) return true;
  // One merged cell across the table, the rest of the row empty.
  return merges.some((m) => m.top === row.number && m.right > m.left && row.cells.every((c, i) => isEmptyCell(c) || i === m.left - 1));
}

/** The row under merged header cells holds text under each of them, and nothing (or a vertical merge) elsewhere. */
function isSubHeader(header: SourceRow, below: SourceRow, spans: readonly Merge[], merges: readonly Merge[]): boolean {
  const width = Math.max(header.cells.length, below.cells.length);
  for (let i = 0; i < width; i++) {
    const cell = below.cells[i];
    const grouped = spans.some((m) => m.left <= i + 1 && i + 1 <= m.right);
    if (grouped) {
      if (typeof cell !== 'string' || !cell.trim()) return false;
    } else if (!isEmptyCell(cell ?? null)) {
      const vertical = merges.some((m) => m.left === i + 1 && m.top === header.number && m.bottom >= below.number);
      if (!vertical) return false;
    }
  }
  return true;
}

/**
 * Final column names: every column that has a header or data, unnamed ones called after their position ("Column C"
 * in a workbook, "Column 3" in a CSV), names made unique as fields' are ("Name", "Name (2)").
 */
export function columnNames(names: readonly string[], width: number, hasData: (index: number) => boolean, letters: boolean): { name: string; source: number }[] {
  const taken = new Set<string>();
  const result: { name: string; source: number }[] = [];
  for (let i = 0; i < width; i++) {
    const given = names[i] ?? '';
    if (!given && !hasData(i)) continue;
    const base = given || `Column ${letters ? columnLetters(i + 1) : i + 1}`;
    let name = base;
    for (let n = 2; taken.has(nameKey(name)); n++) name = `${base.slice(0, 245)} (${n})`;
    taken.add(nameKey(name));
    result.push({ name, source: i });
  }
  return result;
}

export function columnLetters(n: number): string {
  let letters = '';
  for (let x = n; x > 0; x = Math.floor((x - 1) / 26)) letters = String.fromCharCode(65 + ((x - 1) % 26)) + letters;
  return letters;
}
