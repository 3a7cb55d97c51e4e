import { useQueryClient } from '@tanstack/react-query';
import { useLocation } from 'wouter';
import { useAccess } from '../api/access.js';
import { postForm } from '../api/http.js';
import { keys, wsPath } from '../api/queries.js';
import { useToast } from '../app/toasts.js';
import { useI18n } from '../i18n/i18n.js';
import { useFilePick } from './use-file-pick.js';

interface Restored {
  workspace: { id: string; name: string };
  members: { notRestored: { email: string }[] };
}

/** Sends a backup file to POST /api/workspaces/restore (multipart) and answers the new workspace. */
function restoreBackup(file: File): Promise<Restored> {
  const form = new FormData();
  form.append('file', file);
  return postForm<Restored>('/api/workspaces/restore', form);
}

/**
 * Backup (owners and admins, as the server decides): the whole workspace as one file, and a backup file restored as a
 * new workspace, here or on another installation.
 */
export function WorkspaceBackup({ ws }: { ws: string }) {
  const { t } = useI18n();
  const access = useAccess(ws);
  const client = useQueryClient();
  const toast = useToast();
  const [, navigate] = useLocation();
  const picked = useFilePick(async (file) => {
    const result = await restoreBackup(file);
    await client.invalidateQueries({ queryKey: keys.me });
    toast(t('backup.restored', { name: result.workspace.name }));
    const missing = result.members.notRestored.map((m) => m.email);
    if (missing.length) toast(t('backup.notRestored', { emails: missing.join(', ') }), 'error');
    navigate(`/w/${result.workspace.id}`);
  });
  if (!access?.design || !access.members) return null;

  return (
    <section className="card gallery-own" aria-labelledby="workspace-backup">
      <h2 id="workspace-backup">{t('backup.title')}</h2>
      <div className="gallery-own-parts">
        <div>
          <h3>{t('backup.downloadTitle')}</h3>
          <p className="hint">{t('backup.downloadHint')}</p>
          <div className="gallery-actions">
            <a className="button" href={`${wsPath(ws)}/backup`} download>
              {t('backup.download')}
            </a>
          </div>
        </div>
        <div>
          <h3>{t('backup.restoreTitle')}</h3>
          <p className="hint">{t('backup.restoreHint')}</p>
          <div className="gallery-actions">
            <label className={`button primary${picked.busy ? ' disabled' : ''}`}>
              {picked.busy ? t('backup.restoring') : t('backup.chooseFile')}
              <input type="file" accept="application/zip,.zip" className="visually-hidden" disabled={picked.busy} onChange={picked.onChange} />
            </label>
          </div>
        </div>
      </div>
    </section>
  );
}
