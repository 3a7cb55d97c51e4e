import { ReadOnly } from '../fields/controls.js';
import { useI18n } from '../i18n/i18n.js';
import { asText, ThroughLink } from './shared.js';
import type { ClientFieldType, OptionsEditorProps } from './types.js';

const FUNCTIONS = ['sum', 'avg', 'min', 'max', 'count', 'count_all', 'concat'];

function RollupOptions(props: OptionsEditorProps) {
  const { t } = useI18n();
  const { options, onChange } = props;
  return (
    <>
      <ThroughLink {...props} />
      <label>
        {t('schema.function')}
        <select className="input" value={String(options.fn ?? 'sum')} onChange={(e) => onChange({ ...options, fn: e.target.value })}>
          {FUNCTIONS.map((fn) => (
            <option key={fn}>{fn}</option>
          ))}
        </select>
      </label>
    </>
  );
}

/** A rollup reads and formats as its result type (fields/format.ts). */
export const rollup: ClientFieldType = {
  id: 'rollup',
  nameKey: 'designer.type.rollup',
  valueKind: 'number',
  readOnly: true,
  control: ReadOnly,
  format: asText,
  optionsEditor: RollupOptions,
  initialOptions: () => ({ fn: 'sum' }),
  sample: () => null,
};
