import { message, type Language, type MessageParams, type MessageTable } from '../messages.js';

/** Languages the import writes its reasons in (the client's two). */
export type ImportLanguage = Language;

/** Every reason the import gives in its own words, in both languages. The engine's own messages pass as they are. */
const REASONS = {
  not_number: { en: 'is not a number', 'zh-TW': '不是數字' },
  not_duration: { en: 'is not a duration (h:mm or h:mm:ss)', 'zh-TW': '不是時長（h:mm 或 h:mm:ss）' },
  not_date: { en: 'is not a date (read as {order})', 'zh-TW': '不是日期（依 {order} 的順序讀取）' },
  not_datetime: { en: 'is not a date and time (read as {order})', 'zh-TW': '不是日期時間（依 {order} 的順序讀取）' },
  not_boolean: { en: 'is not yes or no (true/false, yes/no, 1/0, ✓)', 'zh-TW': '不是「是」或「否」（true/false、yes/no、1/0、✓）' },
  not_choice: { en: '"{value}" is not one of the choices of "{field}"', 'zh-TW': '「{value}」不是「{field}」的選項' },
  not_rating: { en: 'is not a whole number from 1 to {max}', 'zh-TW': '不是 1 到 {max} 的整數' },
  not_text: { en: 'is not text', 'zh-TW': '不是文字' },
  no_match: { en: '"{value}" matches no record of "{sheet}" (by "{by}")', 'zh-TW': '「{value}」在「{sheet}」中找不到相符的紀錄（依「{by}」比對）' },
  several_matches: { en: '"{value}" matches {count} records of "{sheet}"', 'zh-TW': '「{value}」在「{sheet}」中符合 {count} 筆紀錄' },
  cannot_create_link: { en: '"{value}" matches no record of "{sheet}", and your role cannot add records there', 'zh-TW': '「{value}」在「{sheet}」中找不到相符的紀錄，且您的角色無法在該表新增紀錄' },
  link_not_created: { en: 'a new record "{value}" of "{sheet}" could not be made: {reason}', 'zh-TW': '無法在「{sheet}」新增紀錄「{value}」：{reason}' },
  repeated_key: { en: 'repeats the key "{value}" of row {row}', 'zh-TW': '與第 {row} 列的鍵值「{value}」重複' },
  several_keyed: { en: 'the key "{value}" matches {count} records', 'zh-TW': '鍵值「{value}」符合 {count} 筆紀錄' },
  key_not_updatable: { en: 'the key "{value}" matches record {record}, which your role cannot change', 'zh-TW': '鍵值「{value}」符合第 {record} 筆紀錄，但您的角色無法修改它' },
  aborted: { en: '{count} problem(s) found; nothing was written (choose to skip bad rows to write the others)', 'zh-TW': '發現 {count} 個問題；沒有寫入任何資料（可選擇略過有問題的列以寫入其餘資料）' },
  cancelled: { en: 'Cancelled; nothing was written', 'zh-TW': '已取消；沒有寫入任何資料' },
  failed: { en: 'The import failed; nothing was written: {reason}', 'zh-TW': '匯入失敗；沒有寫入任何資料：{reason}' },
} satisfies MessageTable;

export type ReasonKey = keyof typeof REASONS;

export interface Reason {
  key: ReasonKey;
  params?: MessageParams;
}

/** Date orders as people read them. */
const ORDER_WORDS: Record<string, Record<ImportLanguage, string>> = {
  dmy: { en: 'day-month-year', 'zh-TW': '日-月-年' },
  mdy: { en: 'month-day-year', 'zh-TW': '月-日-年' },
  ymd: { en: 'year-month-day', 'zh-TW': '年-月-日' },
};

export function say(language: ImportLanguage, reason: Reason): string {
  const params = { ...reason.params };
  if (typeof params.order === 'string') params.order = ORDER_WORDS[params.order]?.[language] ?? params.order;
  return message(REASONS, reason.key, language, params);
}
