import { useLocation } from 'wouter';
import { placedElements } from '../../../schema-engine/forms/walk.js';
import type { RecordJson, Sheet } from '../api/types.js';
import { clientType } from '../field-types/index.js';
import { CellValue } from '../fields/Cell.js';
import { useSheetForm } from '../form-layout/use-sheet-form.js';
import { useI18n } from '../i18n/i18n.js';

/**
 * The record's values the sheet's designed form leaves out (a field added later, a template's conversion links), so
 * the record page still shows every field; linked records are chips that open them. Nothing when all are on the form.
 */
export function OtherFields({ ws, sheet, record }: { ws: string; sheet: Sheet; record: RecordJson }) {
  const { t } = useI18n();
  const [, navigate] = useLocation();
  const layout = useSheetForm(ws, sheet.id).data?.layout;
  if (!layout) return null;
  const placed = new Set(placedElements(layout).flatMap(({ element }) => ('field' in element ? [element.field] : [])));
  const other = sheet.fields.filter((f) => !placed.has(f.id) && (record.fields[f.name] !== undefined || clientType(f.type).valueless));
  if (!other.length) return null;
  return (
    <section className="other-fields" aria-labelledby="other-fields">
      <h2 id="other-fields">{t('record.otherFields')}</h2>
      <dl>
        {other.map((field) => (
          <div key={field.id}>
            <dt>{field.name}</dt>
            <dd>
              <CellValue field={field} value={record.fields[field.name]} onOpenLink={field.type === 'link' ? (link) => navigate(`/w/${ws}/s/${String(field.options.sheet)}/r/${link.id}`) : undefined} />
            </dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
