import { cloneElement, useId, useMemo, useState, type ReactElement } from 'react';
import type { Field, Sheet } from '../api/types.js';
import { useMembers } from '../api/queries.js';
import { FilterBuilder } from '../filters/FilterBuilder.js';
import { fromJsonLogic, toJsonLogic, type Group } from '../filters/filter-logic.js';
import { useI18n } from '../i18n/i18n.js';
import { useRoles } from '../team/api.js';
import { TemplateText } from './placeholders.js';

/**
 * The server's 400 names the bad key by its path (`steps.1.to`, `trigger.at`): each control shows the messages of
 * its own path, and of any path under it.
 */
export type Errors = Record<string, string>;
export const errorsUnder = (errors: Errors, path: string): [string, string][] =>
  Object.entries(errors).filter(([key]) => key === path || key.startsWith(`${path}.`));

/** The message(s) for a path, next to its control. */
export function FieldError({ errors, path, exact = false }: { errors: Errors; path: string; exact?: boolean }) {
  const found = exact ? (errors[path] !== undefined ? [[path, errors[path]!] as [string, string]] : []) : errorsUnder(errors, path);
  if (!found.length) return null;
  return (
    <>
      {found.map(([key, message]) => (
        <p key={key} className="error wf-error" role="alert" data-path={key}>
          {message}
        </p>
      ))}
    </>
  );
}

/**
 * A labelled control with the server's message for its path. The label names the control by id (not by wrapping it,
 * which would add a select's chosen option to its name).
 */
export function Labelled({ label, path, errors, children, wide = false }: { label: string; path: string; errors: Errors; children: ReactElement<{ id?: string }>; wide?: boolean }) {
  const id = useId();
  return (
    <div className={wide ? 'wf-control wide' : 'wf-control'}>
      <label className="label" htmlFor={id}>
        {label}
      </label>
      {cloneElement(children, { id })}
      <FieldError errors={errors} path={path} exact />
    </div>
  );
}

const OLD = '$old.';

/** Conditions' fields by id: the saved workflow names them (and `$old.` twins) by name, the builder by id. */
function byId(group: Group, fields: Field[]): Group {
  const idOf = (ref: string) => fields.find((f) => f.id === ref)?.id ?? fields.find((f) => f.name === ref)?.id;
  const resolve = (ref: string) => {
    const before = ref.startsWith(OLD);
    const id = idOf(before ? ref.slice(OLD.length) : ref);
    return id === undefined ? ref : before ? OLD + id : id;
  };
  return { ...group, items: group.items.map((item) => (item.kind === 'group' ? byId(item, fields) : { ...item, field: resolve(item.field) })) };
}

/**
 * A JsonLogic condition over a sheet's fields, edited with the filter builder (field ids in `var`). With `old` (an
 * update's trigger), each field has a twin "before the update" (`$old.<id>`): "Status is Qualified and Status before
 * the update is not" is a lead becoming Qualified.
 */
export function ConditionEditor({ fields, value, onChange, old = false }: { fields: Field[]; value: unknown; onChange(value: unknown): void; old?: boolean }) {
  const { t } = useI18n();
  const choices = useMemo(() => (old ? [...fields, ...fields.map((f) => ({ ...f, id: OLD + f.id, name: t('wf.oldOf', { field: f.name }) }))] : fields), [fields, old, t]);
  const [group, setGroup] = useState(() => byId(fromJsonLogic(value), fields));
  return (
    <FilterBuilder
      fields={choices}
      group={group}
      onChange={(g) => {
        setGroup(g);
        onChange(toJsonLogic(g));
      }}
    />
  );
}

/** Values a field mapping sends: numbers and booleans as such (typed into a text box), the rest as text that may hold {{…}}. */
function typed(field: Field | undefined, text: string): unknown {
  if (!field || text.includes('{{')) return text;
  if (field.valueKind === 'number' && text.trim() !== '' && Number.isFinite(Number(text))) return Number(text);
  if (field.valueKind === 'boolean' && (text === 'true' || text === 'false')) return text === 'true';
  return text;
}
const shown = (value: unknown) => (typeof value === 'string' ? value : value === undefined || value === null ? '' : JSON.stringify(value));
/** `{"inTurn": [...]}`: a user field set to the next of some roles' or people's active members, in turn. */
const inTurnOf = (value: unknown): string[] | undefined =>
  typeof value === 'object' && value !== null && Array.isArray((value as { inTurn?: unknown }).inTurn) ? (value as { inTurn: string[] }).inTurn : undefined;

