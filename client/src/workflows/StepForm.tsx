import { useState } from 'react';
import type { Sheet } from '../api/types.js';
import { useDocuments } from '../documents/api.js';
import type { MessageKey } from '../i18n/en.js';
import { useI18n } from '../i18n/i18n.js';
import { STEP_TYPES, type Step, type StepType } from './api.js';
import { ConditionEditor, FieldError, FieldMapEditor, FieldsPicker, Labelled, PeoplePicker, type Errors } from './controls.js';
import { PlaceholderScopeProvider, TemplateText, usePlaceholderScope } from './placeholders.js';

/** A fresh step of a type (its required parts empty, for the user to fill in). */
export function newStep(type: StepType, sheets: Sheet[]): Step {
  switch (type) {
    case 'condition':
      return { type, condition: null };
    case 'update_record':
      return { type, fields: {} };
    case 'create_record':
      return { type, sheet: sheets[0]?.name ?? '', fields: {} };
    case 'send_email':
      return { type, to: '', subject: '', body: '' };
    case 'webhook':
      return { type, url: '' };
    case 'notify':
      return { type, users: [], message: '' };
    case 'wait':
      return { type, days: 1 };
    case 'approval':
      return { type, approvers: [], message: '' };
  }
}

/** The sheet a step writes a record of (what `{{steps.N.record.…}}` reads). */
function writtenSheet(step: Step, ctx: Ctx): Sheet | undefined {
  if (step.type !== 'create_record' && step.type !== 'update_record') return undefined;
  return ctx.sheets.find((s) => s.name === step.sheet || s.id === step.sheet) ?? (step.type === 'update_record' && !step.sheet ? ctx.triggerSheet : undefined);
}

const listText = (v: string | string[] | undefined) => (Array.isArray(v) ? v.join(', ') : (v ?? ''));

interface Ctx {
  ws: string;
  sheets: Sheet[];
  /** The trigger's sheet: what `update_record` changes by default, what conditions and documents are of. */
  triggerSheet: Sheet | undefined;
  errors: Errors;
}

/** A list of steps: add, remove, move up and down; each with its form and the server's messages for its path. */
export function StepList({ steps, onChange, path, ctx, nested = false }: { steps: Step[]; onChange(steps: Step[]): void; path: string; ctx: Ctx; nested?: boolean }) {
  const { t } = useI18n();
  const scope = usePlaceholderScope();
  const move = (i: number, by: number) => {
    const list = [...steps];
    const [step] = list.splice(i, 1);
    list.splice(i + by, 0, step!);
    onChange(list);
  };
  return (
    <div className={nested ? 'wf-steps nested' : 'wf-steps'}>
      <ol className="wf-step-list">
        {steps.map((step, i) => (
          <li key={i} className="card wf-step" data-step={`${path}.${i}`}>
            <div className="wf-step-head">
              <strong>
                {i + 1}. {t(`wf.step.${step.type}` as MessageKey)}
              </strong>
              <span className="spacer" />
              <button type="button" className="button small" aria-label={t('wf.moveUp')} title={t('wf.moveUp')} disabled={i === 0} onClick={() => move(i, -1)}>
                ↑
              </button>
              <button type="button" className="button small" aria-label={t('wf.moveDown')} title={t('wf.moveDown')} disabled={i === steps.length - 1} onClick={() => move(i, 1)}>
                ↓
              </button>
              <button type="button" className="button small danger" onClick={() => onChange(steps.filter((_, j) => j !== i))}>
                {t('wf.removeStep')}
              </button>
            </div>
            {/* Its text may read the steps before it; a rejection's steps, those before the approval. */}
            <PlaceholderScopeProvider value={nested ? scope : { ...scope, earlier: steps.slice(0, i).map((s, j) => ({ index: j, type: s.type, sheet: writtenSheet(s, ctx) })) }}>
              <StepForm step={step} path={`${path}.${i}`} ctx={ctx} onChange={(s) => onChange(steps.map((x, j) => (j === i ? s : x)))} />
            </PlaceholderScopeProvider>
            <FieldError errors={ctx.errors} path={`${path}.${i}`} exact />
          </li>
        ))}
      </ol>
      <FieldError errors={ctx.errors} path={path} exact />
      <select className="input slim" aria-label={t(nested ? 'wf.addRejectStep' : 'wf.addStep')} value="" onChange={(e) => e.target.value && onChange([...steps, newStep(e.target.value as StepType, ctx.sheets)])}>
        <option value="">{t(nested ? 'wf.addRejectStep' : 'wf.addStep')}</option>
        {STEP_TYPES.filter((type) => !nested || type !== 'approval').map((type) => (
          <option key={type} value={type}>
            {t(`wf.step.${type}` as MessageKey)}
          </option>
        ))}
      </select>
    </div>
  );
}

