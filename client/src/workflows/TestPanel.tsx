import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, ApiError } from '../api/http.js';
import { listUrl } from '../api/queries.js';
import type { Page, Sheet } from '../api/types.js';
import type { MessageKey } from '../i18n/en.js';
import { useI18n } from '../i18n/i18n.js';
import { testWorkflow, type StepPreview, type Workflow } from './api.js';

/** A record's label in pickers: its primary field, else its id. */
export const recordLabel = (sheet: Sheet | undefined, record: { id: string; fields: Record<string, unknown> }) => {
  const primary = sheet?.fields.find((f) => f.id === sheet.primaryFieldId);
  const value = primary ? record.fields[primary.name] : undefined;
  return value === undefined || value === null || value === '' ? record.id : `${String(value)} (${record.id})`;
};

/** "Test": what each step of the saved version would do on a chosen record, doing nothing (POST …/test). */
export function TestPanel({ ws, workflow, triggerSheet }: { ws: string; workflow: Workflow; triggerSheet: Sheet | undefined }) {
  const { t } = useI18n();
  const [recordId, setRecordId] = useState('');
  const [result, setResult] = useState<StepPreview[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const records = useQuery({
    queryKey: ['records', ws, triggerSheet?.id ?? '', 'test-picker'],
    queryFn: () => api<Page>('GET', listUrl(ws, triggerSheet!.id, {}, 50)),
    enabled: triggerSheet !== undefined,
  });
  const run = async () => {
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      setResult((await testWorkflow(ws, workflow.id, recordId.trim())).steps);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : t('toast.error'));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="card wf-test" aria-label={t('wf.test')}>
      <h2>{t('wf.test')}</h2>
      {!triggerSheet ? (
        <p className="muted">{t('wf.testNoSheet')}</p>
      ) : (
        <>
          <p className="muted small">{t('wf.testIntro', { n: workflow.version })}</p>
          <form
            className="wf-inline"
            onSubmit={(e) => {
              e.preventDefault();
              void run();
            }}
          >
            <select className="input slim" aria-label={t('wf.testPick')} value="" onFocus={() => void records.refetch()} onChange={(e) => e.target.value && setRecordId(e.target.value)}>
              <option value="">{t('wf.testPick')}</option>
              {(records.data?.records ?? []).map((r) => (
                <option key={r.id} value={r.id}>
                  {recordLabel(triggerSheet, r)}
                </option>
              ))}
            </select>
            <input className="input slim" aria-label={t('wf.recordId')} placeholder={t('wf.recordId')} value={recordId} onChange={(e) => setRecordId(e.target.value)} />
            <button type="submit" className="button" disabled={busy || !recordId.trim()}>
              {t('wf.runTest')}
            </button>
          </form>
        </>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {result && (
        <ol className="wf-preview">
          {result.map((step) => (
            <li key={step.index} className={`wf-preview-${step.status}`}>
              <strong>
                {step.index + 1}. {t(`wf.step.${step.type}` as MessageKey)}
              </strong>{' '}
              <span className={`chip wf-status wf-status-${step.status}`}>{t(`wf.preview.${step.status}` as MessageKey)}</span>
              {step.error && <p className="error">{step.error}</p>}
              {step.would !== undefined && <pre className="wf-json">{JSON.stringify(step.would, null, 2)}</pre>}
            </li>
          ))}
          {result.length === 0 && <li className="muted">{t('wf.noSteps')}</li>}
        </ol>
      )}
    </section>
  );
}