/** A date "N days after the run's day" (in the workspace's time zone), as the engine reads it. */
const RELATIVE_DATE = /^\{\{addDays today (-?\d+)\}\}$/;
const relativeDate = (days: number) => `{{addDays today ${days}}}`;

/**
 * One field's value in a mapping: text that may hold placeholders (with the insert menu); a date field may instead be
 * "N days after the run's day" (a follow-up due in 2 days), no placeholder to type.
 */
function MappedValue({ field, name, value, onChange }: { field: Field | undefined; name: string; value: unknown; onChange(value: unknown): void }) {
  const { t } = useI18n();
  const text = shown(value);
  const input = <TemplateText value={text} label={name} ariaLabel={t('wf.valueFor', { field: name })} placeholder={t('wf.valueHint')} onChange={(next) => onChange(typed(field, next))} />;
  if (field?.type !== 'date') return input;
  const relative = RELATIVE_DATE.exec(text);
  return (
    <span className="wf-date-value">
      <select className="input slim" aria-label={t('wf.dateMode', { field: name })} value={relative ? 'relative' : 'value'} onChange={(e) => onChange(e.target.value === 'relative' ? relativeDate(1) : '')}>
        <option value="value">{t('wf.dateValue')}</option>
        <option value="relative">{t('wf.dateRelative')}</option>
      </select>
      {relative ? (
        <span className="wf-inline">
          <input className="input slim wf-days" type="number" step={1} aria-label={t('wf.daysAfterFor', { field: name })} value={relative[1]} onChange={(e) => onChange(relativeDate(Math.trunc(Number(e.target.value) || 0)))} />
          <span className="muted small">{t('wf.daysLater')}</span>
        </span>
      ) : (
        input
      )}
    </span>
  );
}

/**
 * Field → value rows for update/create steps; the order of rows is kept while editing. A user field may instead go
 * "in turn among" roles or people, picked like a notification's.
 */
export function FieldMapEditor({ ws, sheet, value, onChange, errors, path }: { ws: string; sheet: Sheet | undefined; value: Record<string, unknown>; onChange(v: Record<string, unknown>): void; errors: Errors; path: string }) {
  const { t } = useI18n();
  const entries = Object.entries(value);
  const fields = sheet?.fields ?? [];
  const unused = fields.filter((f) => !(f.name in value));
  const set = (rows: [string, unknown][]) => onChange(Object.fromEntries(rows));
  return (
    <div className="wf-map">
      {entries.map(([name, v], i) => {
        const field = fields.find((f) => f.name === name);
        const turn = inTurnOf(v);
        const setValue = (next: unknown) => set(entries.map((entry, j) => (j === i ? [name, next] : entry)));
        const input = <MappedValue field={field} name={name} value={v} onChange={setValue} />;
        return (
          <div className="wf-map-row" key={name}>
            <select
              className="input slim"
              aria-label={t('wf.field')}
              value={name}
              onChange={(e) => set(entries.map((entry, j) => (j === i ? [e.target.value, entry[1]] : entry)))}
            >
              <option value={name}>{name}</option>
              {unused.map((f) => (
                <option key={f.id} value={f.name}>
                  {f.name}
                </option>
              ))}
            </select>
            <span aria-hidden="true">=</span>
            {field?.type === 'user' ? (
              <div className="wf-map-value">
                <select className="input slim" aria-label={t('wf.howFor', { field: name })} value={turn ? 'inTurn' : 'value'} onChange={(e) => setValue(e.target.value === 'inTurn' ? { inTurn: [] } : '')}>
                  <option value="value">{t('wf.setValue')}</option>
                  <option value="inTurn">{t('wf.inTurnAmong')}</option>
                </select>
                {turn ? (
                  <div className="wf-turn">
                    <PeoplePicker ws={ws} value={turn} onChange={(inTurn) => setValue({ inTurn })} label={t('wf.inTurnFor', { field: name })} typedPeople={false} />
                    <span className="muted small">{t('wf.inTurnHelp')}</span>
                  </div>
                ) : (
                  input
                )}
              </div>
            ) : (
              input
            )}
            <button type="button" className="button small" aria-label={t('wf.removeField', { field: name })} onClick={() => set(entries.filter((_, j) => j !== i))}>
              ×
            </button>
            <FieldError errors={errors} path={`${path}.${name}`} />
          </div>
        );
      })}
      {unused.length > 0 && (
        <select className="input slim" aria-label={t('wf.addField')} value="" onChange={(e) => e.target.value && set([...entries, [e.target.value, '']])}>
          <option value="">{t('wf.addField')}</option>
          {unused.map((f) => (
            <option key={f.id} value={f.name}>
              {f.name}
            </option>
          ))}
        </select>
      )}
    </div>
  );
}

