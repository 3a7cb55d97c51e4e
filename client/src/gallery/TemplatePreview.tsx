import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { localize, type Language } from '../../../schema-engine/templates/text.js';
import { api } from '../api/http.js';
import { useI18n } from '../i18n/i18n.js';
import { TemplateFormPreview } from './FormPreview.js';
import type { TemplateDetail } from './types.js';

/** A template's sheets (fields, sample record count) and each one's forms, read-only, one form at a time. */
export function TemplatePreview({ templateKey, language }: { templateKey: string; language: Language }) {
  const { t } = useI18n();
  const detail = useQuery({ queryKey: ['template', templateKey], queryFn: () => api<TemplateDetail>('GET', `/api/templates/${encodeURIComponent(templateKey)}`) });
  const [chosen, setChosen] = useState(0);
  if (!detail.data) return <p className="loading">{t('grid.loading')}</p>;
  const sheets = detail.data.sheets;
  const forms = sheets.flatMap((sheet) => (sheet.forms ?? []).map((form) => ({ sheet, form })));
  const current = forms[Math.min(chosen, forms.length - 1)];
  return (
    <div className="gallery-preview">
      <ul className="gallery-sheet-details">
        {sheets.map((sheet) => (
          <li key={sheet.key}>
            <strong>{localize(sheet.name, language)}</strong>{' '}
            <span className="muted">
              {t('gallery.sheetSummary', { fields: sheet.fields.length, records: sheet.recordCount })}: {sheet.fields.map((f) => localize(f.name, language)).join(' · ')}
            </span>
          </li>
        ))}
      </ul>
      {current && (
        <>
          <div className="gallery-form-tabs" role="tablist" aria-label={t('gallery.forms')}>
            {forms.map(({ sheet, form }, i) => (
              <button key={`${sheet.key}-${i}`} type="button" role="tab" aria-selected={form === current.form} className={form === current.form ? 'active' : ''} onClick={() => setChosen(i)}>
                {localize(form.name, language)}
              </button>
            ))}
          </div>
          <TemplateFormPreview key={`${current.sheet.key}-${chosen}`} sheet={current.sheet} sheets={sheets} layout={current.form.layout} language={language} />
        </>
      )}
    </div>
  );
}
