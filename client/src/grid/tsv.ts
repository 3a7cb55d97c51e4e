/*
 * Tab-separated text as Excel, Google Sheets and Numbers put it on the clipboard: a cell holding a tab, a line break
 * or a quote is quoted ("a""b"), rows end with a line break (CRLF from Excel), the last one usually too.
 */

/** The rows of pasted text, each a list of cells (a ragged paste keeps its ragged rows). */
export function parseTsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let i = 0;
  // A cell is quoted only when its first character is a quote: 5" monitor stays as written.
  let atCellStart = true;
  while (i < text.length) {
    const c = text[i]!;
    if (atCellStart && c === '"') {
      const end = quotedEnd(text, i);
      if (end !== -1) {
        cell = text.slice(i + 1, end).replace(/""/g, '"');
        i = end + 1;
        atCellStart = false;
        continue;
      }
    }
    atCellStart = false;
    if (c === '\t') {
      row.push(cell);
      cell = '';
      atCellStart = true;
      i++;
    } else if (c === '\n' || c === '\r') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      atCellStart = true;
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
    } else {
      cell += c;
      i++;
    }
  }
  // The text's last line break ends the last row; no empty row after it.
  if (!atCellStart || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

/** The index of the quote closing the quoted cell opened at `start`, if a tab, line break or the end follows it. */
function quotedEnd(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    if (text[i] === '"') {
      if (text[i + 1] === '"') {
        i += 2;
        continue;
      }
      const next = text[i + 1];
      return next === undefined || next === '\t' || next === '\n' || next === '\r' ? i : -1;
    }
    i++;
  }
  return -1;
}

/** One cell as Excel writes it: quoted (quotes doubled) when it holds a tab, a line break or a quote. */
function quoteCell(cell: string): string {
  return /[\t\n\r"]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

/** Rows of cells as tab-separated text, a line break after each row but the last (as Google Sheets copies). */
export function toTsv(rows: readonly (readonly string[])[]): string {
  return rows.map((row) => row.map(quoteCell).join('\t')).join('\n');
}

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The same rows as an HTML table, which word processors and mail clients paste as a table. */
export function toHtmlTable(rows: readonly (readonly string[])[]): string {
  const body = rows.map((row) => `<tr>${row.map((cell) => `<td>${escapeHtml(cell).replace(/\r?\n/g, '<br>')}</td>`).join('')}</tr>`).join('');
  return `<table><tbody>${body}</tbody></table>`;
}
