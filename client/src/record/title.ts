import type { RecordJson, Sheet } from '../api/types.js';
import { formatValue } from '../fields/format.js';

/** What names a record for people: its primary field's value as shown, else its id. */
export function recordTitle(sheet: Sheet, record: RecordJson, locale: string): string {
  const primary = sheet.fields.find((f) => f.id === sheet.primaryFieldId);
  return (primary ? formatValue(primary, record.fields[primary.name], locale) : '') || record.id;
}
