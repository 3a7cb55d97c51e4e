import { useEffect, useState } from 'react';
import type { Choice, Field } from '../api/types.js';
import { numberText, parseNumberText, sameNumber } from '../fields/number-text.js';
import { useI18n } from '../i18n/i18n.js';
import { operatorsFor, UNARY, type Condition, type Group } from './filter-logic.js';

/** Operators written as symbols; the others are words of the catalogue (`filter.op.<op>`). */
const OP_SYMBOLS: Record<string, string> = { '==': '=', '!=': '≠', '<': '<', '<=': '≤', '>': '>', '>=': '≥' };
const OP_WORDS = { contains: 'filter.op.contains', starts_with: 'filter.op.starts_with', in: 'filter.op.in', is_empty: 'filter.op.is_empty', is_not_empty: 'filter.op.is_not_empty' } as const;

interface Props {
  fields: Field[];
  group: Group;
  onChange(group: Group): void;
  depth?: number;
  /** Offered as a value of user fields: the label of `{"var": "$user"}`, the user the condition is checked for (roles' row conditions). */
  userVariable?: string;
}

/** And/or groups of conditions; each row offers the operators that fit its field and a value control of its type. */
export function FilterBuilder({ fields, group, onChange, depth = 0, userVariable }: Props) {
  const { t } = useI18n();
  const set = (index: number, item: Condition | Group | null) => {
    const items = [...group.items];
    if (item) items[index] = item;
    else items.splice(index, 1);
    onChange({ ...group, items });
  };
  const first = fields[0];
  return (
    <div className={`filter-group depth-${depth}`}>
      {group.items.map((item, index) => (
        <div className="filter-row" key={index}>
          <span className="filter-join">
            {index === 0 ? (
              t('filter.where')
            ) : index === 1 ? (
              <select className="input slim" aria-label={t('filter.join')} value={group.join} onChange={(e) => onChange({ ...group, join: e.target.value as Group['join'] })}>
                <option value="and">{t('filter.and')}</option>
                <option value="or">{t('filter.or')}</option>
              </select>
            ) : (
              t(group.join === 'and' ? 'filter.and' : 'filter.or')
            )}
          </span>
          {item.kind === 'group' ? (
            <FilterBuilder fields={fields} group={item} onChange={(g) => set(index, g)} depth={depth + 1} userVariable={userVariable} />
          ) : (
            <ConditionRow fields={fields} condition={item} onChange={(c) => set(index, c)} userVariable={userVariable} />
          )}
          <button type="button" className="button small" aria-label={t('filter.remove')} onClick={() => set(index, null)}>
            ×
          </button>
        </div>
      ))}
      <div className="filter-actions">
        {first && (
          <button type="button" className="button small" onClick={() => onChange({ ...group, items: [...group.items, { kind: 'condition', field: first.id, op: operatorsFor(first)[0]! }] })}>
            + {t('filter.addCondition')}
          </button>
        )}
        {depth < 2 && first && (
          <button type="button" className="button small" onClick={() => onChange({ ...group, items: [...group.items, { kind: 'group', join: 'or', items: [{ kind: 'condition', field: first.id, op: operatorsFor(first)[0]! }] }] })}>
            + {t('filter.addGroup')}
          </button>
        )}
      </div>
    </div>
  );
}

function ConditionRow({ fields, condition, onChange, userVariable }: { fields: Field[]; condition: Condition; onChange(c: Condition): void; userVariable?: string | undefined }) {
  const { t } = useI18n();
  const field = fields.find((f) => f.id === condition.field) ?? fields[0]!;
  const ops = operatorsFor(field);
  return (
    <span className="filter-condition">
      <select
        className="input slim"
        aria-label={t('filter.field')}
        value={field.id}
        onChange={(e) => {
          const next = fields.find((f) => f.id === e.target.value)!;
          onChange({ kind: 'condition', field: next.id, op: operatorsFor(next)[0]! });
        }}
      >
        {fields.map((f) => (
          <option key={f.id} value={f.id}>
            {f.name}
          </option>
        ))}
      </select>
      <select className="input slim" aria-label={t('filter.operator')} value={condition.op} onChange={(e) => onChange({ ...condition, op: e.target.value, ...(UNARY.has(e.target.value) ? { value: undefined } : {}) })}>
        {ops.map((op) => (
          <option key={op} value={op}>
            {OP_SYMBOLS[op] ?? (op in OP_WORDS ? t(OP_WORDS[op as keyof typeof OP_WORDS]) : op)}
          </option>
        ))}
      </select>
      {!UNARY.has(condition.op) && <ValueInput field={field} op={condition.op} value={condition.value} onChange={(value) => onChange({ ...condition, value })} userVariable={userVariable} />}
    </span>
  );
}

