import type { LinkRef } from '../api/types.js';
import { LinkPicker } from '../fields/LinkPicker.js';
import { useI18n } from '../i18n/i18n.js';
import { NamedSelect } from './shared.js';
import type { CellProps, ClientFieldType, OptionsEditorProps } from './types.js';

const RELATIONSHIPS = ['many_to_one', 'one_to_many', 'one_to_one', 'many_to_many'];

/** Linked records as chips; each opens its record when the view can. */
function LinksCell({ value, onOpenLink }: CellProps) {
  return (
    <span className="chips">
      {(value as LinkRef[]).map((link) =>
        onOpenLink ? (
          <button type="button" key={link.id} className="chip chip-link" onClick={() => onOpenLink(link)}>
            {link.title || link.id}
          </button>
        ) : (
          <span key={link.id} className="chip chip-link">
            {link.title || link.id}
          </span>
        ),
      )}
    </span>
  );
}

/** The sheet linked to (chosen once: a link cannot be moved to another sheet) and how many records each side holds. */
function LinkOptions({ options, onChange, sheets, field }: OptionsEditorProps) {
  const { t } = useI18n();
  return (
    <>
      {!field && <NamedSelect label={t('schema.linkTo')} value={String(options.sheet ?? '')} onChange={(sheet) => onChange({ ...options, sheet })} items={sheets} required />}
      <label>
        {t('schema.relationship')}
        <select className="input" value={String(options.relationship ?? 'many_to_one')} onChange={(e) => onChange({ ...options, relationship: e.target.value })}>
          {RELATIONSHIPS.map((r) => (
            <option key={r} value={r}>
              {r.replace(/_/g, ' ')}
            </option>
          ))}
        </select>
      </label>
    </>
  );
}

export const link: ClientFieldType = {
  id: 'link',
  nameKey: 'designer.type.link',
  valueKind: 'link',
  readOnly: false,
  control: LinkPicker,
  format: (value) => (Array.isArray(value) ? (value as LinkRef[]).map((l) => l.title).join(', ') : ''),
  cell: LinksCell,
  optionsEditor: LinkOptions,
  initialOptions: () => ({ relationship: 'many_to_one' }),
  // A changed link keeps its sheet: only the relationship is sent.
  toInput: (o, existing) => (existing ? { relationship: o.relationship } : { sheet: o.sheet, relationship: o.relationship }),
  listCell: true,
  // A new linked record written inside the value ({fields}) is created with the record (a nested write).
  toValueInput: (value) => ((value as (string | { id: string } | { fields: unknown })[] | null) ?? []).map((v) => (typeof v === 'string' ? v : 'fields' in v ? { fields: v.fields } : v.id)),
  sample: () => null,
};
