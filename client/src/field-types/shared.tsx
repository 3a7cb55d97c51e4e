import type { Choice } from '../api/types.js';
import type { MessageKey } from '../i18n/en.js';
import { useI18n } from '../i18n/i18n.js';
import type { CellProps, OptionsEditorProps } from './types.js';

/** A value as its own text (text-like types, and what has no better form). */
export const asText = (value: unknown): string => (value === undefined || value === null ? '' : String(value));

/** A number that is not one (text a form still holds) is shown as it is, never formatted into "NaN". */
export const numeric =
  <O,>(format: (value: number, options: O, locale: string) => string) =>
  (value: unknown, options: Record<string, unknown>, locale: string): string => {
    if (typeof value !== 'number' || !Number.isFinite(value)) return typeof value === 'string' ? value : '';
    return format(value, options as O, locale);
  };

/** A design-time sample value that is the same for every field of a type. */
export const always = (value: unknown) => () => value;

export const CHOICE_COLORS = ['blue', 'green', 'yellow', 'orange', 'red', 'purple', 'pink', 'cyan', 'teal', 'gray'] as const;

export function ChoiceChip({ name, choices }: { name: string; choices: readonly Choice[] }) {
  const color = choices.find((c) => c.name === name)?.color ?? 'gray';
  return <span className={`chip chip-${color}`}>{name}</span>;
}

/** Choice names as chips in their choices' colours (one choice, several, or a lookup's list of them). */
export function ChoicesCell({ value, options }: CellProps) {
  const choices = (options.choices as Choice[] | undefined) ?? [];
  const names = (Array.isArray(value) ? value.flat() : [value]) as string[];
  return (
    <span className="chips">
      {names.map((n, i) => (
        <ChoiceChip key={`${n}-${i}`} name={n} choices={choices} />
      ))}
    </span>
  );
}

/** A whole number option typed as text (decimals, a rating's maximum): empty leaves it to the server's default. */
export function IntegerOption({ options, onChange, name, labelKey, min = 0, max = 8 }: OptionsEditorProps & { name: string; labelKey: MessageKey; min?: number; max?: number }) {
  const { t } = useI18n();
  const value = options[name];
  return (
    <label>
      {t(labelKey)}
      <input
        className="input"
        type="number"
        min={min}
        max={max}
        inputMode="numeric"
        value={value === undefined ? '' : String(value)}
        onChange={(e) => {
          const { [name]: _old, ...rest } = options;
          onChange(e.target.value.trim() === '' ? rest : { ...rest, [name]: Number(e.target.value) });
        }}
      />
    </label>
  );
}

/** A choice among fixed values, each with its i18n label (`<prefix>.<value>`) and an example of what it does. */
export function EnumOption<V extends string>({ options, onChange, name, labelKey, values, example }: OptionsEditorProps & { name: string; labelKey: MessageKey; values: readonly V[]; example?(value: V): string }) {
  const { t } = useI18n();
  return (
    <label>
      {t(labelKey)}
      <select className="input" value={String(options[name] ?? values[0])} onChange={(e) => onChange({ ...options, [name]: e.target.value })}>
        {values.map((v) => (
          <option key={v} value={v}>
            {t(`${labelKey}.${v}` as MessageKey)}
            {example ? ` — ${example(v)}` : ''}
          </option>
        ))}
      </select>
    </label>
  );
}

interface NamedSelectProps {
  label: string;
  value: string;
  onChange(value: string): void;
  /** Fields or sheets, offered by name. */
  items: readonly { id: string; name: string }[];
  /** The text of the empty choice (none by default). */
  emptyLabel?: string;
  required?: boolean;
}

/** A labelled picker of fields or sheets by name, with an empty first choice. */
export function NamedSelect({ label, value, onChange, items, emptyLabel = '', required }: NamedSelectProps) {
  return (
    <label>
      {label}
      <select className="input" value={value} onChange={(e) => onChange(e.target.value)} required={required}>
        <option value="">{emptyLabel}</option>
        {items.map((item) => (
          <option key={item.id} value={item.id}>
            {item.name}
          </option>
        ))}
      </select>
    </label>
  );
}

/** The link fields of the sheet, and the sheet one of them links to. */
export function linksOf({ sheet, sheets }: Pick<OptionsEditorProps, 'sheet' | 'sheets'>) {
  const links = sheet.fields.filter((f) => f.type === 'link');
  const linkedSheet = (linkId: unknown) => sheets.find((s) => s.id === links.find((f) => f.id === linkId)?.options.sheet);
  return { links, linkedSheet };
}

/** The link and the linked sheet's field a lookup or rollup reads. */
export function ThroughLink(props: OptionsEditorProps) {
  const { t } = useI18n();
  const { options, onChange } = props;
  const { links, linkedSheet } = linksOf(props);
  return (
    <>
      <NamedSelect label={t('schema.through')} value={String(options.link ?? '')} onChange={(link) => onChange({ ...options, link })} items={links} required />
      <NamedSelect label={t('schema.readField')} value={String(options.field ?? '')} onChange={(field) => onChange({ ...options, field })} items={linkedSheet(options.link)?.fields ?? []} required />
    </>
  );
}
