import type { FieldTypeId } from '../../../schema-engine/field-types/type-ids.js';
import type { Field } from '../api/types.js';
import { useI18n } from '../i18n/i18n.js';
import { FieldTypeSelect } from '../schema/FieldTypeSelect.js';
import type { ColumnPreview } from './api.js';
import { ErrorText } from './ErrorText.js';
import { columnOf, type Shown } from './errors.js';
import { NEW_FIELD_TYPES, withType, type ColumnDraft } from './mapping-draft.js';

const SKIP = ':skip';
const NEW = ':new';

interface MappingTableProps {
  columns: readonly ColumnPreview[];
  drafts: Record<string, ColumnDraft>;
  /** Fields of the target sheet a column may fill (none for a new sheet). */
  fields: readonly Field[];
  /** Whether new fields may be made (the design permission). */
  canDesign: boolean;
  /** Refusals by place (`mapping.<column>…`): each is shown in its column's row. */
  errors: Record<string, Shown>;
  onChange(column: string, draft: ColumnDraft): void;
}

/** One row per column of the file: its sample values, and the field it fills, a new field, or skip. */
export function MappingTable({ columns, drafts, fields, canDesign, errors, onChange }: MappingTableProps) {
  const { t } = useI18n();
  const names = columns.map((c) => c.name);
  return (
    <ul className="import-mapping">
      {columns.map((column) => {
        const draft = drafts[column.name] ?? { kind: 'skip' };
        const choose = (value: string) => {
          if (value === SKIP) onChange(column.name, { kind: 'skip' });
          else if (value === NEW) onChange(column.name, withType({ kind: 'new', name: column.name, type: 'text', choices: '', options: {} }, NEW_FIELD_TYPES.includes(column.type as FieldTypeId) ? (column.type as FieldTypeId) : 'text', column));
          else onChange(column.name, { kind: 'field', field: value });
        };
        const selected = draft.kind === 'skip' ? SKIP : draft.kind === 'new' ? NEW : (fields.find((f) => f.name === draft.field || f.id === draft.field)?.name ?? draft.field);
        const mine = Object.entries(errors).filter(([where]) => columnOf(where, names) === column.name);
        const nameError = mine.find(([where]) => where.endsWith('.new.name'))?.[1];
        const others = mine.filter(([where]) => !where.endsWith('.new.name'));
        return (
          <li key={column.name} className={`import-column card${draft.kind === 'skip' ? ' skipped' : ''}${mine.length ? ' invalid' : ''}`} data-column={column.name}>
            <div className="import-column-source">
              <strong>{column.name}</strong>
              <span className="hint">{column.samples.slice(0, 3).join(' · ') || t('imports.noValues')}</span>
            </div>
            <span className="import-arrow" aria-hidden="true">
              →
            </span>
            <div className="import-column-target">
              <select className="input" aria-label={t('imports.targetOf', { column: column.name })} value={selected} onChange={(e) => choose(e.target.value)}>
                <option value={SKIP}>{t('imports.skip')}</option>
                {canDesign && <option value={NEW}>{t('imports.newField')}</option>}
                {fields.length > 0 && (
                  <optgroup label={t('imports.existingFields')}>
                    {fields.map((f) => (
                      <option key={f.id} value={f.name}>
                        {f.name}
                      </option>
                    ))}
                  </optgroup>
                )}
              </select>
              {draft.kind === 'new' && (
                <div className="import-new-field">
                  <input
                    className="input"
                    aria-label={t('imports.newFieldName', { column: column.name })}
                    value={draft.name}
                    onChange={(e) => onChange(column.name, { ...draft, name: e.target.value })}
                    aria-invalid={nameError ? true : undefined}
                  />
                  <FieldTypeSelect label={t('imports.newFieldType', { column: column.name })} value={draft.type} types={NEW_FIELD_TYPES} onChange={(type) => onChange(column.name, withType(draft, type as FieldTypeId, column))} />
                  {(draft.type === 'single_select' || draft.type === 'multi_select') && (
                    <label className="import-choices">
                      {t('schema.choices')}
                      <textarea className="input" rows={3} value={draft.choices} onChange={(e) => onChange(column.name, { ...draft, choices: e.target.value })} />
                    </label>
                  )}
                  <ErrorText shown={nameError} />
                </div>
              )}
              {others.map(([where, shown]) => (
                <ErrorText key={where} shown={shown} />
              ))}
            </div>
          </li>
        );
      })}
    </ul>
  );
}
