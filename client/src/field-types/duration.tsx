import { useEffect, useState } from 'react';
import { DURATION_FORMATS, formatDuration, parseDuration, type DurationFormat } from '../../../schema-engine/field-types/shared/duration.js';
import type { ControlProps } from '../fields/controls.js';
import { UnparsedNumber } from '../fields/number-text.js';
import { always, EnumOption, numeric } from './shared.js';
import type { ClientFieldType, OptionsEditorProps } from './types.js';

const formatOf = (options: Record<string, unknown>) => options.format as DurationFormat | undefined;

/** Typed text → seconds, null when empty, or the text held as an UnparsedNumber (forms and cells refuse to send it). */
export function durationFromText(text: string, format: DurationFormat | undefined): number | null | UnparsedNumber {
  if (text.trim() === '') return null;
  return parseDuration(text, format) ?? new UnparsedNumber(text, 'notDuration');
}

const durationText = (value: unknown, format: DurationFormat | undefined) =>
  value instanceof UnparsedNumber ? value.text : typeof value === 'number' ? formatDuration(value, format) : '';

/** "1:30" or "1:30:15"; a plain number is minutes in h:mm and seconds in h:mm:ss (shared/duration.ts). */
function DurationInput(p: ControlProps) {
  const format = formatOf(p.field.options);
  const [text, setText] = useState(() => durationText(p.value, format));
  // A value set from outside (a reset, a saved value) replaces what is shown.
  useEffect(() => {
    const held = durationFromText(text, format);
    const same = held instanceof UnparsedNumber ? p.value instanceof UnparsedNumber && p.value.text === held.text : held === (p.value ?? null);
    if (!same) setText(durationText(p.value, format));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [p.value]);
  return (
    <input
      id={p.id}
      className="input"
      aria-invalid={p.invalid || p.value instanceof UnparsedNumber || undefined}
      autoFocus={p.autoFocus}
      placeholder={p.placeholder ?? format ?? DURATION_FORMATS[0]}
      inputMode="numeric"
      autoComplete="off"
      value={text}
      onChange={(e) => {
        setText(e.target.value);
        p.onChange(durationFromText(e.target.value, format));
      }}
    />
  );
}

const DurationOptions = (props: OptionsEditorProps) => (
  <EnumOption {...props} name="format" labelKey="schema.durationFormat" values={DURATION_FORMATS} example={(f) => formatDuration(5415, f)} />
);

export const duration: ClientFieldType = {
  id: 'duration',
  nameKey: 'designer.type.duration',
  valueKind: 'number',
  readOnly: false,
  numeric: true,
  defaultable: true,
  control: DurationInput,
  format: numeric<Record<string, unknown>>((value, options) => formatDuration(value, formatOf(options))),
  optionsEditor: DurationOptions,
  pasteText: (text, field) => {
    const read = durationFromText(text, formatOf(field.options));
    return read instanceof UnparsedNumber ? { problem: 'notDuration' } : { value: read };
  },
  copyText: (value, field) => durationText(value, formatOf(field.options)),
  sample: always(5400),
};
