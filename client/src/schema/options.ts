import type { Choice, Field } from '../api/types.js';

/** The field options a dialog edits, as plain form values; `toOptions` turns them into the API's options. */
export interface OptionDraft {
  choices: string;
  currency: string;
  precision: string;
  max: string;
  prefix: string;
  sheet: string;
  relationship: string;
  link: string;
  field: string;
  fn: string;
  expression: string;
  /** Copy on pick: the link, the linked sheet's field and when to copy again ("" = no copy). */
  copyLink: string;
  copyField: string;
  copyAgain: string;
}

/** Types whose value can be copied from a linked record when the link is picked (the server's copy-from.ts). */
export const COPYABLE_TYPES: ReadonlySet<string> = new Set(['text', 'long_text', 'email', 'phone', 'url', 'number', 'currency', 'percent', 'date', 'datetime', 'checkbox']);

export interface CopyFromOption {
  link: string;
  field: string;
  again: 'never' | 'on_change';
}

export const copyFromOf = (field: Field): CopyFromOption | undefined => (field.options as { copyFrom?: CopyFromOption } | undefined)?.copyFrom;

export function draftOf(field?: Field): OptionDraft {
  const o = (field?.options ?? {}) as Record<string, unknown>;
  return {
    choices: ((o.choices as Choice[] | undefined) ?? []).map((c) => c.name).join('\n'),
    currency: String(o.currency ?? 'USD'),
    precision: o.precision === undefined ? '' : String(o.precision),
    max: o.max === undefined ? '' : String(o.max),
    prefix: String(o.prefix ?? ''),
    sheet: String(o.sheet ?? ''),
    relationship: String(o.relationship ?? 'many_to_one'),
    link: String(o.link ?? ''),
    field: String(o.field ?? ''),
    fn: String(o.fn ?? 'sum'),
    expression: String(o.expression ?? ''),
    copyLink: String((o.copyFrom as CopyFromOption | undefined)?.link ?? ''),
    copyField: String((o.copyFrom as CopyFromOption | undefined)?.field ?? ''),
    copyAgain: String((o.copyFrom as CopyFromOption | undefined)?.again ?? 'never'),
  };
}

const int = (text: string) => (text.trim() === '' ? undefined : Number(text));

/**
 * Options for a type from the dialog. Select choices keep their ids by name (the server matches names), so renaming
 * in place is done by the server's choice ids; new lines become new choices.
 */
export function toOptions(type: string, d: OptionDraft, existing?: Field): Record<string, unknown> | undefined {
  const options = typeOptions(type, d, existing);
  if (!COPYABLE_TYPES.has(type)) return options;
  if (d.copyLink && d.copyField) return { ...options, copyFrom: { link: d.copyLink, field: d.copyField, again: d.copyAgain === 'on_change' ? 'on_change' : 'never' } };
  // Options are replaced as a whole: a field that copied and no longer does sends its options without copyFrom.
  return options ?? (existing && copyFromOf(existing) ? {} : undefined);
}

function typeOptions(type: string, d: OptionDraft, existing?: Field): Record<string, unknown> | undefined {
  switch (type) {
    case 'single_select':
    case 'multi_select': {
      const old = (existing?.options.choices as Choice[] | undefined) ?? [];
      const names = [...new Set(d.choices.split('\n').map((n) => n.trim()).filter(Boolean))];
      return { choices: names.map((name) => old.find((c) => c.name === name) ?? { name }) };
    }
    case 'currency':
      return { currency: d.currency.trim().toUpperCase() || 'USD', ...(int(d.precision) !== undefined ? { precision: int(d.precision) } : {}) };
    case 'number':
    case 'percent':
      return int(d.precision) !== undefined ? { precision: int(d.precision) } : {};
    case 'rating':
      return int(d.max) !== undefined ? { max: int(d.max) } : {};
    case 'autonumber':
      return d.prefix ? { prefix: d.prefix } : {};
    case 'link':
      return existing ? { relationship: d.relationship } : { sheet: d.sheet, relationship: d.relationship };
    case 'lookup':
      return { link: d.link, field: d.field };
    case 'rollup':
      return { link: d.link, field: d.field, fn: d.fn };
    case 'formula':
      return { expression: d.expression };
    default:
      return undefined;
  }
}