function StepForm({ step, onChange, path, ctx }: { step: Step; onChange(step: Step): void; path: string; ctx: Ctx }) {
  const { t } = useI18n();
  const { errors, sheets, triggerSheet } = ctx;
  const scope = usePlaceholderScope();
  const patch = (p: Partial<Step>) => onChange({ ...step, ...p } as Step);
  const docs = useDocuments(ctx.ws, triggerSheet?.id ?? '').data ?? [];
  switch (step.type) {
    case 'condition':
      return (
        <div className="wf-condition">
          <span className="label">{t('wf.conditionHelp')}</span>
          <ConditionEditor fields={triggerSheet?.fields ?? []} old={scope.old} value={step.condition} onChange={(condition) => onChange({ type: 'condition', condition: condition ?? null })} />
          <FieldError errors={errors} path={`${path}.condition`} />
        </div>
      );
    case 'update_record': {
      // The server stores "the trigger's record" as the word `trigger`: shown as the empty box's placeholder, not as text.
      const sheet = sheets.find((s) => s.name === step.sheet || s.id === step.sheet) ?? triggerSheet;
      return (
        <div className="wf-grid">
          <Labelled label={t('wf.whichRecord')} path={`${path}.record`} errors={errors}>
            <TemplateText label={t('wf.whichRecord')} value={step.record === 'trigger' ? '' : (step.record ?? '')} placeholder={t('wf.triggerRecord')} onChange={(record) => onChange(withOptional(step, 'record', record))} />
          </Labelled>
          <Labelled label={t('wf.sheet')} path={`${path}.sheet`} errors={errors}>
            <select className="input slim" value={step.sheet ?? ''} onChange={(e) => onChange(withOptional(step, 'sheet', e.target.value))}>
              <option value="">{t('wf.triggerSheet')}</option>
              {sheets.map((s) => (
                <option key={s.id} value={s.name}>
                  {s.name}
                </option>
              ))}
            </select>
          </Labelled>
          <div className="wide">
            <span className="label">{t('wf.setFields')}</span>
            <FieldMapEditor ws={ctx.ws} sheet={sheet} value={step.fields} onChange={(fields) => patch({ fields })} errors={errors} path={`${path}.fields`} />
            <FieldError errors={errors} path={`${path}.fields`} exact />
          </div>
        </div>
      );
    }
    case 'create_record': {
      const sheet = sheets.find((s) => s.name === step.sheet || s.id === step.sheet);
      return (
        <div className="wf-grid">
          <Labelled label={t('wf.sheet')} path={`${path}.sheet`} errors={errors}>
            <select className="input slim" value={step.sheet} onChange={(e) => onChange({ type: 'create_record', sheet: e.target.value, fields: {} })}>
              {!sheet && <option value={step.sheet}>{step.sheet}</option>}
              {sheets.map((s) => (
                <option key={s.id} value={s.name}>
                  {s.name}
                </option>
              ))}
            </select>
          </Labelled>
          <div className="wide">
            <span className="label">{t('wf.setFields')}</span>
            <FieldMapEditor ws={ctx.ws} sheet={sheet} value={step.fields} onChange={(fields) => patch({ fields })} errors={errors} path={`${path}.fields`} />
            <FieldError errors={errors} path={`${path}.fields`} exact />
          </div>
        </div>
      );
    }
    case 'send_email':
      return (
        <div className="wf-grid">
          <Labelled label={t('wf.to')} path={`${path}.to`} errors={errors} wide>
            <TemplateText label={t('wf.to')} value={listText(step.to)} placeholder={t('wf.toHint')} onChange={(to) => patch({ to })} />
          </Labelled>
          <Labelled label={t('wf.cc')} path={`${path}.cc`} errors={errors} wide>
            <TemplateText label={t('wf.cc')} value={listText(step.cc)} onChange={(cc) => onChange(withOptional(step, 'cc', cc))} />
          </Labelled>
          <Labelled label={t('wf.subject')} path={`${path}.subject`} errors={errors} wide>
            <TemplateText label={t('wf.subject')} value={step.subject} onChange={(subject) => patch({ subject })} />
          </Labelled>
          <Labelled label={t('wf.body')} path={`${path}.body`} errors={errors} wide>
            <TemplateText label={t('wf.body')} multiline rows={4} value={step.body} onChange={(body) => patch({ body })} />
          </Labelled>
          <Labelled label={t('wf.document')} path={`${path}.document`} errors={errors}>
            <select className="input slim" value={step.document ?? ''} onChange={(e) => onChange(withOptional(step, 'document', e.target.value))}>
              <option value="">{t('wf.noDocument')}</option>
              {step.document && !docs.some((d) => d.id === step.document || d.name === step.document) && <option value={step.document}>{step.document}</option>}
              {docs.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.name}
                </option>
              ))}
            </select>
          </Labelled>
        </div>
      );
    case 'webhook':
      return (
        <div className="wf-grid">
          <Labelled label={t('wf.url')} path={`${path}.url`} errors={errors} wide>
            <TemplateText label={t('wf.url')} inputMode="url" value={step.url} placeholder="https://" onChange={(url) => patch({ url })} />
          </Labelled>
          <Labelled label={t('wf.webhookBody')} path={`${path}.body`} errors={errors} wide>
            <JsonBody value={step.body} onChange={(body) => onChange(withOptional(step, 'body', body))} />
          </Labelled>
        </div>
      );
    case 'notify':
      return (
        <div className="wf-grid">
          <div className="wide">
            <span className="label">{t('wf.users')}</span>
            <PeoplePicker ws={ctx.ws} value={step.users} onChange={(users) => patch({ users })} label={t('wf.users')} />
            <FieldError errors={errors} path={`${path}.users`} />
          </div>
          <Labelled label={t('wf.message')} path={`${path}.message`} errors={errors} wide>
            <TemplateText label={t('wf.message')} multiline rows={2} value={step.message} onChange={(message) => patch({ message })} />
          </Labelled>
        </div>
      );
    case 'wait': {
      const unit = step.minutes !== undefined ? 'minutes' : 'days';
      const amount = step.minutes ?? step.days ?? 1;
      return (
        <div className="wf-grid">
          <Labelled label={t('wf.waitFor')} path={`${path}.${unit}`} errors={errors}>
            <input className="input slim" type="number" min={1} value={amount} onChange={(e) => onChange({ type: 'wait', [unit]: Number(e.target.value) })} />
          </Labelled>
          <Labelled label={t('wf.unit')} path={`${path}.unit`} errors={errors}>
            <select className="input slim" value={unit} onChange={(e) => onChange({ type: 'wait', [e.target.value]: amount })}>
              <option value="minutes">{t('wf.minutes')}</option>
              <option value="days">{t('wf.daysUnit')}</option>
            </select>
          </Labelled>
        </div>
      );
    }
    case 'approval':
      return (
        <div className="wf-grid">
          <div className="wide">
            <span className="label">{t('wf.approvers')}</span>
            <PeoplePicker ws={ctx.ws} value={step.approvers} onChange={(approvers) => patch({ approvers })} manager label={t('wf.approvers')} />
            <FieldError errors={errors} path={`${path}.approvers`} />
          </div>
          <Labelled label={t('wf.message')} path={`${path}.message`} errors={errors} wide>
            <TemplateText label={t('wf.message')} multiline rows={2} value={step.message} onChange={(message) => patch({ message })} />
          </Labelled>
          <div className="wide">
            <FieldsPicker fields={triggerSheet?.fields ?? []} value={step.lockFields ?? []} onChange={(lockFields) => onChange(withOptional(step, 'lockFields', lockFields.length ? lockFields : ''))} label={t('wf.lockFields')} />
            <FieldError errors={errors} path={`${path}.lockFields`} />
          </div>
          <div className="wide">
            <span className="label">{t('wf.onReject')}</span>
            <StepList steps={step.onReject ?? []} onChange={(onReject) => onChange(withOptional(step, 'onReject', onReject.length ? onReject : ''))} path={`${path}.onReject`} ctx={ctx} nested />
          </div>
        </div>
      );
  }
}

