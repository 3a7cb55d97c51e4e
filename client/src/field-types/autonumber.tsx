import { ReadOnly } from '../fields/controls.js';
import { useI18n } from '../i18n/i18n.js';
import { asText } from './shared.js';
import type { ClientFieldType, OptionsEditorProps } from './types.js';

function AutonumberOptions({ options, onChange }: OptionsEditorProps) {
  const { t } = useI18n();
  return (
    <label>
      {t('schema.prefix')}
      <input
        className="input"
        value={String(options.prefix ?? '')}
        onChange={(e) => {
          const { prefix: _old, ...rest } = options;
          onChange(e.target.value ? { ...rest, prefix: e.target.value } : rest);
        }}
      />
    </label>
  );
}

export const autonumber: ClientFieldType = {
  id: 'autonumber',
  nameKey: 'designer.type.autonumber',
  valueKind: 'autonumber',
  readOnly: true,
  control: ReadOnly,
  format: asText,
  optionsEditor: AutonumberOptions,
  sample: () => null,
};
