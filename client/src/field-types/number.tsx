import { formatNumber, type NumberDisplay } from '../../../schema-engine/field-types/shared/display.js';
import { NumberInput } from '../fields/controls.js';
import { useI18n } from '../i18n/i18n.js';
import { always, IntegerOption, numeric } from './shared.js';
import type { ClientFieldType, OptionsEditorProps } from './types.js';

/** Decimals, and whether thousands are separated (off for years and codes: 1996, not 1,996). */
function NumberOptions(props: OptionsEditorProps) {
  const { t, locale } = useI18n();
  const { options, onChange } = props;
  const thousands = options.thousands !== false;
  return (
    <>
      <IntegerOption {...props} name="precision" labelKey="schema.precision" />
      <label className="check">
        <input
          type="checkbox"
          checked={thousands}
          onChange={(e) => {
            const { thousands: _old, ...rest } = options;
            onChange(e.target.checked ? rest : { ...rest, thousands: false });
          }}
        />{' '}
        {t('schema.thousands', { example: formatNumber(1996, { thousands: true }, locale) })}
      </label>
    </>
  );
}

export const number: ClientFieldType = {
  id: 'number',
  nameKey: 'designer.type.number',
  valueKind: 'number',
  readOnly: false,
  numeric: true,
  defaultable: true,
  control: NumberInput,
  format: numeric<NumberDisplay>(formatNumber),
  optionsEditor: NumberOptions,
  sample: always(42),
};
