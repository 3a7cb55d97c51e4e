import { formatPercent } from '../../../schema-engine/field-types/shared/display.js';
import { NumberInput } from '../fields/controls.js';
import { always, IntegerOption, numeric } from './shared.js';
import type { ClientFieldType, OptionsEditorProps } from './types.js';

const PercentOptions = (props: OptionsEditorProps) => <IntegerOption {...props} name="precision" labelKey="schema.precision" />;

export const percent: ClientFieldType = {
  id: 'percent',
  nameKey: 'designer.type.percent',
  valueKind: 'number',
  readOnly: false,
  numeric: true,
  defaultable: true,
  control: NumberInput,
  format: numeric<{ precision?: number }>(formatPercent),
  optionsEditor: PercentOptions,
  sample: always(0.25),
};
