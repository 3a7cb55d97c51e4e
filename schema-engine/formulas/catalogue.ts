/**
 * The formula functions users can call: one list read by the parser (name → JsonLogic operator, argument counts),
 * the compiler's arity checks, and the client's formula editor (completion, signature and help in both languages).
 * Pure data, no server imports, so the browser bundle can import it.
 */
export type FunctionCategory = 'logic' | 'number' | 'text' | 'date';
export type FunctionResult = 'number' | 'text' | 'date' | 'datetime' | 'boolean' | 'any';

export interface Bilingual {
  en: string;
  'zh-TW': string;
}

export interface CatalogueEntry {
  name: string;
  /** Its JsonLogic operator (formulas are stored as JsonLogic). */
  op: string;
  min: number;
  max: number;
  category: FunctionCategory;
  /** Argument names as the signature shows them; `[x]` is optional, `…` repeats. */
  signature: string;
  result: FunctionResult;
  description: Bilingual;
  example: string;
}

const fn = (
  name: string,
  op: string,
  [min, max]: [number, number],
  category: FunctionCategory,
  signature: string,
  result: FunctionResult,
  en: string,
  zh: string,
  example: string,
): CatalogueEntry => ({ name, op, min, max, category, signature, result, description: { en, 'zh-TW': zh }, example });

const MANY = 50;

