import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useLocation, useSearch } from 'wouter';
import { useSheets } from '../api/queries.js';
import { useI18n } from '../i18n/i18n.js';
import { importKey, importsKey, uploadImport, useImports } from './api.js';
import { Dropzone } from './Dropzone.js';
import { ErrorText } from './ErrorText.js';
import { shownError, type Shown } from './errors.js';
import { StatusBadge } from './StatusBadge.js';
import './imports.css';

/** /w/:ws/imports: upload a file (into the sheet of `?sheet=`, or a new one), and the user's recent imports. */
export function ImportsPage({ ws }: { ws: string }) {
  const { t, locale } = useI18n();
  const client = useQueryClient();
  const [, navigate] = useLocation();
  const sheet = new URLSearchParams(useSearch()).get('sheet');
  const sheetName = useSheets(ws).data?.find((s) => s.id === sheet)?.name;
  const imports = useImports(ws);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Shown>();
  const upload = async (file: File) => {
    setBusy(true);
    setError(undefined);
    try {
      const created = await uploadImport(ws, file);
      client.setQueryData(importKey(ws, created.id), created);
      void client.invalidateQueries({ queryKey: importsKey(ws) });
      navigate(`/w/${ws}/imports/${created.id}${sheet ? `?sheet=${encodeURIComponent(sheet)}` : ''}`);
    } catch (err) {
      setError({ ...shownError(err, t), message: `${t('imports.uploadFailed', { name: file.name })} ${shownError(err, t).message}` });
      setBusy(false);
    }
  };
  const when = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
  return (
    <section className="imports-page">
      <h1>{sheetName ? t('imports.titleInto', { sheet: sheetName }) : t('imports.title')}</h1>
      <ol className="import-steps" aria-label={t('imports.steps')}>
        <li aria-current="step">{t('imports.step.upload')}</li>
        <li>{t('imports.step.preview')}</li>
        <li>{t('imports.step.map')}</li>
        <li>{t('imports.step.options')}</li>
      </ol>
      <Dropzone busy={busy} onFile={(file) => void upload(file)} />
      <ErrorText shown={error} />
      <h2>{t('imports.recent')}</h2>
      {imports.data?.length === 0 && <p className="muted">{t('imports.none')}</p>}
      {(imports.data?.length ?? 0) > 0 && (
        <div className="table-scroll">
          <table className="linked-table import-list">
            <thead>
              <tr>
                <th>#</th>
                <th>{t('imports.file')}</th>
                <th>{t('imports.status')}</th>
                <th>{t('imports.rows')}</th>
                <th>{t('imports.created')}</th>
              </tr>
            </thead>
            <tbody>
              {imports.data!.map((item) => (
                <tr key={item.id}>
                  <td>{item.number}</td>
                  <td>
                    <Link href={`/w/${ws}/imports/${item.id}`}>{item.fileName}</Link>
                  </td>
                  <td>
                    <StatusBadge status={item.status} />
                  </td>
                  <td className="num">{item.rowCount.toLocaleString(locale)}</td>
                  <td>{when.format(new Date(item.createdAt))}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
