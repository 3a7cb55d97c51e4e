import { HELPER_EXAMPLES, loopExpression, valueExpression, type ShownField } from '../../../schema-engine/documents/snippets.js';
import { useSheets } from '../api/queries.js';
import type { Field, Sheet } from '../api/types.js';
import { useI18n } from '../i18n/i18n.js';

/** Handlebars snippets the palette inserts besides the fields (shown by a label, the snippet as the tooltip). */
const RECORD_TITLE = '{{record.title}}';
const NOW = '{{date now "long"}}';
const SYSTEM = new Set(['created_time', 'updated_time', 'created_by', 'updated_by']);

/** A field as a template shows it: a computed field by its result type, a lookup or link as a list. */
const shown = (field: Field): ShownField => ({
  name: field.name,
  type: field.result?.type ?? field.type,
  options: field.result?.options ?? field.options,
  list: field.type === 'link' || field.result?.list === true,
});

/** The sheet's fields (and its links' fields) to insert at the cursor, and the helpers with an example each. */
export function FieldsPalette({ ws, sheet, onInsert }: { ws: string; sheet: Sheet; onInsert(snippet: string): void }) {
  const { t } = useI18n();
  const sheets = useSheets(ws).data ?? [];
  return (
    <details className="documents-palette" open>
      <summary>{t('documents.fields')}</summary>
      <div className="documents-chips">
        {sheet.fields.map((field) => {
          if (field.type !== 'link') {
            const snippet = valueExpression(shown(field));
            return (
              <button key={field.id} type="button" className="chip" title={snippet} onClick={() => onInsert(snippet)}>
                {field.name}
              </button>
            );
          }
          const target = sheets.find((s) => s.id === field.options.sheet);
          const columns = (target?.fields ?? []).filter((f) => f.id !== field.options.inverseField && !SYSTEM.has(f.type)).slice(0, 6).map(shown);
          return (
            <button key={field.id} type="button" className="chip chip-link" title={t('documents.loopHint')} onClick={() => onInsert(loopExpression(field.name, columns))}>
              {field.name} ⟳
            </button>
          );
        })}
        <button type="button" className="chip" title={RECORD_TITLE} onClick={() => onInsert(RECORD_TITLE)}>
          {t('documents.chip.title')}
        </button>
        <button type="button" className="chip" title={NOW} onClick={() => onInsert(NOW)}>
          {t('documents.chip.now')}
        </button>
      </div>
      <p className="hint">{t('documents.helpersHint')}</p>
      <ul className="documents-helpers mono">
        {HELPER_EXAMPLES.map((example) => (
          <li key={example}>{example}</li>
        ))}
      </ul>
    </details>
  );
}