export const CATALOGUE: readonly CatalogueEntry[] = [
  // Logic
  fn('IF', 'if', [2, 3], 'logic', 'IF(condition, then, [else])', 'any', 'The second argument when the condition holds, else the third (or empty).', '條件成立時傳回第二個引數，否則傳回第三個（或空白）。', 'IF({Amount} > 100, "big", "small")'),
  fn('SWITCH', 'switch', [3, 99], 'logic', 'SWITCH(value, pattern1, result1, …, [default])', 'any', 'The result of the first pattern equal to the value, else the default (or empty).', '傳回第一個等於該值的樣式所對應的結果，否則傳回預設值（或空白）。', 'SWITCH({Status}, "Won", 1, "Lost", 0, 0.5)'),
  fn('AND', 'and', [1, MANY], 'logic', 'AND(condition1, …)', 'boolean', 'True when every argument is true (empty counts as false).', '所有引數皆為真時為真（空白視為假）。', 'AND({Paid}, {Amount} > 0)'),
  fn('OR', 'or', [1, MANY], 'logic', 'OR(condition1, …)', 'boolean', 'True when any argument is true.', '任一引數為真時為真。', 'OR({Status} = "Won", {Status} = "Lost")'),
  fn('NOT', '!', [1, 1], 'logic', 'NOT(condition)', 'boolean', 'The opposite of the condition.', '條件的相反。', 'NOT({Paid})'),
  fn('BLANK', 'blank', [0, 0], 'logic', 'BLANK()', 'any', 'An empty value; compare with it to test for emptiness.', '空白值；與它比較可判斷是否為空白。', 'IF({Due} = BLANK(), "no date", {Due})'),
  fn('ISERROR', 'iserror', [1, 1], 'logic', 'ISERROR(value)', 'boolean', 'True when the value is an error (division by zero, square root of a negative, an impossible date…); errors read as empty.', '值為錯誤時為真（除以零、負數的平方根、不可能的日期等）；錯誤的值顯示為空白。', 'IF(ISERROR({A} / {B}), 0, {A} / {B})'),
  // Numbers
  fn('ROUND', 'round', [1, 2], 'number', 'ROUND(number, [digits])', 'number', 'Rounds half away from zero to the digits (0 by default; negative rounds to tens, hundreds…).', '四捨五入到指定位數（預設 0；負數則到十位、百位…）。', 'ROUND({Price} * 1.05, 2)'),
  fn('ABS', 'abs', [1, 1], 'number', 'ABS(number)', 'number', 'The number without its sign.', '數字的絕對值。', 'ABS({Balance})'),
  fn('MIN', 'min', [1, MANY], 'number', 'MIN(value1, …)', 'any', 'The smallest number or earliest date; empty values are skipped.', '最小的數字或最早的日期；略過空白值。', 'MIN({Budget}, 1000)'),
  fn('MAX', 'max', [1, MANY], 'number', 'MAX(value1, …)', 'any', 'The largest number or latest date; empty values are skipped.', '最大的數字或最晚的日期；略過空白值。', 'MAX({Start}, TODAY())'),
  fn('CEILING', 'ceiling', [1, 2], 'number', 'CEILING(number, [significance])', 'number', 'Rounds up to the nearest multiple of the significance (1 by default).', '無條件進位到最接近的倍數（預設 1）。', 'CEILING({Hours}, 0.25)'),
  fn('FLOOR', 'floor', [1, 2], 'number', 'FLOOR(number, [significance])', 'number', 'Rounds down to the nearest multiple of the significance (1 by default).', '無條件捨去到最接近的倍數（預設 1）。', 'FLOOR({Price}, 5)'),
  fn('INT', 'int', [1, 1], 'number', 'INT(number)', 'number', 'The largest whole number not above the number (INT(-2.5) is -3).', '不大於該數的最大整數（INT(-2.5) 為 -3）。', 'INT({Hours})'),
  fn('MOD', 'mod', [2, 2], 'number', 'MOD(number, divisor)', 'number', 'The remainder after division; it has the divisor\'s sign (MOD(-3, 2) is 1). An error when the divisor is 0.', '相除後的餘數，正負號與除數相同（MOD(-3, 2) 為 1）。除數為 0 時為錯誤。', 'MOD({Row}, 2)'),
  fn('POWER', 'power', [2, 2], 'number', 'POWER(base, exponent)', 'number', 'The base raised to the exponent.', '底數的指數次方。', 'POWER(1 + {Rate}, {Years})'),
  fn('SQRT', 'sqrt', [1, 1], 'number', 'SQRT(number)', 'number', 'The square root; an error for a negative number.', '平方根；負數為錯誤。', 'SQRT({Area})'),
  // Text
  fn('CONCAT', 'cat', [1, MANY], 'text', 'CONCAT(text1, …)', 'text', 'The values joined as text (also written a & b).', '將值串接成文字（也可寫成 a & b）。', 'CONCAT({First}, " ", {Last})'),
  fn('CONCATENATE', 'concatenate', [1, MANY], 'text', 'CONCATENATE(text1, …)', 'text', 'The values joined as text, as CONCAT.', '將值串接成文字，同 CONCAT。', 'CONCATENATE({City}, ", ", {Country})'),
  fn('UPPER', 'upper', [1, 1], 'text', 'UPPER(text)', 'text', 'The text in capitals.', '轉為大寫。', 'UPPER({Code})'),
  fn('LOWER', 'lower', [1, 1], 'text', 'LOWER(text)', 'text', 'The text in small letters.', '轉為小寫。', 'LOWER({Email})'),
  fn('LEN', 'len', [1, 1], 'text', 'LEN(text)', 'number', 'The number of characters.', '字元數。', 'LEN({Name})'),
  fn('LEFT', 'left', [2, 2], 'text', 'LEFT(text, count)', 'text', 'The first count characters.', '開頭的指定數量字元。', 'LEFT({Phone}, 4)'),
  fn('RIGHT', 'right', [2, 2], 'text', 'RIGHT(text, count)', 'text', 'The last count characters.', '結尾的指定數量字元。', 'RIGHT({Account}, 4)'),
  fn('MID', 'mid', [3, 3], 'text', 'MID(text, start, count)', 'text', 'count characters from position start (the first character is 1).', '從第 start 個字元起（第一個字元為 1）取 count 個字元。', 'MID({Code}, 3, 2)'),
  fn('FIND', 'find', [2, 3], 'text', 'FIND(search, text, [start])', 'number', 'The position (from 1) of search in the text, from position start; 0 when it is not found. Case-sensitive.', '搜尋文字在文字中的位置（從 1 起算，從第 start 個字元開始找）；找不到為 0。區分大小寫。', 'FIND("@", {Email})'),
  fn('SUBSTITUTE', 'substitute', [3, 4], 'text', 'SUBSTITUTE(text, old, new, [occurrence])', 'text', 'The text with old replaced by new: every time, or only the occurrence-th time.', '將文字中的 old 換成 new：全部替換，或只替換第 occurrence 次出現的。', 'SUBSTITUTE({Phone}, "-", "")'),
  fn('TRIM', 'trim', [1, 1], 'text', 'TRIM(text)', 'text', 'The text without spaces at its start and end.', '去除開頭與結尾的空白。', 'TRIM({Name})'),
  fn('TEXT', 'text', [1, 2], 'text', 'TEXT(number, [format])', 'text', 'The number as text. Formats: "0", "0.00" (decimals), "#,##0.00" (thousands separators), "0%", "0.0%" (percent).', '將數字轉為文字。格式："0"、"0.00"（小數位）、"#,##0.00"（千分位）、"0%"、"0.0%"（百分比）。', 'TEXT({Amount}, "#,##0.00")'),
  fn('FORMAT', 'format', [1, 2], 'text', 'FORMAT(number, [format])', 'text', 'The number as text, as TEXT.', '將數字轉為文字，同 TEXT。', 'FORMAT({Rate}, "0.0%")'),
  // Dates
  fn('TODAY', 'today', [0, 0], 'date', 'TODAY()', 'date', "Today's date in the workspace's time zone.", '工作區時區的今天日期。', 'DATETIME_DIFF({Due}, TODAY(), "days")'),
  fn('NOW', 'now', [0, 0], 'date', 'NOW()', 'datetime', 'The current date and time.', '目前的日期與時間。', 'NOW()'),
  fn('YEAR', 'year', [1, 1], 'date', 'YEAR(date)', 'number', 'The year of a date.', '日期的年份。', 'YEAR({Signed})'),
  fn('MONTH', 'month', [1, 1], 'date', 'MONTH(date)', 'number', 'The month of a date, 1 to 12.', '日期的月份（1 到 12）。', 'MONTH({Signed})'),
  fn('DAY', 'day', [1, 1], 'date', 'DAY(date)', 'number', 'The day of the month, 1 to 31.', '日期是當月的第幾天（1 到 31）。', 'DAY({Birthday})'),
  fn('WEEKDAY', 'weekday', [1, 2], 'date', 'WEEKDAY(date, ["Monday"])', 'number', 'The day of the week: 0 is Sunday … 6 Saturday; with "Monday", 0 is Monday … 6 Sunday.', '星期幾：0 為星期日…6 為星期六；加上 "Monday" 時 0 為星期一…6 為星期日。', 'WEEKDAY({Date}, "Monday")'),
  fn('WEEKNUM', 'weeknum', [1, 2], 'date', 'WEEKNUM(date, ["Monday"])', 'number', 'The week of the year; week 1 holds January 1 and weeks start on Sunday (or Monday).', '一年中的第幾週；第 1 週包含 1 月 1 日，每週從星期日（或星期一）開始。', 'WEEKNUM({Date})'),
  fn('DATEADD', 'dateadd', [3, 3], 'date', 'DATEADD(date, count, unit)', 'any', 'The date plus count units (day, week, month, year, hour or minute).', '日期加上 count 個單位（day、week、month、year、hour 或 minute）。', 'DATEADD({Start}, 30, "day")'),
  fn('DATEDIF', 'datedif', [3, 3], 'date', 'DATEDIF(start, end, unit)', 'number', 'Whole units from start to end (day, week, month, year, hour or minute).', '從開始到結束的完整單位數（day、week、month、year、hour 或 minute）。', 'DATEDIF({Start}, {End}, "month")'),
  fn('DATETIME_DIFF', 'datetime_diff', [2, 3], 'date', 'DATETIME_DIFF(date1, date2, [unit])', 'number', 'date1 − date2 in whole units (toward zero): milliseconds, seconds (default), minutes, hours, days, weeks, months, quarters, years, or ms, s, m, h, d, w, M, Q, y.', 'date1 − date2 的完整單位數（向零取整）：milliseconds、seconds（預設）、minutes、hours、days、weeks、months、quarters、years，或 ms、s、m、h、d、w、M、Q、y。', 'DATETIME_DIFF({End}, {Start}, "days")'),
  fn('DATETIME_FORMAT', 'datetime_format', [1, 2], 'date', 'DATETIME_FORMAT(date, [format])', 'text', 'The date as text: YYYY, YY, Q, M, MM, MMM, MMMM, D, Do, DD, DDDD, d, ddd, dddd, H, HH, h, hh, m, mm, s, ss, SSS, A, a, Z, [literal text]. Default YYYY-MM-DD.', '將日期轉為文字：YYYY、YY、Q、M、MM、MMM、MMMM、D、Do、DD、DDDD、d、ddd、dddd、H、HH、h、hh、m、mm、s、ss、SSS、A、a、Z、[原樣文字]。預設 YYYY-MM-DD。', 'DATETIME_FORMAT({Date}, "DD MMM YYYY")'),
  fn('WORKDAY', 'workday', [2, 3], 'date', 'WORKDAY(start, days, ["holidays"])', 'date', 'The date days working days (Monday to Friday) after start, skipping holidays given as comma-separated YYYY-MM-DD text.', '開始日期之後第 days 個工作日（星期一至五），略過以逗號分隔的 YYYY-MM-DD 假日。', 'WORKDAY({Ordered}, 5, "2026-01-01, 2026-02-16")'),
];

export const CATALOGUE_BY_NAME: ReadonlyMap<string, CatalogueEntry> = new Map(CATALOGUE.map((f) => [f.name, f]));
