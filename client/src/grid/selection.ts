/** A cell of the grid by its row (among the loaded rows) and its column (among the shown fields), both from 0. */
export interface CellPos {
  row: number;
  col: number;
}

/** A rectangle of cells, inclusive. */
export interface CellRange {
  top: number;
  left: number;
  bottom: number;
  right: number;
}

/** The rectangle between two corners, in whichever order they were picked. */
export function rangeOf(a: CellPos, b: CellPos): CellRange {
  return { top: Math.min(a.row, b.row), left: Math.min(a.col, b.col), bottom: Math.max(a.row, b.row), right: Math.max(a.col, b.col) };
}

/** Every cell of a range, row by row. */
export function* cellsOf(range: CellRange): Generator<CellPos> {
  for (let row = range.top; row <= range.bottom; row++) for (let col = range.left; col <= range.right; col++) yield { row, col };
}

export const rangeSize = (range: CellRange) => (range.bottom - range.top + 1) * (range.right - range.left + 1);

/** A cell moved by a step, kept inside a grid of `rows` × `cols`. */
export function step(from: CellPos, dRow: number, dCol: number, rows: number, cols: number): CellPos {
  return { row: Math.max(0, Math.min(rows - 1, from.row + dRow)), col: Math.max(0, Math.min(cols - 1, from.col + dCol)) };
}

/** The move an arrow key, Tab or Enter makes: [rows, columns]. */
export const ARROWS: Readonly<Record<string, readonly [number, number]>> = { ArrowDown: [1, 0], ArrowUp: [-1, 0], ArrowRight: [0, 1], ArrowLeft: [0, -1] };
