import { describe, expect, it } from 'vitest';
import type { ColumnPreview } from './api.js';
import { draftsFrom, initialOrder, mappingOf, withType, type ColumnDraft } from './mapping-draft.js';

const column = (name: string, type: ColumnPreview['type'], samples: string[], options: Record<string, unknown> = {}): ColumnPreview => ({ name, type, samples, options });
const COLUMNS = [
  column('客戶名稱', 'text', ['台北貿易']),
  column('金額', 'currency', ['NT$1,200'], { currency: 'TWD', precision: 0 }),
  column('等級', 'single_select', ['金級', '銀級'], { choices: [{ name: '金級' }, { name: '銀級' }] }),
  column('備註', 'text', ['x', 'y', 'x']),
];

describe('the wizard mapping', () => {
  it('starts from the server suggestion and sends it back unchanged', () => {
    const suggested = {
      客戶名稱: '客戶名稱',
      金額: { new: { name: '金額', type: 'currency', options: { currency: 'TWD', precision: 0 } } },
      等級: { new: { name: '等級', type: 'single_select', options: { choices: [{ name: '金級' }, { name: '銀級' }] } } },
      備註: null,
    };
    const drafts = draftsFrom(suggested, COLUMNS);
    expect(drafts.備註).toEqual({ kind: 'skip' });
    expect(drafts.等級).toMatchObject({ kind: 'new', type: 'single_select', choices: '金級\n銀級' });
    expect(mappingOf(drafts)).toEqual(suggested);
  });

  it('keeps inferred options only for the inferred type, and makes choices of the samples for a select chosen by hand', () => {
    const text: Extract<ColumnDraft, { kind: 'new' }> = { kind: 'new', name: ' 備註 ', type: 'text', choices: '', options: {} };
    const select = withType(text, 'single_select', COLUMNS[3]!);
    expect(mappingOf({ 備註: select })).toEqual({ 備註: { new: { name: '備註', type: 'single_select', options: { choices: [{ name: 'x' }, { name: 'y' }] } } } });
    const amount = withType({ kind: 'new', name: '金額', type: 'currency', choices: '', options: COLUMNS[1]!.options }, 'number', COLUMNS[1]!);
    expect(mappingOf({ 金額: amount })).toEqual({ 金額: { new: { name: '金額', type: 'number' } } });
  });

  it('reads dates as the file says, else as the language does', () => {
    expect(initialOrder([{ ...COLUMNS[0]!, dateOrder: 'ymd' }], 'en')).toBe('ymd');
    expect(initialOrder(COLUMNS, 'en')).toBe('mdy');
    expect(initialOrder(COLUMNS, 'zh-TW')).toBe('dmy');
  });
});
