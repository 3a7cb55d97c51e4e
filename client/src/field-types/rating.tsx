import { Rating } from '../fields/controls.js';
import { always, IntegerOption } from './shared.js';
import type { ClientFieldType, OptionsEditorProps } from './types.js';

const RatingOptions = (props: OptionsEditorProps) => <IntegerOption {...props} name="max" labelKey="schema.ratingMax" min={1} max={10} />;

export const rating: ClientFieldType = {
  id: 'rating',
  nameKey: 'designer.type.rating',
  valueKind: 'number',
  readOnly: false,
  numeric: true,
  defaultable: true,
  control: Rating,
  format: (value, options) => {
    if (typeof value !== 'number' || !Number.isFinite(value)) return typeof value === 'string' ? value : '';
    const max = (options.max as number | undefined) ?? 5;
    return '★'.repeat(value) + '☆'.repeat(Math.max(0, max - value));
  },
  optionsEditor: RatingOptions,
  sample: always(3),
};
