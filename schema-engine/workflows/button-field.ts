import { readableSheet, refusePreview } from '../access/guard.js';
import type { Access } from '../access/model.js';
import { getSheetRecord, requireRecordUpdate } from '../access/records.js';
import { findField } from '../catalog/resolve.js';
import type { Engine } from '../engine.js';
import { notFound } from '../errors.js';
import { buttonUrl, type ButtonOptions } from '../field-types/button.js';
import { pressButton } from './manual.js';

/**
 * A `button` field pressed on a record: runs its workflow (`{runId}`) or answers its URL filled in from the record
 * (`{url}`). The presser must be able to change the record (a viewer's press is refused), and a field they cannot
 * read does not exist for them.
 */
export async function pressButtonField(engine: Engine, access: Access, sheetRef: string, recordId: string, fieldRef: string): Promise<{ runId: string } | { url: string }> {
  refusePreview(access);
  const { sheet } = readableSheet(access, sheetRef);
  const field = findField(sheet, fieldRef);
  if (!field || field.type !== 'button') throw notFound(`Button field "${fieldRef}" of sheet "${sheet.name}"`);
  const options = field.options as ButtonOptions;
  if (options.workflow !== undefined) return pressButton(engine, access, sheet.id, recordId, options.workflow);
  await requireRecordUpdate(engine, access, sheet.id, recordId);
  const record = await getSheetRecord(engine, access, sheet.id, recordId);
  return { url: buttonUrl(options, sheet.fields, record) };
}
