import { badRequest } from '../errors.js';
import { message, type Language, type MessageParams, type MessageTable } from '../messages.js';

/** Languages a restore explains itself in: the client's two (any Chinese is zh-TW, as for imports). */
export type BackupLanguage = Language;

/** Why a backup file cannot be restored, in both languages. */
const PROBLEMS = {
  not_zip: { en: 'it is not a complete zip archive ({reason}); was it cut short?', 'zh-TW': '它不是完整的 zip 壓縮檔（{reason}），是否下載不完整？' },
  no_manifest: { en: 'it has no {entry}, so it is not a workspace backup', 'zh-TW': '它沒有 {entry}，所以不是工作區備份' },
  not_json: { en: '{entry} is not JSON ({reason})', 'zh-TW': '{entry} 不是 JSON（{reason}）' },
  foreign: { en: '{entry} says format {format}, not "{expected}": it is not a workspace backup of this application', 'zh-TW': '{entry} 標示的格式是 {format}，不是「{expected}」：它不是本應用程式的工作區備份' },
  invalid: { en: '{entry}: {where} {problem}', 'zh-TW': '{entry}：{where} {problem}' },
  newer: { en: 'it was made by a newer version of the application (backup format {version}; this server reads up to {max})', 'zh-TW': '它是由較新版本的應用程式建立的（備份格式 {version}；此伺服器最多讀取到 {max}）' },
  no_version: { en: 'backup format {version} does not exist', 'zh-TW': '備份格式 {version} 不存在' },
  unlisted: { en: 'the entry {entry} is not listed in {manifest} (was the file changed?)', 'zh-TW': '項目 {entry} 未列在 {manifest} 中（檔案是否被修改過？）' },
  missing: { en: 'the entry {entry} is missing', 'zh-TW': '缺少項目 {entry}' },
  unreadable: { en: 'the entry {entry} cannot be read ({reason})', 'zh-TW': '無法讀取項目 {entry}（{reason}）' },
  checksum: { en: 'the entry {entry} does not match its checksum (the file was changed or damaged)', 'zh-TW': '項目 {entry} 與其檢查碼不符（檔案已被修改或損壞）' },
  line_not_json: { en: '{entry} line {line} is not JSON ({reason})', 'zh-TW': '{entry} 第 {line} 行不是 JSON（{reason}）' },
  line_invalid: { en: '{entry} line {line}: {where} {problem}', 'zh-TW': '{entry} 第 {line} 行：{where} {problem}' },
  values: { en: '{entry} holds values this workspace cannot take ({reason})', 'zh-TW': '{entry} 含有此工作區無法接受的值（{reason}）' },
  unknown_sheet: { en: 'the manifest lists sheet {sheet}, which the design does not have', 'zh-TW': '資訊清單列出工作表 {sheet}，但設計中沒有它' },
  not_link: { en: '{entry} belongs to no link field of the design', 'zh-TW': '{entry} 不屬於設計中的任何連結欄位' },
  file_missing: { en: 'the bytes of file {file} ({entry}) are missing', 'zh-TW': '缺少檔案 {file} 的內容（{entry}）' },
} satisfies MessageTable;

const LEAD = { en: 'The backup file cannot be restored: ', 'zh-TW': '無法還原此備份檔：' } satisfies Record<BackupLanguage, string>;

export type BackupProblem = keyof typeof PROBLEMS;

/** A refusal of a backup file: 400 naming the file part and the problem in the reader's language; nothing is created. */
export function badBackup(language: BackupLanguage, key: BackupProblem, params: MessageParams = {}) {
  const problem = message(PROBLEMS, key, language, params);
  return badRequest(`${LEAD[language]}${problem}`, { fields: { file: problem } });
}
