import { createContext, useContext, useRef, type ChangeEvent } from 'react';
import type { Field, Sheet } from '../api/types.js';
import type { MessageKey } from '../i18n/en.js';
import { useI18n } from '../i18n/i18n.js';
import type { StepType } from './api.js';

/** What a step's text can read: the trigger's sheet, values before an update, the steps before it. */
export interface PlaceholderScope {
  sheet: Sheet | undefined;
  /** The trigger is an update: `{{old.Field}}` has the values before it. */
  old: boolean;
  /** Steps run before this one, by their index in the run (`{{steps.0.record.id}}`), with the sheet they write to. */
  earlier: { index: number; type: StepType; sheet?: Sheet | undefined }[];
}

const ScopeContext = createContext<PlaceholderScope>({ sheet: undefined, old: false, earlier: [] });
export const PlaceholderScopeProvider = ScopeContext.Provider;
export const usePlaceholderScope = () => useContext(ScopeContext);

/** Handlebars reads a bare path segment only without spaces and punctuation; other names go in [ ]. */
const BARE = /^[^\s!"#%-,./;->@[-^`{-~\d][^\s!"#%-,./;->@[-^`{-~]*$/;
const KEYWORDS = new Set(['true', 'false', 'null', 'undefined', 'this', 'else', 'as']);
export const segment = (name: string) => (BARE.test(name) && !KEYWORDS.has(name) ? name : `[${name.replace(/]/g, '')}]`);

const PEOPLE = new Set(['user', 'created_by', 'updated_by']);
const LISTS = new Set(['link', 'multi_select', 'multi_user']);
const NO_TEXT = new Set(['attachment']);

interface Option {
  label: string;
  text: string;
}
interface Group {
  label: string;
  options: Option[];
}

type Translate = ReturnType<typeof useI18n>['t'];

/**
 * A field's value as text (`record`, `old` or a step's record: `steps.0.record`): a person by name or email, a list
 * joined (titles of linked records), the rest as it is. `prefix` starts the option's label ("1. Create a record: ").
 */
function fieldOptions(scope: string, field: Field, t: Translate, prefix = ''): Option[] {
  const type = field.result && !field.result.list ? field.result.type : field.type;
  if (NO_TEXT.has(type)) return [];
  const path = `${scope}.${segment(field.name)}`;
  if (PEOPLE.has(type)) {
    return [
      { label: prefix + t('wf.ph.nameOf', { field: field.name }), text: `{{${path}.name}}` },
      { label: prefix + t('wf.ph.emailOf', { field: field.name }), text: `{{${path}.email}}` },
    ];
  }
  if (LISTS.has(type) || field.result?.list) return [{ label: prefix + field.name, text: `{{join ${path}}}` }];
  return [{ label: prefix + field.name, text: `{{${path}}}` }];
}

/** An earlier step's output: the record it wrote (its id and fields), an approval's comment. */
function stepOptions({ index, type, sheet }: PlaceholderScope['earlier'][number], t: Translate): Option[] {
  const prefix = `${index + 1}. ${t(`wf.step.${type}` as MessageKey)}: `;
  if (type === 'approval') return [{ label: prefix + t('wf.ph.comment'), text: `{{steps.${index}.comment}}` }];
  if (type !== 'create_record' && type !== 'update_record') return [];
  const scope = `steps.${index}.record`;
  return [{ label: prefix + t('wf.ph.recordId'), text: `{{${scope}.id}}` }, ...(sheet?.fields ?? []).flatMap((f) => fieldOptions(scope, f, t, prefix))];
}

function usePlaceholderGroups(): Group[] {
  const { t } = useI18n();
  const scope = usePlaceholderScope();
  const fields = scope.sheet?.fields ?? [];
  const groups: Group[] = [];
  if (scope.sheet) {
    groups.push({ label: t('wf.ph.record'), options: [{ label: t('wf.ph.recordId'), text: '{{record.id}}' }, ...fields.flatMap((f) => fieldOptions('record', f, t))] });
    if (scope.old) groups.push({ label: t('wf.ph.old'), options: fields.flatMap((f) => fieldOptions('old', f, t)) });
  }
  groups.push({
    label: t('wf.ph.run'),
    options: [
      { label: t('wf.ph.userName'), text: '{{user.name}}' },
      { label: t('wf.ph.userEmail'), text: '{{user.email}}' },
      { label: t('wf.ph.today'), text: '{{today}}' },
      { label: t('wf.ph.now'), text: '{{now}}' },
    ],
  });
  const steps = scope.earlier.flatMap((step) => stepOptions(step, t));
  if (steps.length) groups.push({ label: t('wf.ph.steps'), options: steps });
  return groups;
}

/**
 * A text control that may hold placeholders, with an "Insert a value…" menu beside it that puts the chosen
 * placeholder where the caret was (in place of the selected text; at the end when the text was never focused).
 */
export function TemplateText({
  id,
  value,
  onChange,
  label,
  ariaLabel,
  multiline = false,
  rows,
  placeholder,
  inputMode,
}: {
  id?: string;
  value: string;
  onChange(value: string): void;
  /** What the text is, for the menu's name ("Insert a value into Subject"). */
  label: string;
  /** The text box's own name when no label points at it by `id` (else `label`). */
  ariaLabel?: string;
  multiline?: boolean;
  rows?: number;
  placeholder?: string;
  inputMode?: 'url' | 'email' | 'text';
}) {
  const { t } = useI18n();
  const groups = usePlaceholderGroups();
  const ref = useRef<HTMLInputElement & HTMLTextAreaElement>(null);
  const insert = (text: string) => {
    // A text box keeps its selection when it loses focus to the menu; one never focused has its caret at the end.
    const el = ref.current;
    const start = Math.min(el?.selectionStart ?? value.length, value.length);
    const end = Math.min(el?.selectionEnd ?? value.length, value.length);
    onChange(value.slice(0, start) + text + value.slice(end));
    const caret = start + text.length;
    requestAnimationFrame(() => {
      ref.current?.focus();
      ref.current?.setSelectionRange(caret, caret);
    });
  };
  const common = {
    id,
    ref,
    className: multiline ? 'input' : 'input slim',
    value,
    placeholder,
    onChange: (e: ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => onChange(e.target.value),
    'aria-label': id ? undefined : (ariaLabel ?? label),
  };
  return (
    <span className={multiline ? 'wf-template multiline' : 'wf-template'}>
      {multiline ? <textarea {...common} rows={rows} /> : <input {...common} inputMode={inputMode} />}
      <select className="input slim wf-insert" aria-label={t('wf.insertInto', { field: label })} value="" onChange={(e) => e.target.value && insert(e.target.value)}>
        <option value="">{t('wf.insert')}</option>
        {groups.map((group) => (
          <optgroup key={group.label} label={group.label}>
            {group.options.map((o) => (
              <option key={o.text} value={o.text}>
                {o.label}
              </option>
            ))}
          </optgroup>
        ))}
      </select>
    </span>
  );
}
