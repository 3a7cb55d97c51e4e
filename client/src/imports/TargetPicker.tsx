import type { Sheet } from '../api/types.js';
import { useI18n } from '../i18n/i18n.js';
import { ErrorText } from './ErrorText.js';
import type { Shown } from './errors.js';

export type Target = { kind: 'sheet'; sheet: string } | { kind: 'new'; name: string };

interface TargetPickerProps {
  target: Target;
  /** Sheets the user may add records to. */
  sheets: readonly Sheet[];
  canDesign: boolean;
  errors: Record<string, Shown>;
  onChange(target: Target): void;
  /** The name a new sheet starts with (the file's). */
  suggestedName: string;
}

/** "Import into": an existing sheet, or a new one by name (for those who may design). */
export function TargetPicker({ target, sheets, canDesign, errors, onChange, suggestedName }: TargetPickerProps) {
  const { t } = useI18n();
  return (
    <fieldset className="import-target">
      <legend>{t('imports.into')}</legend>
      {sheets.length > 0 && (
        <label className="check">
          <input type="radio" name="import-target" checked={target.kind === 'sheet'} onChange={() => onChange({ kind: 'sheet', sheet: sheets[0]!.id })} />
          {t('imports.existingSheet')}
        </label>
      )}
      {target.kind === 'sheet' && (
        <select className="input" aria-label={t('imports.sheet')} value={target.sheet} onChange={(e) => onChange({ kind: 'sheet', sheet: e.target.value })}>
          {sheets.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </select>
      )}
      {canDesign && (
        <label className="check">
          <input type="radio" name="import-target" checked={target.kind === 'new'} onChange={() => onChange({ kind: 'new', name: suggestedName })} />
          {t('imports.newSheet')}
        </label>
      )}
      {target.kind === 'new' && (
        <input className="input" aria-label={t('imports.newSheetName')} value={target.name} onChange={(e) => onChange({ kind: 'new', name: e.target.value })} aria-invalid={errors.newSheet ? true : undefined} required />
      )}
      <ErrorText shown={errors.sheet ?? errors.newSheet} />
    </fieldset>
  );
}
