import { useState } from 'react';
import { Link, useLocation } from 'wouter';
import { useAccess } from '../api/access.js';
import { useToast } from '../app/toasts.js';
import type { MessageKey } from '../i18n/en.js';
import { useI18n } from '../i18n/i18n.js';
import { errorText } from '../team/common.js';
import { useRuns, useWorkflowMutations, useWorkflows, type Workflow } from './api.js';
import { useTriggerSummary } from './TriggerForm.js';
import './workflows.css';

/** Workflow pages are for roles with the design permission; anyone else is told so (the server refuses anyway). */
export function DesignGate({ ws, children }: { ws: string; children: React.ReactNode }) {
  const { t } = useI18n();
  const access = useAccess(ws);
  if (!access) return <p className="loading">{t('grid.loading')}</p>;
  if (!access.design) return <p className="error">{t('wf.denied')}</p>;
  return <>{children}</>;
}

/** A workspace's workflows: name, trigger, on/off, the last runs; create, rename, delete. */
export function WorkflowsPage({ ws }: { ws: string }) {
  const { t } = useI18n();
  return (
    <DesignGate ws={ws}>
      <section className="wf-page">
        <div className="wf-head">
          <h1>{t('wf.title')}</h1>
          <span className="spacer" />
          <Link href={`/w/${ws}/webhooks`} className="button">
            {t('hooks.nav')}
          </Link>
          <Link href={`/w/${ws}/workflows/new`} className="button primary">
            {t('wf.new')}
          </Link>
        </div>
        <p className="muted">{t('wf.intro')}</p>
        <WorkflowList ws={ws} />
      </section>
    </DesignGate>
  );
}

function WorkflowList({ ws }: { ws: string }) {
  const { t } = useI18n();
  const list = useWorkflows(ws);
  if (list.isPending) return <p className="loading">{t('grid.loading')}</p>;
  if (list.isError) return <p className="error">{list.error.message}</p>;
  if (!list.data.length) return <p className="muted">{t('wf.empty')}</p>;
  return (
    <ul className="wf-list" aria-label={t('wf.title')}>
      {list.data.map((wf) => (
        <WorkflowRow key={wf.id} ws={ws} wf={wf} />
      ))}
    </ul>
  );
}

function WorkflowRow({ ws, wf }: { ws: string; wf: Workflow }) {
  const { t } = useI18n();
  const toast = useToast();
  const [, navigate] = useLocation();
  const summary = useTriggerSummary();
  const { update, remove } = useWorkflowMutations(ws);
  const [renaming, setRenaming] = useState<string | null>(null);
  // The switch moves at once; it goes back if the server refuses.
  const [switching, setSwitching] = useState<boolean | null>(null);
  const fail = (error: unknown) => toast(errorText(error, t('toast.error')), 'error');
  const rename = async () => {
    if (renaming === null || !renaming.trim() || renaming === wf.name) return setRenaming(null);
    try {
      await update.mutateAsync({ id: wf.id, patch: { name: renaming.trim() } });
      setRenaming(null);
    } catch (error) {
      fail(error);
    }
  };
  return (
    <li className="card wf-row" data-workflow={wf.id}>
      <div className="wf-row-main">
        {renaming === null ? (
          <Link href={`/w/${ws}/workflows/${wf.id}`} className="wf-name">
            {wf.name}
          </Link>
        ) : (
          <form
            className="wf-inline"
            onSubmit={(e) => {
              e.preventDefault();
              void rename();
            }}
          >
            <input className="input slim" aria-label={t('wf.name')} value={renaming} autoFocus onChange={(e) => setRenaming(e.target.value)} />
            <button type="submit" className="button small primary">
              {t('wf.save')}
            </button>
            <button type="button" className="button small" onClick={() => setRenaming(null)}>
              {t('wf.cancel')}
            </button>
          </form>
        )}
        <span className="muted">{summary(wf.trigger)}</span>
        <span className="muted small">
          {t('wf.versionN', { n: wf.version })} · {t('wf.stepsN', { n: wf.steps.length })}
        </span>
      </div>
      <LastRuns ws={ws} id={wf.id} />
      <div className="wf-row-actions">
        <label className="check">
          <input
            type="checkbox"
            role="switch"
            checked={switching ?? wf.enabled}
            aria-label={t('wf.enabledFor', { name: wf.name })}
            onChange={(e) => {
              setSwitching(e.target.checked);
              update
                .mutateAsync({ id: wf.id, patch: { enabled: e.target.checked } })
                .catch(fail)
                .finally(() => setSwitching(null));
            }}
          />{' '}
          {t((switching ?? wf.enabled) ? 'wf.on' : 'wf.off')}
        </label>
        <button type="button" className="button small" onClick={() => setRenaming(wf.name)}>
          {t('wf.rename')}
        </button>
        <button type="button" className="button small" onClick={() => navigate(`/w/${ws}/workflows/${wf.id}`)}>
          {t('wf.edit')}
        </button>
        <button
          type="button"
          className="button small danger"
          onClick={() => {
            if (window.confirm(t('wf.confirmDelete', { name: wf.name }))) remove.mutateAsync(wf.id).then(() => toast(t('wf.deleted')), fail);
          }}
        >
          {t('wf.delete')}
        </button>
      </div>
    </li>
  );
}

/** The statuses of a workflow's last five runs, newest first. */
function LastRuns({ ws, id }: { ws: string; id: string }) {
  const { t } = useI18n();
  const runs = useRuns(ws, id, '', false).data?.pages[0]?.runs.slice(0, 5) ?? [];
  if (!runs.length) return <span className="muted small wf-last">{t('wf.noRuns')}</span>;
  return (
    <span className="wf-last" aria-label={t('wf.lastRuns')}>
      {runs.map((r) => (
        <RunStatus key={r.id} status={r.status} />
      ))}
    </span>
  );
}

export function RunStatus({ status }: { status: string }) {
  const { t } = useI18n();
  return <span className={`chip wf-status wf-status-${status}`}>{t(`wf.status.${status}` as MessageKey)}</span>;
}
