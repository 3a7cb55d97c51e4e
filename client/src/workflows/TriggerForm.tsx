import type { Sheet } from '../api/types.js';
import { useForms } from '../api/forms.js';
import type { MessageKey } from '../i18n/en.js';
import { useI18n } from '../i18n/i18n.js';
import { TRIGGER_TYPES, type Trigger, type TriggerType } from './api.js';
import { ConditionEditor, FieldError, FieldsPicker, Labelled, type Errors } from './controls.js';

const DATE_TYPES = new Set(['date', 'datetime']);

/** A fresh trigger of a type, keeping the sheet already chosen. */
export function newTrigger(type: TriggerType, sheet: string): Trigger {
  switch (type) {
    case 'record_created':
      return { type, sheet };
    case 'record_updated':
      return { type, sheet };
    case 'record_matches':
      return { type, sheet, condition: null };
    case 'form_submitted':
      return { type, sheet };
    case 'schedule':
      return { type, every: 'day', at: '09:00' };
    case 'date':
      return { type, sheet, field: '', offsetDays: 0, at: '09:00' };
    case 'button':
      return { type, sheet, label: '' };
  }
}

/** "When a record of Leads is created", "Every week on Monday at 09:00", … */
export function useTriggerSummary(): (trigger: Trigger) => string {
  const { t } = useI18n();
  return (trigger) => {
    switch (trigger.type) {
      case 'schedule': {
        const at = trigger.at;
        if (trigger.every === 'week') return t('wf.sum.weekly', { day: t(`wf.weekday.${trigger.weekday ?? 1}` as MessageKey), at });
        if (trigger.every === 'month') return t('wf.sum.monthly', { day: trigger.day ?? 1, at });
        return t('wf.sum.daily', { at });
      }
      case 'date': {
        const n = Math.abs(trigger.offsetDays);
        const key = trigger.offsetDays < 0 ? 'wf.sum.dateBefore' : trigger.offsetDays > 0 ? 'wf.sum.dateAfter' : 'wf.sum.dateOn';
        return t(key, { n, field: trigger.field, sheet: trigger.sheet, at: trigger.at });
      }
      case 'button':
        return t('wf.sum.button', { label: trigger.label, sheet: trigger.sheet });
      default:
        return t(`wf.sum.${trigger.type}` as MessageKey, { sheet: trigger.sheet });
    }
  };
}

