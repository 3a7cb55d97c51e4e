import { useState } from 'react';
import { useToast } from '../app/toasts.js';
import type { MessageKey } from '../i18n/en.js';
import { useI18n } from '../i18n/i18n.js';
import { errorText } from '../team/common.js';
import { RUN_STATUSES, useRunActions, useRuns, type Run, type Workflow } from './api.js';
import { RunStatus } from './WorkflowsPage.js';

const LIVE = new Set(['queued', 'running', 'waiting']);

/** The workflow's runs, newest first: a status filter, "Load more" by cursor; each run's steps; Retry and Cancel. */
export function RunLog({ ws, workflow }: { ws: string; workflow: Workflow }) {
  const { t } = useI18n();
  const [status, setStatus] = useState('');
  const runs = useRuns(ws, workflow.id, status);
  const list = runs.data?.pages.flatMap((p) => p.runs) ?? [];
  return (
    <section className="card wf-runs" aria-label={t('wf.runLog')}>
      <div className="wf-head">
        <h2>{t('wf.runLog')}</h2>
        <span className="spacer" />
        <select className="input slim" aria-label={t('wf.statusFilter')} value={status} onChange={(e) => setStatus(e.target.value)}>
          <option value="">{t('wf.allStatuses')}</option>
          {RUN_STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`wf.status.${s}` as MessageKey)}
            </option>
          ))}
        </select>
        <button type="button" className="button small" onClick={() => void runs.refetch()}>
          {t('wf.refresh')}
        </button>
      </div>
      {runs.isPending && <p className="loading">{t('grid.loading')}</p>}
      {runs.isError && <p className="error">{runs.error.message}</p>}
      {!runs.isPending && list.length === 0 && <p className="muted">{t('wf.noRuns')}</p>}
      <ol className="wf-run-list">
        {list.map((run) => (
          <RunItem key={run.id} ws={ws} run={run} />
        ))}
      </ol>
      {runs.hasNextPage && (
        <button type="button" className="button" disabled={runs.isFetchingNextPage} onClick={() => void runs.fetchNextPage()}>
          {runs.isFetchingNextPage ? t('grid.loading') : t('audit.more')}
        </button>
      )}
    </section>
  );
}

function RunItem({ ws, run }: { ws: string; run: Run }) {
  const { t, locale } = useI18n();
  const toast = useToast();
  const { retry, cancel } = useRunActions(ws);
  const [open, setOpen] = useState(false);
  const when = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'medium' });
  const act = (action: typeof retry, done: MessageKey) => action.mutateAsync(run.id).then(() => toast(t(done)), (e: unknown) => toast(errorText(e, t('toast.error')), 'error'));
  return (
    <li className="wf-run" data-run={run.id} data-status={run.status}>
      <div className="wf-run-head">
        <button type="button" className="link" aria-expanded={open} onClick={() => setOpen(!open)}>
          {open ? '▾' : '▸'} <time dateTime={run.startedAt}>{when.format(new Date(run.startedAt))}</time>
        </button>
        <RunStatus status={run.status} />
        <span className="muted small">
          {t('wf.versionN', { n: run.version })}
          {run.recordId ? ` · ${t('wf.recordN', { id: run.recordId })}` : ''}
        </span>
        <span className="spacer" />
        {(run.status === 'failed' || run.status === 'cancelled') && (
          <button type="button" className="button small" disabled={retry.isPending} onClick={() => void act(retry, 'wf.retried')}>
            {t('wf.retry')}
          </button>
        )}
        {LIVE.has(run.status) && (
          <button type="button" className="button small danger" disabled={cancel.isPending} onClick={() => void act(cancel, 'wf.cancelled')}>
            {t('wf.cancelRun')}
          </button>
        )}
      </div>
      {run.error && <p className="error small">{run.error}</p>}
      {open && (
        <ol className="wf-run-steps">
          {run.steps.map((step) => (
            <li key={step.index}>
              <strong>
                {step.index + 1}. {t(`wf.step.${step.type}` as MessageKey)}
              </strong>{' '}
              <RunStatus status={step.status} /> <span className="muted small">{t('wf.attempts', { n: step.attempts })}</span>
              {step.error && <p className="error small">{step.error}</p>}
              {step.output !== undefined && step.output !== null && <pre className="wf-json">{JSON.stringify(step.output, null, 2)}</pre>}
            </li>
          ))}
          {run.steps.length === 0 && <li className="muted">{t('wf.noStepsRun')}</li>}
        </ol>
      )}
    </li>
  );
}
