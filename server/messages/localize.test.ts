import { describe, expect, it } from 'vitest';
import { PHRASES } from './engine-phrases.js';
import { fieldReason, translateSentence } from './localize.js';

const fill = (template: string, value: (name: string) => string) => template.replace(/\{(\w+)\}/g, (_, name: string) => value(name));

describe('engine sentences in Traditional Chinese', () => {
  it('reaches every phrase: none is hidden by an earlier, wider one', () => {
    const sample = (name: string) => (name === 'reason' ? 'must be a number' : name === 'what' ? 'Sheet "S"' : name === 'kind' ? 'field' : `X${name}`);
    const translated = (name: string) => (name === 'reason' ? '必須是數字' : name === 'what' ? '工作表「S」' : name === 'kind' ? '欄位' : `X${name}`);
    for (const [key, phrase] of Object.entries(PHRASES)) expect(translateSentence(fill(phrase.en, sample), 'zh-TW'), key).toBe(fill(phrase['zh-TW'], translated));
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
