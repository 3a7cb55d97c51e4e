import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useLocation } from 'wouter';
import { LOCALES, useI18n, type Locale } from '../i18n/i18n.js';
import { api, ApiError } from '../api/http.js';
import { keys, wsPath } from '../api/queries.js';
import { useToast } from '../app/toasts.js';
import { TemplatePreview } from './TemplatePreview.js';
import type { TemplateSummary } from './types.js';
import { WorkspaceBackup } from './WorkspaceBackup.js';
import { WorkspaceTemplate } from './WorkspaceTemplate.js';

/** The template library: a card per template, its sheets, a preview of its forms, and an install. */
export function GalleryPage({ ws }: { ws: string }) {
  const { t, locale } = useI18n();
  const templates = useQuery({ queryKey: ['templates', locale], queryFn: () => api<TemplateSummary[]>('GET', `/api/templates?language=${locale}`) });
  return (
    <section className="gallery">
      <p>
        <Link href={`/w/${ws}`}>← {t('home.sheets')}</Link>
      </p>
      <h1>{t('gallery.title')}</h1>
      <p className="hint">{t('gallery.intro')}</p>
      {templates.isPending && <p className="loading">{t('grid.loading')}</p>}
      <ul className="gallery-cards">
        {(templates.data ?? []).map((template) => (
          <li key={template.key}>
            <TemplateCard ws={ws} template={template} />
          </li>
        ))}
      </ul>
      <WorkspaceTemplate ws={ws} />
      <WorkspaceBackup ws={ws} />
    </section>
  );
}

function TemplateCard({ ws, template }: { ws: string; template: TemplateSummary }) {
  const { t, locale } = useI18n();
  const client = useQueryClient();
  const toast = useToast();
  const [, navigate] = useLocation();
  const [sampleData, setSampleData] = useState(true);
  const [language, setLanguage] = useState<Locale>(locale);
  const [previewing, setPreviewing] = useState(false);
  const [busy, setBusy] = useState(false);
  const install = async () => {
    setBusy(true);
    try {
      const result = await api<{ sheets: { id: string; name: string }[] }>('POST', `${wsPath(ws)}/templates/${encodeURIComponent(template.key)}/install`, { sampleData, language });
      await client.invalidateQueries({ queryKey: keys.sheets(ws) });
      toast(t('gallery.installed', { name: template.name }));
      const first = result.sheets[0];
      navigate(first ? `/w/${ws}/s/${first.id}` : `/w/${ws}`);
    } catch (error) {
      toast(error instanceof ApiError ? error.message : t('toast.error'), 'error');
      setBusy(false);
    }
  };
  const headingId = `gallery-${template.key}`;
  return (
    <article className="card gallery-card" aria-labelledby={headingId}>
      <h2 id={headingId}>{template.name}</h2>
      <p>{template.description}</p>
      <p className="gallery-sheets-label muted">{t('gallery.sheets')}</p>
      <ul className="gallery-sheets">
        {template.sheets.map((name) => (
          <li key={name}>{name}</li>
        ))}
      </ul>
      {template.roles.length > 0 && (
        <>
          <p className="gallery-sheets-label muted">{t('gallery.roles')}</p>
          <ul className="gallery-sheets">
            {template.roles.map((name) => (
              <li key={name}>{name}</li>
            ))}
          </ul>
        </>
      )}
      <div className="gallery-actions">
        <label className="gallery-option">
          <input type="checkbox" checked={sampleData} onChange={(e) => setSampleData(e.target.checked)} /> {t('gallery.sampleData')}
        </label>
        <label className="gallery-option">
          {t('gallery.language')}{' '}
          <select className="input slim" value={language} onChange={(e) => setLanguage(e.target.value as Locale)}>
            {Object.entries(LOCALES).map(([code, name]) => (
              <option key={code} value={code}>
                {name}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="button" aria-expanded={previewing} onClick={() => setPreviewing((p) => !p)}>
          {previewing ? t('gallery.hidePreview') : t('gallery.preview')}
        </button>
        <button type="button" className="button primary" disabled={busy} onClick={() => void install()}>
          {busy ? t('gallery.installing') : t('gallery.install', { name: template.name })}
        </button>
      </div>
      {previewing && <TemplatePreview templateKey={template.key} language={language} />}
    </article>
  );
}
