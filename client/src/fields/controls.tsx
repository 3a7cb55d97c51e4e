import { useEffect, useState } from 'react';
import { useMembers } from '../api/queries.js';
import type { Choice, Field, User } from '../api/types.js';
import { useI18n } from '../i18n/i18n.js';
import { Combobox } from './Combobox.js';
import { clientType } from '../field-types/index.js';
import { CellValue } from './Cell.js';
import { shownType } from './format.js';
import { numberKind, numberText, parseNumberText, sameNumber, UnparsedNumber } from './number-text.js';

export interface ControlProps {
  field: Field;
  value: unknown;
  onChange(value: unknown): void;
  workspaceId: string;
  id: string;
  invalid: boolean;
  /** Enter/Escape handling in the grid's inline editor. */
  autoFocus?: boolean;
  /** A designed form's hint inside an empty input. */
  placeholder?: string;
  /** A designed form shows the field without letting it be changed. */
  readOnly?: boolean;
  /** A pick that completes the value (one link, a person) was made: a grid cell saves it at once. */
  onDone?: ((value: unknown) => void) | undefined;
}

const common = (p: ControlProps) => ({ id: p.id, 'aria-invalid': p.invalid || undefined, autoFocus: p.autoFocus, placeholder: p.placeholder, className: 'input' });

// Controls are function declarations: the type modules (field-types/) refer to them while this module may still be loading.
const textInput = (type: string, p: ControlProps) => <input {...common(p)} type={type} value={(p.value as string | undefined) ?? ''} onChange={(e) => p.onChange(e.target.value)} />;
export function TextInput(p: ControlProps) {
  return textInput('text', p);
}
export function EmailInput(p: ControlProps) {
  return textInput('email', p);
}
export function PhoneInput(p: ControlProps) {
  return textInput('tel', p);
}
export function UrlInput(p: ControlProps) {
  return textInput('url', p);
}

export function LongText(p: ControlProps) {
  return <textarea {...common(p)} rows={4} value={(p.value as string | undefined) ?? ''} onChange={(e) => p.onChange(e.target.value)} />;
}

/**
 * Numbers are typed as text and sent as numbers (number-text.ts reads "1,234.5", full-width digits, "$5", "25%"); text
 * that is no number stays as typed and is handed up as an UnparsedNumber, which forms and cells refuse to send and
 * explain. A percent is typed as 25 for 25 %.
 */
export function NumberInput(p: ControlProps) {
  const kind = numberKind(shownType(p.field).type) ?? 'number';
  const [text, setText] = useState(() => numberText(p.value, kind));
  const parse = (raw: string) => parseNumberText(raw, { kind, currency: p.field.options.currency as string | undefined });
  // A value set from outside (a reset, "use theirs", a saved and rounded value) replaces what is shown.
  useEffect(() => {
    if (!sameNumber(parse(text), p.value)) setText(numberText(p.value, kind));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [p.value]);
  const affix = p.field.type === 'currency' ? String(p.field.options.currency ?? '') : kind === 'percent' ? '%' : '';
  return (
    <span className="affixed">
      <input
        {...common(p)}
        aria-invalid={p.invalid || p.value instanceof UnparsedNumber || undefined}
        inputMode="decimal"
        autoComplete="off"
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          p.onChange(parse(e.target.value));
        }}
      />
      {affix && <span className="affix">{affix}</span>}
    </span>
  );
}

export function DateInput(p: ControlProps) {
  return <input {...common(p)} type="date" value={(p.value as string | undefined) ?? ''} onChange={(e) => p.onChange(e.target.value || null)} />;
}

/** Entered and shown in UTC, as the API stores it. */
export function DatetimeInput(p: ControlProps) {
  const local = typeof p.value === 'string' ? p.value.slice(0, 16) : '';
  return <input {...common(p)} type="datetime-local" value={local} onChange={(e) => p.onChange(e.target.value ? `${e.target.value}:00.000Z` : null)} />;
}

export function Checkbox(p: ControlProps) {
  return <input id={p.id} type="checkbox" className="checkbox" checked={p.value === true} onChange={(e) => p.onChange(e.target.checked)} />;
}