/**
 * People for notify and approval steps and in-turn fields: members (by id), role names, "manager" (approvals) or
 * anything typed (an email or a placeholder such as {{record.Owner.id}}; not for in-turn fields, which name members
 * and roles only), shown as removable chips.
 */
export function PeoplePicker({ ws, value, onChange, manager = false, typedPeople = true, label }: { ws: string; value: string[]; onChange(v: string[]): void; manager?: boolean; typedPeople?: boolean; label: string }) {
  const { t } = useI18n();
  const members = useMembers(ws).data ?? [];
  const roles = useRoles(ws).data ?? [];
  const [typedText, setTyped] = useState('');
  const nameOf = (v: string) => {
    if (v === 'manager') return t('wf.manager');
    const member = members.find((m) => m.id === v);
    if (member) return member.name;
    return roles.some((r) => r.name === v) ? t('wf.roleChip', { role: v }) : v;
  };
  const add = (v: string) => v && !value.includes(v) && onChange([...value, v]);
  return (
    <div className="wf-people">
      <ul className="wf-chips" aria-label={label}>
        {value.map((v) => (
          <li key={v} className="chip">
            {nameOf(v)}
            <button type="button" className="link" aria-label={t('wf.removePerson', { who: nameOf(v) })} onClick={() => onChange(value.filter((x) => x !== v))}>
              ×
            </button>
          </li>
        ))}
      </ul>
      <div className="wf-inline">
        <select className="input slim" aria-label={t('wf.addPerson')} value="" onChange={(e) => add(e.target.value)}>
          <option value="">{t('wf.addPerson')}</option>
          {manager && <option value="manager">{t('wf.manager')}</option>}
          <optgroup label={t('team.members')}>
            {members.map((m) => (
              <option key={m.id} value={m.id}>
                {m.name} ({m.email})
              </option>
            ))}
          </optgroup>
          <optgroup label={t('team.roles')}>
            {roles.map((r) => (
              <option key={r.id} value={r.name}>
                {r.name}
              </option>
            ))}
          </optgroup>
        </select>
        {typedPeople && (
          <>
            <TemplateText label={t('wf.otherPerson')} placeholder={t('wf.otherPersonHint')} value={typedText} onChange={setTyped} />
            <button
              type="button"
              className="button small"
              disabled={!typedText.trim()}
              onClick={() => {
                add(typedText.trim());
                setTyped('');
              }}
            >
              {t('wf.add')}
            </button>
          </>
        )}
      </div>
    </div>
  );
}

/** A list of field names chosen from a sheet (the fields an update trigger watches, the fields an approval locks). */
export function FieldsPicker({ fields, value, onChange, label }: { fields: Field[]; value: string[]; onChange(v: string[]): void; label: string }) {
  return (
    <fieldset className="wf-fields">
      <legend className="label">{label}</legend>
      {fields.map((f) => (
        <label key={f.id} className="check">
          <input type="checkbox" checked={value.includes(f.name)} onChange={(e) => onChange(e.target.checked ? [...value, f.name] : value.filter((n) => n !== f.name))} /> {f.name}
        </label>
      ))}
    </fieldset>
  );
}
