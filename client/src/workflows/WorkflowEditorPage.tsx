import { useState } from 'react';
import { Link, useLocation } from 'wouter';
import { ApiError } from '../api/http.js';
import { useSheets } from '../api/queries.js';
import type { Sheet } from '../api/types.js';
import { useLeaveGuard } from '../app/leave-guard.js';
import { useToast } from '../app/toasts.js';
import { useI18n } from '../i18n/i18n.js';
import { useWorkflow, useWorkflowMutations, type Workflow, type WorkflowInput } from './api.js';
import type { Errors } from './controls.js';
import { RunLog } from './RunLog.js';
import { StepList } from './StepForm.js';
import { TestPanel } from './TestPanel.js';
import { PlaceholderScopeProvider } from './placeholders.js';
import { newTrigger, TriggerForm } from './TriggerForm.js';
import { DesignGate } from './WorkflowsPage.js';
import './workflows.css';

/** A workflow's editor (trigger and steps, without code), its test and its run log; `id` "new" makes one. */
export function WorkflowEditorPage({ ws, id }: { ws: string; id: string }) {
  return (
    <DesignGate ws={ws}>
      <Editor ws={ws} id={id} />
    </DesignGate>
  );
}

function Editor({ ws, id }: { ws: string; id: string }) {
  const { t } = useI18n();
  const isNew = id === 'new';
  const sheets = useSheets(ws).data;
  const workflow = useWorkflow(ws, isNew ? '' : id);
  if (!sheets || (!isNew && workflow.isPending)) return <p className="loading">{t('grid.loading')}</p>;
  if (!isNew && workflow.isError) return <p className="error">{workflow.error.message}</p>;
  const saved = isNew ? undefined : workflow.data;
  return <EditorForm key={saved ? `${saved.id}-${saved.version}` : 'new'} ws={ws} sheets={sheets} saved={saved} />;
}

function EditorForm({ ws, sheets, saved }: { ws: string; sheets: Sheet[]; saved: Workflow | undefined }) {
  const { t } = useI18n();
  const toast = useToast();
  const [, navigate] = useLocation();
  const { create, update } = useWorkflowMutations(ws);
  const [draft, setDraft] = useState<WorkflowInput>(() =>
    saved ? { name: saved.name, enabled: saved.enabled, trigger: saved.trigger, steps: saved.steps } : { name: '', enabled: true, trigger: newTrigger('record_created', sheets[0]?.name ?? ''), steps: [] },
  );
  const [errors, setErrors] = useState<Errors>({});
  const [message, setMessage] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [dirty, setDirty] = useState(false);
  // Leaving with unsaved changes asks first (the app's guard, as record forms do).
  const guard = useLeaveGuard(dirty);
  const change = (patch: Partial<WorkflowInput>) => {
    setDraft((d) => ({ ...d, ...patch }));
    setDirty(true);
  };
  const triggerSheetName = 'sheet' in draft.trigger ? draft.trigger.sheet : undefined;
  const triggerSheet = sheets.find((s) => s.name === triggerSheetName || s.id === triggerSheetName);

  const save = async () => {
    setSaving(true);
    setErrors({});
    setMessage(null);
    try {
      const result = saved ? await update.mutateAsync({ id: saved.id, patch: { name: draft.name, enabled: draft.enabled, trigger: draft.trigger, steps: draft.steps } }) : await create.mutateAsync(draft);
      setDirty(false);
      toast(t('wf.savedVersion', { n: result.version }));
      guard.release();
      if (!saved) navigate(`/w/${ws}/workflows/${result.id}`, { replace: true });
    } catch (error) {
      if (error instanceof ApiError) {
        setErrors(error.fields);
        setMessage(error.message);
      } else setMessage(t('toast.error'));
    } finally {
      setSaving(false);
    }
  };

  return (
    <section className="wf-page">
      <Link href={`/w/${ws}/workflows`} className="back">
        ← {t('wf.back')}
      </Link>
      <div className="wf-head">
        <h1>{saved ? saved.name : t('wf.new')}</h1>
        {saved && <span className="chip">{t('wf.versionN', { n: saved.version })}</span>}
      </div>
      <form
        className="wf-editor"
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <div className="wf-grid">
          <label className="wf-control">
            <span className="label">{t('wf.name')}</span>
            <input className="input" value={draft.name} maxLength={200} required onChange={(e) => change({ name: e.target.value })} />
            {errors.name && <p className="error wf-error">{errors.name}</p>}
          </label>
          <label className="check">
            <input type="checkbox" checked={draft.enabled ?? true} onChange={(e) => change({ enabled: e.target.checked })} /> {t('wf.enabled')}
          </label>
        </div>
        <TriggerForm ws={ws} sheets={sheets} trigger={draft.trigger} onChange={(trigger) => change({ trigger })} errors={errors} />
        <fieldset className="wf-steps-box">
          <legend>{t('wf.steps')}</legend>
          {draft.steps.length === 0 && <p className="muted">{t('wf.noSteps')}</p>}
          <PlaceholderScopeProvider value={{ sheet: triggerSheet, old: draft.trigger.type === 'record_updated', earlier: [] }}>
            <StepList steps={draft.steps} onChange={(steps) => change({ steps })} path="steps" ctx={{ ws, sheets, triggerSheet, errors }} />
          </PlaceholderScopeProvider>
          <p className="muted small">{t('wf.placeholdersHint')}</p>
        </fieldset>
        {message && (
          <p className="error" role="alert">
            {message}
          </p>
        )}
        <div className="wf-save-bar">
          <button type="submit" className="button primary" disabled={saving}>
            {saving ? t('grid.loading') : saved ? t('wf.saveVersion') : t('wf.create')}
          </button>
          {dirty && <span className="muted small">{t('wf.unsaved')}</span>}
        </div>
      </form>
      {saved && (
        <>
          <TestPanel ws={ws} workflow={saved} triggerSheet={triggerSheet} />
          <RunLog ws={ws} workflow={saved} />
        </>
      )}
    </section>
  );
}