export function SingleSelect(p: ControlProps) {
  const choices = (p.field.options.choices as Choice[]) ?? [];
  // Tinted in the chosen choice's colour, as its chip is in cells and cards.
  const color = choices.find((c) => c.name === p.value)?.color;
  return (
    <select {...common(p)} className={color ? `input chip-${color}` : 'input'} value={(p.value as string | undefined) ?? ''} onChange={(e) => p.onChange(e.target.value || null)}>
      <option value="">—</option>
      {choices.map((c) => (
        <option key={c.id} value={c.name}>
          {c.name}
        </option>
      ))}
    </select>
  );
}

export function MultiSelect(p: ControlProps) {
  const choices = (p.field.options.choices as Choice[]) ?? [];
  const selected = new Set((p.value as string[] | undefined) ?? []);
  return (
    <span className="chips" id={p.id} role="group">
      {choices.map((c) => (
        <button
          type="button"
          key={c.id}
          aria-pressed={selected.has(c.name)}
          className={`chip chip-${c.color} ${selected.has(c.name) ? '' : 'chip-off'}`}
          onClick={() => {
            const next = new Set(selected);
            if (next.has(c.name)) next.delete(c.name);
            else next.add(c.name);
            p.onChange(choices.filter((x) => next.has(x.name)).map((x) => x.name));
          }}
        >
          {c.name}
        </button>
      ))}
    </span>
  );
}

export function Rating(p: ControlProps) {
  const max = (p.field.options.max as number | undefined) ?? 5;
  const value = (p.value as number | undefined) ?? 0;
  return (
    <span className="rating" id={p.id} role="radiogroup">
      {Array.from({ length: max }, (_, i) => (
        <button type="button" key={i} role="radio" aria-checked={value === i + 1} aria-label={`${i + 1}`} onClick={() => p.onChange(value === i + 1 ? null : i + 1)}>
          {i < value ? '★' : '☆'}
        </button>
      ))}
    </span>
  );
}

/** A workspace member, found by typing part of a name or email; the value is the member ({id, name, email}). */
export function UserPicker(p: ControlProps) {
  const { t } = useI18n();
  const members = useMembers(p.workspaceId).data ?? [];
  const current = p.value && typeof p.value === 'object' ? (p.value as User) : (members.find((m) => m.id === p.value) ?? null);
  // What is typed while searching; otherwise the input shows the chosen person.
  const [typed, setTyped] = useState<string | null>(null);
  const query = (typed ?? '').trim().toLowerCase();
  const found = members.filter((m) => m.active !== false && (!query || m.name.toLowerCase().includes(query) || m.email.toLowerCase().includes(query)));
  const choices = [...(current && !query ? [{ key: '', label: t('user.nobody') }] : []), ...found.map((m) => ({ key: m.id, label: `${m.name} (${m.email})` }))];
  return (
    <Combobox
      id={p.id}
      label={p.field.name}
      placeholder={p.placeholder ?? t('user.search')}
      invalid={p.invalid}
      autoFocus={p.autoFocus}
      text={typed ?? current?.name ?? ''}
      onText={setTyped}
      choices={choices}
      emptyText={t('grid.empty')}
      openOnFocus
      onClose={() => setTyped(null)}
      onPick={(c) => {
        setTyped(null);
        const m = members.find((x) => x.id === c.key);
        const next = m ? { id: m.id, name: m.name, email: m.email } : null;
        p.onChange(next);
        p.onDone?.(next);
      }}
    />
  );
}

export function ReadOnly(p: ControlProps) {
  return (
    <span className="readonly" id={p.id}>
      <CellValue field={p.field} value={p.value} />
    </span>
  );
}

export function FieldControl(props: ControlProps) {
  const Control = props.readOnly ? ReadOnly : clientType(props.field.type).control;
  return <Control {...props} />;
}

/** A value as the API takes it back: links and files as ids, users as ids. */
export function toInput(field: Field, value: unknown): unknown {
  if (value === undefined) return null;
  const module = clientType(field.type);
  return module.toValueInput ? module.toValueInput(value) : value;
}