/** The step with an optional key set, or left out when emptied (the API refuses empty optional text). */
function withOptional<S extends Step>(step: S, key: string, value: unknown): S {
  const copy: Record<string, unknown> = { ...step };
  if (value === '' || value === undefined) delete copy[key];
  else copy[key] = value;
  return copy as S;
}

/** A webhook's JSON body (its texts may hold {{…}}): sent as the JSON typed, or as one text while it is not JSON. */
function JsonBody({ value, onChange, id }: { value: unknown; onChange(value: unknown): void; id?: string }) {
  const { t } = useI18n();
  const [text, setText] = useState(() => (value === undefined ? '' : JSON.stringify(value, null, 2)));
  let valid = true;
  try {
    if (text.trim()) JSON.parse(text);
  } catch {
    valid = false;
  }
  return (
    <>
      <textarea
        id={id}
        className="input"
        rows={3}
        value={text}
        placeholder={t('wf.webhookBodyHint')}
        onChange={(e) => {
          setText(e.target.value);
          if (!e.target.value.trim()) return onChange(undefined);
          try {
            onChange(JSON.parse(e.target.value));
          } catch {
            onChange(e.target.value);
          }
        }}
      />
      {!valid && <span className="muted small">{t('wf.notJson')}</span>}
    </>
  );
}
