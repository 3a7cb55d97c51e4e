import type { MessageTable } from '../../schema-engine/index.js';

/**
 * The words of a refused request in both languages: what is wrong with a value (from the kind of check that failed,
 * never from a validator's own English) and how the wrong part of the request is named.
 */
export const REASONS = {
  required: { en: 'is required', 'zh-TW': '為必填' },
  type_string: { en: 'must be text', 'zh-TW': '必須是文字' },
  type_number: { en: 'must be a number', 'zh-TW': '必須是數字' },
  type_integer: { en: 'must be a whole number', 'zh-TW': '必須是整數' },
  type_boolean: { en: 'must be true or false', 'zh-TW': '必須是 true 或 false' },
  type_array: { en: 'must be a list', 'zh-TW': '必須是清單' },
  type_object: { en: 'must be an object', 'zh-TW': '必須是物件' },
  type_other: { en: 'has the wrong type (expected {expected})', 'zh-TW': '型別不正確（應為 {expected}）' },
  not_empty: { en: 'must not be empty', 'zh-TW': '不可為空白' },
  min_length: { en: 'must have at least {n} characters', 'zh-TW': '至少需要 {n} 個字元' },
  max_length: { en: 'must have at most {n} characters', 'zh-TW': '最多只能有 {n} 個字元' },
  min_items: { en: 'must have at least {n} items', 'zh-TW': '至少需要 {n} 項' },
  max_items: { en: 'must have at most {n} items', 'zh-TW': '最多只能有 {n} 項' },
  at_least: { en: 'must be at least {n}', 'zh-TW': '不可小於 {n}' },
  more_than: { en: 'must be more than {n}', 'zh-TW': '必須大於 {n}' },
  at_most: { en: 'must be at most {n}', 'zh-TW': '不可大於 {n}' },
  less_than: { en: 'must be less than {n}', 'zh-TW': '必須小於 {n}' },
  multiple_of: { en: 'must be a multiple of {n}', 'zh-TW': '必須是 {n} 的倍數' },
  format_email: { en: 'must be an email address such as name@example.com', 'zh-TW': '必須是電子郵件地址，例如 name@example.com' },
  format_url: { en: 'must be a web address such as https://example.com', 'zh-TW': '必須是網址，例如 https://example.com' },
  format_date: { en: 'must be a date written as YYYY-MM-DD', 'zh-TW': '必須是 YYYY-MM-DD 格式的日期' },
  format_datetime: { en: 'must be a date and time such as 2026-11-22T09:30:00Z', 'zh-TW': '必須是日期時間，例如 2026-11-22T09:30:00Z' },
  format_pattern: { en: 'is not in the expected form', 'zh-TW': '格式不正確' },
  format_other: { en: 'is not a valid {format}', 'zh-TW': '不是有效的 {format}' },
  one_of: { en: 'must be one of: {values}', 'zh-TW': '必須是下列其中之一：{values}' },
  unknown_key: { en: 'is not known here (check its spelling)', 'zh-TW': '不是可用的項目（請檢查拼字）' },
  not_valid: { en: 'is not valid', 'zh-TW': '不正確' },
} satisfies MessageTable;

export type ReasonKey = keyof typeof REASONS;

/** How the parts of a sentence are joined, and how a part of the request is named. */
export const FRAMES = {
  sentence: { en: '{what}: {reason}', 'zh-TW': '{what}：{reason}' },
  join: { en: '; ', 'zh-TW': '；' },
  quoted: { en: '"{name}"', 'zh-TW': '「{name}」' },
  parameter: { en: 'Parameter "{name}"', 'zh-TW': '參數「{name}」' },
  in_item: { en: '{label} (in {list} #{n})', 'zh-TW': '{list}第 {n} 項的{label}' },
  item: { en: 'Item #{n} of {list}', 'zh-TW': '{list}第 {n} 項' },
  option_of: { en: '{label} of "{field}"', 'zh-TW': '「{field}」的{label}' },
  body: { en: 'The request body', 'zh-TW': '請求內容' },
  querystring: { en: 'The query parameters', 'zh-TW': '查詢參數' },
  params: { en: 'The address', 'zh-TW': '網址' },
  headers: { en: 'The request headers', 'zh-TW': '請求標頭' },
  more: { en: '(and {n} more)', 'zh-TW': '（另有 {n} 個問題）' },
} satisfies MessageTable;