const USER_VARIABLE = { var: '$user' };
const isUserVariable = (value: unknown) => typeof value === 'object' && value !== null && (value as { var?: unknown }).var === '$user';

function ValueInput({ field, op, value, onChange, userVariable }: { field: Field; op: string; value: unknown; onChange(v: unknown): void; userVariable?: string | undefined }) {
  const { t } = useI18n();
  const type = field.result && !field.result.list ? field.result.type : field.type;
  const choices = (field.options.choices as Choice[] | undefined) ?? [];
  const label = t('filter.value');
  if (userVariable && ['user', 'created_by', 'updated_by'].includes(type)) {
    // The user the condition is checked for, or a user typed by email or id.
    const mine = isUserVariable(value);
    return (
      <span className="filter-user">
        <select className="input slim" aria-label={label} value={mine ? '$user' : ''} onChange={(e) => onChange(e.target.value === '$user' ? USER_VARIABLE : '')}>
          <option value="$user">{userVariable}</option>
          <option value="">{t('filter.someone')}</option>
        </select>
        {!mine && <input className="input slim" aria-label={t('filter.userValue')} value={typeof value === 'string' ? value : ''} onChange={(e) => onChange(e.target.value)} />}
      </span>
    );
  }
  if (choices.length && (op === 'in' || type === 'multi_select')) {
    const selected = new Set(Array.isArray(value) ? (value as string[]) : []);
    return (
      <span className="chips" role="group" aria-label={label}>
        {choices.map((c) => (
          <button key={c.id} type="button" aria-pressed={selected.has(c.name)} className={`chip chip-${c.color} ${selected.has(c.name) ? '' : 'chip-off'}`} onClick={() => onChange(selected.has(c.name) ? [...selected].filter((n) => n !== c.name) : [...selected, c.name])}>
            {c.name}
          </button>
        ))}
      </span>
    );
  }
  if (choices.length) {
    return (
      <select className="input slim" aria-label={label} value={(value as string | undefined) ?? ''} onChange={(e) => onChange(e.target.value)}>
        <option value="" />
        {choices.map((c) => (
          <option key={c.id} value={c.name}>
            {c.name}
          </option>
        ))}
      </select>
    );
  }
  if (type === 'checkbox') {
    return (
      <select className="input slim" aria-label={label} value={String(value ?? true)} onChange={(e) => onChange(e.target.value === 'true')}>
        <option value="true">✓</option>
        <option value="false">☐</option>
      </select>
    );
  }
  const numeric = ['number', 'currency', 'percent', 'rating', 'autonumber'].includes(type) && field.type !== 'link';
  if (numeric) return <NumberValue label={label} value={value} kind={type === 'percent' ? 'percent' : 'number'} onChange={onChange} />;
  const inputType = ['date'].includes(type) ? 'date' : ['datetime', 'created_time', 'updated_time'].includes(type) ? 'date' : 'text';
  return <input className="input slim" aria-label={label} type={inputType} value={value === undefined || value === null ? '' : String(value)} onChange={(e) => onChange(e.target.value)} />;
}

/**
 * A number to compare with, read as the number inputs read it ("1,234", full-width digits, 25 for 25 %); the text is
 * kept as typed ("1.0" on the way to "1.05"), and text that is no number is passed on as text.
 */
function NumberValue({ label, value, kind, onChange }: { label: string; value: unknown; kind: 'number' | 'percent'; onChange(v: unknown): void }) {
  const read = (raw: string): unknown => {
    const n = parseNumberText(raw, { kind });
    return typeof n === 'number' ? n : raw;
  };
  const [text, setText] = useState(() => numberText(value, kind));
  useEffect(() => {
    if (!sameNumber(read(text), value)) setText(numberText(value, kind));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [value]);
  return (
    <input
      className="input slim"
      aria-label={label}
      inputMode="decimal"
      value={text}
      onChange={(e) => {
        setText(e.target.value);
        onChange(e.target.value.trim() === '' ? e.target.value : read(e.target.value));
      }}
    />
  );
}
