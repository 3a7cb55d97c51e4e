import { useState, type FormEvent } from 'react';
import type { Sheet } from '../api/types.js';
import { ApiError } from '../api/http.js';
import { emptyGroup, toJsonLogic, type Group } from '../filters/filter-logic.js';
import { FilterBuilder } from '../filters/FilterBuilder.js';
import { useI18n } from '../i18n/i18n.js';
import type { SheetRule } from '../form/lock-rules.js';
import { builderGroup, withFieldIds } from './rule-condition.js';

/** What POST and PATCH …/rules take (kind only when creating: the server never changes it). */
export interface RuleInput {
  kind?: 'lock';
  condition: unknown;
  message: string;
  lockedFields?: string[] | null;
}

interface Props {
  sheet: Sheet;
  rule?: SheetRule;
  onSave(input: RuleInput): Promise<void>;
  onCancel(): void;
}

/** The server's field errors on a rule (condition, message, lockedFields), each shown under its input. */
type RuleErrors = Partial<Record<'condition' | 'message' | 'lockedFields' | 'rule', string>>;

function errorsOf(error: unknown, fallback: string): RuleErrors {
  if (!(error instanceof ApiError)) return { rule: fallback };
  const fields = error.fields;
  const known = (['condition', 'message', 'lockedFields'] as const).filter((k) => fields[k]);
  return known.length ? Object.fromEntries(known.map((k) => [k, fields[k]])) : { rule: error.message };
}

/**
 * Adds or edits a rule: its kind, its condition with the filter builder (a condition the builder cannot show is edited
 * as JsonLogic), its message, and for a lock rule the fields it locks.
 */
export function RuleEditor({ sheet, rule, onSave, onCancel }: Props) {
  const { t } = useI18n();
  const [kind, setKind] = useState<'validate' | 'lock'>(rule?.kind ?? 'validate');
  const initialGroup = rule ? builderGroup(sheet.fields, rule.condition) : emptyGroup();
  const [group, setGroup] = useState<Group | undefined>(initialGroup);
  const [json, setJson] = useState(() => (initialGroup ? '' : JSON.stringify(withFieldIds(sheet.fields, rule?.condition), null, 2)));
  const [message, setMessage] = useState(rule?.message ?? '');
  const lockedIds = (rule?.lockedFields ?? []).flatMap((name) => sheet.fields.find((f) => f.name === name)?.id ?? []);
  const [lockAll, setLockAll] = useState(!rule?.lockedFields);
  const [locked, setLocked] = useState<Set<string>>(new Set(lockedIds));
  const [errors, setErrors] = useState<RuleErrors>({});
  const [busy, setBusy] = useState(false);

  const condition = (): unknown => {
    if (group) return toJsonLogic(group);
    try {
      return JSON.parse(json) as unknown;
    } catch {
      return undefined;
    }
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const logic = condition();
    if (logic === undefined) {
      setErrors({ condition: group ? t('rules.conditionEmpty') : t('rules.conditionJson') });
      return;
    }
    if (kind === 'lock' && !lockAll && locked.size === 0) {
      setErrors({ lockedFields: t('rules.lockNone') });
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      await onSave({
        ...(kind === 'lock' && !rule ? { kind: 'lock' as const } : {}),
        condition: logic,
        message,
        ...(kind === 'lock' ? { lockedFields: lockAll ? null : [...locked] } : {}),
      });
    } catch (error) {
      setErrors(errorsOf(error, t('toast.error')));
    } finally {
      setBusy(false);
    }
  };

  const toggle = (id: string, on: boolean) => {
    const next = new Set(locked);
    if (on) next.add(id);
    else next.delete(id);
    setLocked(next);
  };

  return (
    <form className="rule-editor card" aria-label={rule ? t('rules.edit') : t('rules.add')} onSubmit={(e) => void submit(e)}>
      <h2>{rule ? t('rules.edit') : t('rules.add')}</h2>
      <label>
        {t('rules.kind')}
        <select className="input" value={kind} disabled={rule !== undefined} onChange={(e) => setKind(e.target.value as 'validate' | 'lock')}>
          <option value="validate">{t('rules.kind.validate')}</option>
          <option value="lock">{t('rules.kind.lock')}</option>
        </select>
      </label>
      <fieldset className="rule-condition" aria-label={t('rules.condition')} aria-invalid={errors.condition ? true : undefined}>
        <legend>{t('rules.condition')}</legend>
        <p className="hint">{kind === 'lock' ? t('rules.conditionHint.lock') : t('rules.conditionHint.validate')}</p>
        {group ? (
          <FilterBuilder fields={sheet.fields} group={group} onChange={setGroup} />
        ) : (
          <textarea className="input mono" rows={6} aria-label={t('rules.conditionJsonLabel')} value={json} onChange={(e) => setJson(e.target.value)} />
        )}
        {errors.condition && (
          <p className="error" role="alert">
            {t('rules.condition')}: {errors.condition}
          </p>
        )}
      </fieldset>
      <label>
        {t('rules.message')}
        <input className="input" value={message} maxLength={500} onChange={(e) => setMessage(e.target.value)} aria-invalid={errors.message ? true : undefined} placeholder={kind === 'lock' ? t('rules.messageHint.lock') : t('rules.messageHint.validate')} />
      </label>
      {errors.message && (
        <p className="error" role="alert">
          {t('rules.message')}: {errors.message}
        </p>
      )}
      {kind === 'lock' && (
        <fieldset className="rule-locked">
          <legend>{t('rules.locks')}</legend>
          <label className="check">
            <input type="checkbox" checked={lockAll} onChange={(e) => setLockAll(e.target.checked)} /> {t('rules.lockAll')}
          </label>
          {!lockAll && (
            <div className="rule-locked-fields">
              {sheet.fields.map((f) => (
                <label className="check" key={f.id}>
                  <input type="checkbox" checked={locked.has(f.id)} onChange={(e) => toggle(f.id, e.target.checked)} /> {f.name}
                </label>
              ))}
            </div>
          )}
          {errors.lockedFields && (
            <p className="error" role="alert">
              {t('rules.locks')}: {errors.lockedFields}
            </p>
          )}
        </fieldset>
      )}
      {errors.rule && (
        <p className="error" role="alert">
          {errors.rule}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={busy}>
          {t('form.save')}
        </button>
        <button type="button" className="button" onClick={onCancel}>
          {t('form.cancel')}
        </button>
      </div>
    </form>
  );
}
