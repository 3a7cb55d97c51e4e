import { SaxesParser } from 'saxes';

/** The number format of a cell style (an `<xf>` of `<cellXfs>`), by the style's index. */
export interface CellStyle {
  format?: string;
}

/**
 * Excel's built-in number formats that matter for reading: dates and times (14-22, 45-47, and 27-36, 50-58, the dates
 * of the Chinese, Japanese and Korean locales), percentages (9, 10) and currencies (5-8, 42, 44).
 */
const BUILT_IN: Record<number, string> = {
  5: '"$"#,##0', 6: '"$"#,##0', 7: '"$"#,##0.00', 8: '"$"#,##0.00', 9: '0%', 10: '0.00%',
  14: 'yyyy-mm-dd', 15: 'd-mmm-yy', 16: 'd-mmm', 17: 'mmm-yy', 18: 'h:mm AM/PM', 19: 'h:mm:ss AM/PM', 20: 'h:mm', 21: 'h:mm:ss', 22: 'yyyy-mm-dd h:mm',
  42: '"$"#,##0', 44: '"$"#,##0.00', 45: 'mm:ss', 46: '[h]:mm:ss', 47: 'mm:ss.0',
  ...Object.fromEntries([27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 50, 51, 52, 53, 54, 55, 56, 57, 58].map((id) => [id, 'yyyy/m/d'])),
};

/** The formats of a workbook's cell styles, from xl/styles.xml. */
export function cellStyles(xml: string): CellStyle[] {
  const custom = new Map<number, string>();
  const styles: CellStyle[] = [];
  let inCellXfs = false;
  const parser = new SaxesParser();
  parser.on('opentag', (tag) => {
    const name = tag.name.slice(tag.name.indexOf(':') + 1);
    const a = tag.attributes as Record<string, string>;
    if (name === 'numFmt') custom.set(Number(a.numFmtId), a.formatCode ?? '');
    else if (name === 'cellXfs') inCellXfs = true;
    else if (name === 'xf' && inCellXfs) {
      const id = Number(a.numFmtId ?? 0);
      const format = custom.get(id) ?? BUILT_IN[id];
      styles.push(format ? { format } : {});
    }
  });
  parser.on('closetag', (tag) => {
    if (tag.name.endsWith('cellXfs')) inCellXfs = false;
  });
  parser.write(xml).close();
  return styles;
}

/** A number format that shows a date or time (quoted text, [colour] or [$-locale] sections and escapes aside). */
export const isDateFormat = (format: string) => /[dmyhs]/i.test(format.replace(/"[^"]*"|\[[^\]]*\]|\\./g, '').replace(/General/gi, ''));
