import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link } from 'wouter';
import { keys } from '../api/queries.js';
import { useI18n } from '../i18n/i18n.js';
import { cancelImport, importKey, importsKey, problemsUrl, type ImportJson } from './api.js';
import { ErrorText } from './ErrorText.js';
import { shownError, type Shown } from './errors.js';
import { ProblemsTable } from './ProblemsTable.js';
import { StatusBadge } from './StatusBadge.js';

/** A started import: its progress while it runs (with Cancel), then what it wrote and the rows it could not. */
export function ProgressView({ ws, item }: { ws: string; item: ImportJson }) {
  const { t, locale } = useI18n();
  const client = useQueryClient();
  const [error, setError] = useState<Shown>();
  const [cancelling, setCancelling] = useState(false);
  const running = item.status === 'running';
  const number = (n: number) => n.toLocaleString(locale);

  // When it ends, the sheets and records it wrote are shown fresh (a new sheet appears among the tabs).
  useEffect(() => {
    if (running) return;
    void client.invalidateQueries({ queryKey: keys.sheets(ws) });
    void client.invalidateQueries({ queryKey: ['records'] });
    void client.invalidateQueries({ queryKey: importsKey(ws) });
  }, [running, client, ws]);

  const cancel = async () => {
    setCancelling(true);
    setError(undefined);
    try {
      client.setQueryData(importKey(ws, item.id), await cancelImport(ws, item.id));
    } catch (err) {
      setError(shownError(err, t));
      setCancelling(false);
    }
  };

  return (
    <div className="import-progress">
      <p>
        <StatusBadge status={item.status} />
      </p>
      <progress className="import-bar" max={Math.max(item.rowCount, 1)} value={item.processed} aria-label={t('imports.progress')} />
      <p className="import-processed" aria-live="polite">
        {t('imports.processed', { processed: number(item.processed), rows: number(item.rowCount) })}
      </p>
      {running && (
        <button type="button" className="button" onClick={() => void cancel()} disabled={cancelling}>
          {cancelling ? t('imports.cancelling') : t('imports.cancel')}
        </button>
      )}
      <ErrorText shown={error} />
      {item.error && (
        <p className="banner warning" role="alert">
          {item.error}
        </p>
      )}
      {!running && (
        <dl className="import-counts">
          <div>
            <dt>{t('imports.inserted')}</dt>
            <dd>{number(item.inserted)}</dd>
          </div>
          <div>
            <dt>{t('imports.updated')}</dt>
            <dd>{number(item.updated)}</dd>
          </div>
          <div>
            <dt>{t('imports.skipped')}</dt>
            <dd>{number(item.skipped)}</dd>
          </div>
        </dl>
      )}
      {item.problemCount > 0 && (
        <section>
          <h2>
            {t('imports.problems')} ({number(item.problemCount)})
          </h2>
          <ProblemsTable item={item} />
          <a className="button" href={problemsUrl(ws, item.id)} download>
            {t('imports.downloadProblems')}
          </a>
        </section>
      )}
      {!running && (
        <p className="form-actions">
          {item.sheetId && item.status === 'done' && (
            <Link className="button primary" href={`/w/${ws}/s/${item.sheetId}`}>
              {t('imports.openSheet')}
            </Link>
          )}
          <Link className="button" href={`/w/${ws}/imports${item.sheetId ? `?sheet=${encodeURIComponent(item.sheetId)}` : ''}`}>
            {t('imports.another')}
          </Link>
        </p>
      )}
    </div>
  );
}
