import { formatCurrency, type CurrencyDisplay } from '../../../schema-engine/field-types/shared/display.js';
import { NumberInput } from '../fields/controls.js';
import { useI18n } from '../i18n/i18n.js';
import { always, IntegerOption, numeric } from './shared.js';
import type { ClientFieldType, OptionsEditorProps } from './types.js';

const CODES = Intl.supportedValuesOf('currency');

/** An ISO 4217 code, each offered with its name in the user's language, and the decimals shown. */
function CurrencyOptions(props: OptionsEditorProps) {
  const { t, locale } = useI18n();
  const { options, onChange } = props;
  const names = new Intl.DisplayNames([locale], { type: 'currency' });
  const code = String(options.currency ?? 'USD');
  return (
    <>
      <label>
        {t('schema.currency')}
        <select className="input" value={code} onChange={(e) => onChange({ ...options, currency: e.target.value })}>
          {(CODES.includes(code) ? CODES : [code, ...CODES]).map((c) => (
            <option key={c} value={c}>
              {c} — {names.of(c) ?? c}
            </option>
          ))}
        </select>
      </label>
      <IntegerOption {...props} name="precision" labelKey="schema.precision" />
    </>
  );
}

export const currency: ClientFieldType = {
  id: 'currency',
  nameKey: 'designer.type.currency',
  valueKind: 'number',
  readOnly: false,
  numeric: true,
  defaultable: true,
  control: NumberInput,
  format: numeric<CurrencyDisplay>((value, o, locale) => formatCurrency(value, { ...o, currency: o.currency ?? 'USD' }, locale)),
  optionsEditor: CurrencyOptions,
  initialOptions: () => ({ currency: 'USD' }),
  sample: always(1200),
};
