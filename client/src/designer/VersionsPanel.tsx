import { useState } from 'react';
import { useFormVersion, useFormVersions, type Form } from '../api/forms.js';
import { useI18n } from '../i18n/i18n.js';
import { useDesigner } from './context.js';
import { FormPreview } from './Preview.js';
import type { FormSaver } from './use-form-save.js';

/** Published versions, newest first: view one, or make it the draft again (publish to bring it back). */
export function VersionsPanel({ form, saver }: { form: Form; saver: FormSaver }) {
  const { t, locale } = useI18n();
  const { ws, sheet } = useDesigner();
  const versions = useFormVersions(ws, sheet.id, form.id);
  const [viewing, setViewing] = useState<number | null>(null);
  if (versions.isPending) return <p className="loading">{t('grid.loading')}</p>;
  const list = [...(versions.data ?? [])].sort((a, b) => b.version - a.version);
  if (!list.length) return <p className="hint">{t('designer.noVersions')}</p>;
  const restore = (n: number) => {
    if (saver.dirty && !window.confirm(t('designer.restoreConfirm', { n }))) return;
    saver.restore(n);
  };
  return (
    <>
      <ul className="designer-versions">
        {list.map((v) => (
          <li key={v.version}>
            <div>
              <strong>{t('designer.versionN', { n: v.version })}</strong>
              {v.version === form.publishedVersion && <span className="designer-badge default">{t('designer.live')}</span>}
              <p className="hint">
                {new Date(v.publishedAt).toLocaleString(locale)}
                {v.publishedBy ? ` · ${v.publishedBy.name}` : ''}
              </p>
            </div>
            <button type="button" className="button small" onClick={() => setViewing(v.version)}>
              {t('designer.view')}
            </button>
            <button type="button" className="button small" onClick={() => restore(v.version)} disabled={saver.busy}>
              {t('designer.restore')}
            </button>
          </li>
        ))}
      </ul>
      {viewing !== null && <VersionDialog n={viewing} form={form} onClose={() => setViewing(null)} onRestore={() => { setViewing(null); restore(viewing); }} />}
    </>
  );
}

function VersionDialog({ n, form, onClose, onRestore }: { n: number; form: Form; onClose(): void; onRestore(): void }) {
  const { t } = useI18n();
  const { ws, sheet, fields } = useDesigner();
  const version = useFormVersion(ws, sheet.id, form.id, n);
  return (
    <div className="dialog-backdrop" role="presentation" onClick={onClose}>
      <div className="dialog card designer-version-dialog" role="dialog" aria-label={t('designer.versionN', { n })} onClick={(e) => e.stopPropagation()}>
        <h2>{t('designer.versionN', { n })}</h2>
        {version.data ? <FormPreview layout={version.data.layout} fields={fields} ws={ws} /> : <p className="loading">{t('grid.loading')}</p>}
        <div className="form-actions">
          <button type="button" className="button primary" onClick={onRestore}>
            {t('designer.restore')}
          </button>
          <button type="button" className="button" onClick={onClose}>
            {t('designer.close')}
          </button>
        </div>
      </div>
    </div>
  );
}
