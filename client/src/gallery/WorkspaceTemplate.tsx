import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useLocation } from 'wouter';
import { api } from '../api/http.js';
import { keys, useMe, wsPath } from '../api/queries.js';
import { useToast } from '../app/toasts.js';
import { useI18n } from '../i18n/i18n.js';
import { useFilePick } from './use-file-pick.js';

/** A file name from a workspace name: what the download is saved as. */
const fileName = (name: string) => `${name.replace(/[\\/:*?"<>|\u0000-\u001f]+/g, ' ').trim() || 'workspace'}.json`;

/**
 * Save as template: the workspace downloaded as a template file (optionally with its records), and a template file
 * (from here or another installation) installed into the workspace, through the same installer as the gallery.
 */
export function WorkspaceTemplate({ ws }: { ws: string }) {
  const { t, locale } = useI18n();
  const client = useQueryClient();
  const toast = useToast();
  const [, navigate] = useLocation();
  const [withRecords, setWithRecords] = useState(false);
  const [sampleData, setSampleData] = useState(true);
  const workspace = useMe().data?.workspaces.find((w) => w.id === ws);

  const picked = useFilePick(async (file) => {
    let template: unknown;
    try {
      template = JSON.parse(await file.text());
    } catch {
      throw new Error(t('gallery.notJson', { name: file.name }));
    }
    const result = await api<{ sheets: { id: string }[] }>('POST', `${wsPath(ws)}/template-import`, { template, sampleData, language: locale });
    await client.invalidateQueries({ queryKey: keys.sheets(ws) });
    toast(t('gallery.imported', { name: file.name }));
    const first = result.sheets[0];
    navigate(first ? `/w/${ws}/s/${first.id}` : `/w/${ws}`);
  });

  return (
    <section className="card gallery-own" aria-labelledby="gallery-own">
      <h2 id="gallery-own">{t('gallery.ownTitle')}</h2>
      <div className="gallery-own-parts">
        <div>
          <h3>{t('gallery.exportTitle')}</h3>
          <p className="hint">{t('gallery.exportHint')}</p>
          <div className="gallery-actions">
            <label className="gallery-option">
              <input type="checkbox" checked={withRecords} onChange={(e) => setWithRecords(e.target.checked)} /> {t('gallery.withRecords')}
            </label>
            <a className="button" href={`${wsPath(ws)}/template-export?records=${withRecords}`} download={fileName(workspace?.name ?? '')}>
              {t('gallery.download')}
            </a>
          </div>
        </div>
        <div>
          <h3>{t('gallery.importTitle')}</h3>
          <p className="hint">{t('gallery.importHint')}</p>
          <div className="gallery-actions">
            <label className="gallery-option">
              <input type="checkbox" checked={sampleData} onChange={(e) => setSampleData(e.target.checked)} /> {t('gallery.importRecords')}
            </label>
            <label className={`button primary${picked.busy ? ' disabled' : ''}`}>
              {picked.busy ? t('gallery.installing') : t('gallery.chooseFile')}
              <input type="file" accept="application/json,.json" className="visually-hidden" disabled={picked.busy} onChange={picked.onChange} />
            </label>
          </div>
        </div>
      </div>
    </section>
  );
}
