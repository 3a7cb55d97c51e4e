import { fieldErrors } from '../errors.js';
import { message, type Language, type MessageParams, type MessageTable } from '../messages.js';

/** Refusals of a summary's parameters, each naming the parameter (groupBy, values) and what is wrong with it. */
export const SUMMARY_MESSAGES = {
  tooLong: { en: 'must be at most {max} characters', 'zh-TW': '最多 {max} 個字元' },
  notText: { en: 'must be given once, as text', 'zh-TW': '只能提供一次，且必須是文字' },
  tooManyGroups: { en: 'groups by at most {max} fields, not {count}', 'zh-TW': '最多依 {max} 個欄位分組，而非 {count} 個' },
  unknownField: { en: 'unknown field "{name}"', 'zh-TW': '沒有名為「{name}」的欄位' },
  notComputable: { en: '"{name}" cannot be computed ({error})', 'zh-TW': '「{name}」無法計算（{error}）' },
  notGroupable: { en: '"{name}" is a {type} field, which cannot be grouped by', 'zh-TW': '「{name}」是 {type} 欄位，無法用來分組' },
  notDate: { en: '"{name}" is not a date field, so it cannot be grouped by {bucket}', 'zh-TW': '「{name}」不是日期欄位，無法依{bucket}分組' },
  badValue: {
    en: '"{text}" is not one of count, sum(F), avg(F), min(F), max(F), count_distinct(F), filled(F)',
    'zh-TW': '「{text}」不是 count、sum(F)、avg(F)、min(F)、max(F)、count_distinct(F)、filled(F) 其中之一',
  },
  tooManyValues: { en: 'at most {max} values, not {count}', 'zh-TW': '最多 {max} 個彙總值，而非 {count} 個' },
  notNumber: { en: '"{name}" is not a number field, so {fn} cannot be used on it', 'zh-TW': '「{name}」不是數字欄位，無法使用 {fn}' },
  notDistinct: { en: '"{name}" is a {type} field, whose distinct values cannot be counted', 'zh-TW': '「{name}」是 {type} 欄位，無法計算不重複值的數量' },
} satisfies MessageTable;

export type SummaryMessage = keyof typeof SUMMARY_MESSAGES;

/** A 400 naming the parameter, in the user's language. */
export function summaryError(param: string, key: SummaryMessage, language: Language, params: MessageParams = {}) {
  const text = message(SUMMARY_MESSAGES, key, language, params);
  return fieldErrors({ [param]: text }, `${param}: ${text}`);
}