/** Names of the body keys and parameters people meet most, as they read them. Others are quoted as they are. */
export const LABELS = {
  name: { en: 'Name', 'zh-TW': '名稱' },
  type: { en: 'Type', 'zh-TW': '類型' },
  options: { en: 'Options', 'zh-TW': '選項' },
  fields: { en: 'Fields', 'zh-TW': '欄位' },
  field: { en: 'Field', 'zh-TW': '欄位' },
  email: { en: 'Email', 'zh-TW': '電子郵件' },
  password: { en: 'Password', 'zh-TW': '密碼' },
  url: { en: 'URL', 'zh-TW': '網址' },
  events: { en: 'Events', 'zh-TW': '事件' },
  sheet: { en: 'Sheet', 'zh-TW': '工作表' },
  expression: { en: 'Expression', 'zh-TW': '公式' },
  filter: { en: 'Filter', 'zh-TW': '篩選條件' },
  sort: { en: 'Sort', 'zh-TW': '排序' },
  limit: { en: 'Limit', 'zh-TW': '筆數上限' },
  offset: { en: 'Offset', 'zh-TW': '起始位置' },
  role: { en: 'Role', 'zh-TW': '角色' },
  description: { en: 'Description', 'zh-TW': '說明' },
  required: { en: 'Required', 'zh-TW': '必填' },
  choices: { en: 'Choices', 'zh-TW': '選項清單' },
  records: { en: 'Records', 'zh-TW': '記錄' },
  value: { en: 'Value', 'zh-TW': '值' },
  title: { en: 'Title', 'zh-TW': '標題' },
  label: { en: 'Label', 'zh-TW': '標籤' },
  language: { en: 'Language', 'zh-TW': '語言' },
  layout: { en: 'Layout', 'zh-TW': '版面' },
  steps: { en: 'Steps', 'zh-TW': '步驟' },
  trigger: { en: 'Trigger', 'zh-TW': '觸發條件' },
  view: { en: 'View', 'zh-TW': '檢視' },
  link: { en: 'Link field', 'zh-TW': '連結欄位' },
  copyFrom: { en: 'Copy from', 'zh-TW': '複製來源' },
  defaultValue: { en: 'Default value', 'zh-TW': '預設值' },
  precision: { en: 'Decimals', 'zh-TW': '小數位數' },
  currency: { en: 'Currency', 'zh-TW': '幣別' },
  max: { en: 'Maximum', 'zh-TW': '最大值' },
  rowHeight: { en: 'Row height', 'zh-TW': '列高' },
  template: { en: 'Template', 'zh-TW': '範本' },
  newPassword: { en: 'New password', 'zh-TW': '新密碼' },
  currentPassword: { en: 'Current password', 'zh-TW': '目前的密碼' },
  token: { en: 'Token', 'zh-TW': '權杖' },
  thankYou: { en: 'Thank-you text', 'zh-TW': '感謝訊息' },
  q: { en: 'Search', 'zh-TW': '搜尋' },
  search: { en: 'Search', 'zh-TW': '搜尋' },
} satisfies MessageTable;

/** Fastify's own refusals (before any route runs), by its error code. */
export const FRAMEWORK = {
  FST_ERR_CTP_INVALID_JSON_BODY: { en: 'The request body is not valid JSON', 'zh-TW': '請求內容不是有效的 JSON' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { en: 'The request body is empty, but its content type says JSON', 'zh-TW': '請求內容是空的，但內容類型標示為 JSON' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { en: 'This kind of request body is not accepted here', 'zh-TW': '此處不接受這種請求內容類型' },
  FST_ERR_CTP_BODY_TOO_LARGE: { en: 'The request body is too large', 'zh-TW': '請求內容太大' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { en: 'The request body is not as long as its Content-Length says', 'zh-TW': '請求內容的長度與 Content-Length 不符' },
} satisfies MessageTable;