/** The trigger picker: its type, then the settings of that type. */
export function TriggerForm({ ws, sheets, trigger, onChange, errors }: { ws: string; sheets: Sheet[]; trigger: Trigger; onChange(t: Trigger): void; errors: Errors }) {
  const { t } = useI18n();
  const sheetName = 'sheet' in trigger ? trigger.sheet : (sheets[0]?.name ?? '');
  const sheet = sheets.find((s) => s.name === sheetName || s.id === sheetName);
  const fields = sheet?.fields ?? [];
  const forms = useForms(ws, sheet?.id ?? '').data ?? [];
  const patch = (p: Partial<Trigger>) => onChange({ ...trigger, ...p } as Trigger);
  return (
    <fieldset className="wf-trigger card">
      <legend>{t('wf.trigger')}</legend>
      <div className="wf-grid">
        <Labelled label={t('wf.triggerType')} path="trigger.type" errors={errors}>
          <select className="input slim" value={trigger.type} onChange={(e) => onChange(newTrigger(e.target.value as TriggerType, sheetName))}>
            {TRIGGER_TYPES.map((type) => (
              <option key={type} value={type}>
                {t(`wf.trigger.${type}` as MessageKey)}
              </option>
            ))}
          </select>
        </Labelled>
        {'sheet' in trigger && (
          <Labelled label={t('wf.sheet')} path="trigger.sheet" errors={errors}>
            <select className="input slim" value={sheet?.name ?? trigger.sheet} onChange={(e) => onChange({ ...newTrigger(trigger.type, e.target.value), ...(trigger.type === 'button' ? { label: trigger.label } : {}) } as Trigger)}>
              {!sheet && <option value={trigger.sheet}>{trigger.sheet}</option>}
              {sheets.map((s) => (
                <option key={s.id} value={s.name}>
                  {s.name}
                </option>
              ))}
            </select>
          </Labelled>
        )}
        {trigger.type === 'form_submitted' && (
          <Labelled label={t('wf.form')} path="trigger.form" errors={errors}>
            <select className="input slim" value={trigger.form ?? ''} onChange={(e) => onChange({ type: 'form_submitted', sheet: trigger.sheet, ...(e.target.value ? { form: e.target.value } : {}) })}>
              <option value="">{t('wf.anyForm')}</option>
              {forms.map((f) => (
                <option key={f.id} value={f.id}>
                  {f.name}
                </option>
              ))}
            </select>
          </Labelled>
        )}
        {trigger.type === 'schedule' && (
          <>
            <Labelled label={t('wf.every')} path="trigger.every" errors={errors}>
              <select
                className="input slim"
                value={trigger.every}
                onChange={(e) => {
                  const every = e.target.value as 'day' | 'week' | 'month';
                  onChange({ type: 'schedule', every, at: trigger.at, ...(every === 'week' ? { weekday: 1 } : every === 'month' ? { day: 1 } : {}) });
                }}
              >
                <option value="day">{t('wf.every.day')}</option>
                <option value="week">{t('wf.every.week')}</option>
                <option value="month">{t('wf.every.month')}</option>
              </select>
            </Labelled>
            {trigger.every === 'week' && (
              <Labelled label={t('wf.weekday')} path="trigger.weekday" errors={errors}>
                <select className="input slim" value={trigger.weekday ?? 1} onChange={(e) => patch({ weekday: Number(e.target.value) })}>
                  {[1, 2, 3, 4, 5, 6, 7].map((d) => (
                    <option key={d} value={d}>
                      {t(`wf.weekday.${d}` as MessageKey)}
                    </option>
                  ))}
                </select>
              </Labelled>
            )}
            {trigger.every === 'month' && (
              <Labelled label={t('wf.dayOfMonth')} path="trigger.day" errors={errors}>
                <input className="input slim" type="number" min={1} max={31} value={trigger.day ?? 1} onChange={(e) => patch({ day: Number(e.target.value) })} />
              </Labelled>
            )}
          </>
        )}
        {trigger.type === 'date' && (
          <>
            <Labelled label={t('wf.dateField')} path="trigger.field" errors={errors}>
              <select className="input slim" value={trigger.field} onChange={(e) => patch({ field: e.target.value })}>
                <option value="">—</option>
                {fields
                  .filter((f) => DATE_TYPES.has(f.type) || DATE_TYPES.has(f.result?.type ?? ''))
                  .map((f) => (
                    <option key={f.id} value={f.name}>
                      {f.name}
                    </option>
                  ))}
              </select>
            </Labelled>
            <Labelled label={t('wf.days')} path="trigger.offsetDays" errors={errors}>
              <input className="input slim" type="number" min={0} max={3650} value={Math.abs(trigger.offsetDays)} onChange={(e) => patch({ offsetDays: Math.sign(trigger.offsetDays || 1) * Math.abs(Number(e.target.value) || 0) })} />
            </Labelled>
            <Labelled label={t('wf.beforeAfter')} path="trigger.offsetDirection" errors={errors}>
              <select className="input slim" value={trigger.offsetDays < 0 ? 'before' : 'after'} onChange={(e) => patch({ offsetDays: (e.target.value === 'before' ? -1 : 1) * Math.abs(trigger.offsetDays) })}>
                <option value="before">{t('wf.before')}</option>
                <option value="after">{t('wf.after')}</option>
              </select>
            </Labelled>
          </>
        )}
        {(trigger.type === 'schedule' || trigger.type === 'date') && (
          <Labelled label={t('wf.at')} path="trigger.at" errors={errors}>
            <input className="input slim" type="time" value={trigger.at} onChange={(e) => patch({ at: e.target.value })} />
          </Labelled>
        )}
        {trigger.type === 'button' && (
          <Labelled label={t('wf.buttonLabel')} path="trigger.label" errors={errors}>
            <input className="input slim" value={trigger.label} maxLength={100} onChange={(e) => patch({ label: e.target.value })} />
          </Labelled>
        )}
      </div>
      {trigger.type === 'record_updated' && (
        <>
          <FieldsPicker fields={fields} value={trigger.fields ?? []} label={t('wf.watchFields')} onChange={(list) => onChange({ type: 'record_updated', sheet: trigger.sheet, ...(list.length ? { fields: list } : {}), ...(trigger.condition !== undefined ? { condition: trigger.condition } : {}) })} />
          <FieldError errors={errors} path="trigger.fields" />
        </>
      )}
      {(trigger.type === 'record_updated' || trigger.type === 'record_matches') && (
        <div className="wf-condition">
          <span className="label">{t(trigger.type === 'record_matches' ? 'wf.matchCondition' : 'wf.optionalCondition')}</span>
          <ConditionEditor
            key={`${trigger.type}-${sheetName}`}
            fields={fields}
            old={trigger.type === 'record_updated'}
            value={trigger.condition}
            onChange={(condition) => {
              const { condition: _old, ...rest } = trigger;
              onChange((condition === undefined && trigger.type === 'record_updated' ? rest : { ...rest, condition: condition ?? null }) as Trigger);
            }}
          />
          <FieldError errors={errors} path="trigger.condition" />
        </div>
      )}
      {trigger.type === 'schedule' && <p className="muted small">{t('wf.timeZoneNote')}</p>}
      <FieldError errors={errors} path="trigger" exact />
    </fieldset>
  );
}
