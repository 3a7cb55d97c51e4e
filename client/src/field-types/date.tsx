import { DATE_FORMATS, formatDate, type DateDisplay } from '../../../schema-engine/field-types/shared/display.js';
import { DateInput } from '../fields/controls.js';
import { useI18n } from '../i18n/i18n.js';
import { EnumOption } from './shared.js';
import type { ClientFieldType, OptionsEditorProps } from './types.js';

/** The day every example of a date format shows. */
export const EXAMPLE_DAY = '2026-03-04';

/** How dates read, each format shown with an example day. */
export function DateFormatOption(props: OptionsEditorProps) {
  const { locale } = useI18n();
  return <EnumOption {...props} name="dateFormat" labelKey="schema.dateFormat" values={DATE_FORMATS} example={(v) => formatDate(EXAMPLE_DAY, { dateFormat: v }, locale)} />;
}

export const today = (now: Date) => now.toISOString().slice(0, 10);

export const date: ClientFieldType = {
  id: 'date',
  nameKey: 'designer.type.date',
  valueKind: 'date',
  readOnly: false,
  defaultable: true,
  control: DateInput,
  format: (value, options, locale) => (value === undefined || value === null ? '' : formatDate(String(value), options as DateDisplay, locale)),
  optionsEditor: DateFormatOption,
  sample: (_field, now) => today(now),
};
