import { CLOCKS, formatDatetime, type DatetimeDisplay } from '../../../schema-engine/field-types/shared/display.js';
import { DatetimeInput } from '../fields/controls.js';
import { useI18n } from '../i18n/i18n.js';
import { DateFormatOption, EXAMPLE_DAY, today } from './date.js';
import { EnumOption } from './shared.js';
import type { ClientFieldType, OptionsEditorProps } from './types.js';

/** A date-time as text: dates in UTC, as stored (the record page and the grid agree). */
export const formatInstant = (value: unknown, options: Record<string, unknown>, locale: string) =>
  value === undefined || value === null ? '' : formatDatetime(String(value), options as DatetimeDisplay, locale);

function DatetimeOptions(props: OptionsEditorProps) {
  const { locale } = useI18n();
  return (
    <>
      <DateFormatOption {...props} />
      <EnumOption {...props} name="clock" labelKey="schema.clock" values={CLOCKS} example={(v) => formatDatetime(`${EXAMPLE_DAY}T15:30:00Z`, { clock: v }, locale)} />
    </>
  );
}

export const datetime: ClientFieldType = {
  id: 'datetime',
  nameKey: 'designer.type.datetime',
  valueKind: 'datetime',
  readOnly: false,
  defaultable: true,
  control: DatetimeInput,
  format: formatInstant,
  optionsEditor: DatetimeOptions,
  sample: (_field, now) => `${today(now)}T09:00:00.000Z`,
};
