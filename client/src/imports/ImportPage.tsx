import { Link, useSearch } from 'wouter';
import { useI18n } from '../i18n/i18n.js';
import { useImport } from './api.js';
import { ErrorText } from './ErrorText.js';
import { shownError } from './errors.js';
import { ProgressView } from './ProgressView.js';
import { SetupView } from './SetupView.js';
import './imports.css';

/** /w/:ws/imports/:id: the wizard while the import is previewed, its progress and result after (a reload finds it). */
export function ImportPage({ ws, id }: { ws: string; id: string }) {
  const { t } = useI18n();
  const item = useImport(ws, id);
  const preset = new URLSearchParams(useSearch()).get('sheet');
  return (
    <section className="imports-page">
      <Link href={`/w/${ws}/imports`} className="back">
        ← {t('imports.all')}
      </Link>
      <h1>{item.data ? t('imports.heading', { number: item.data.number, file: item.data.fileName }) : t('imports.title')}</h1>
      {item.isError && <ErrorText shown={shownError(item.error, t)} />}
      {item.data && (item.data.status === 'previewed' ? <SetupView ws={ws} item={item.data} presetSheet={preset} /> : <ProgressView ws={ws} item={item.data} />)}
    </section>
  );
}
