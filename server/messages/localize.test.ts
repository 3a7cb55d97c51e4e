import { describe, expect, it } from 'vitest';
import { PHRASES } from './engine-phrases.js';
import { fieldReason, translateSentence } from './localize.js';

const fill = (template: string, value: (name: string) => string) => template.replace(/\{(\w+)\}/g, (_, name: string) => value(name));

describe('engine sentences in Traditional Chinese', () => {
  it('reaches every phrase: none is hidden by an earlier, wider one', () => {
    const sample = (name: string) => (name === 'reason' ? 'must be a number' : name === 'what' ? 'Sheet "S"' : name === 'kind' ? 'field' : name === 'n' ? '7' : `X${name}`);
    const translated = (name: string) => (name === 'reason' ? '必須是數字' : name === 'what' ? '工作表「S」' : name === 'kind' ? '欄位' : name === 'n' ? '7' : `X${name}`);
    for (const [key, phrase] of Object.entries(PHRASES)) expect(translateSentence(fill(phrase.en, sample), 'zh-TW'), key).toBe(fill(phrase['zh-TW'], translated));
  });

  it('translates a sentence inside a sentence, each with its own place', () => {
    expect(translateSentence('cannot be computed: {A} refers back to this field: a reference cycle (at character 1) (at character 4)', 'zh-TW')).toBe('無法計算：{A} 又參照回此欄位，形成循環參照（第 1 個字元）（第 4 個字元）');
    expect(translateSentence('Record 3 of 10: Invalid value for "Amount": must be a number; nothing was saved', 'zh-TW')).toBe('第 3 筆記錄（共 10 筆）：「Amount」：必須是數字；沒有儲存任何內容');
  });

  it('leaves English as it is, and an unknown sentence untouched', () => {
    expect(translateSentence('unknown field "X"', 'en')).toBe('unknown field "X"');
    expect(translateSentence('something new happened', 'zh-TW')).toBe('something new happened');
  });

  it('names an option by its label instead of its dotted path', () => {
    expect(fieldReason('options.expression: the formula ends too early', 'en')).toBe('Expression: the formula ends too early');
    expect(fieldReason('options.copyFrom.field: the linked sheet has no field "W"', 'zh-TW')).toMatch(/^欄位：/);
    expect(fieldReason('options.sheet: there is no sheet "Nowhere"', 'zh-TW')).toBe('工作表：沒有名為「Nowhere」的工作表');
  });
});
