import { useCallback, useState } from 'react';
import { Link } from 'wouter';
import { useDismiss } from '../app/use-dismiss.js';
import { useI18n } from '../i18n/i18n.js';
import { documentUrl, useDocuments } from './api.js';
import './documents.css';

/**
 * The record page's "Documents" menu: each of the sheet's documents opens rendered for this record in a new tab,
 * where the browser prints it (or saves it as PDF). Admins also get the template editor.
 */
export function DocumentsMenu({ ws, sheet, recordId, canDesign }: { ws: string; sheet: string; recordId: string; canDesign: boolean }) {
  const { t } = useI18n();
  const docs = useDocuments(ws, sheet).data ?? [];
  const [open, setOpen] = useState(false);
  const box = useDismiss<HTMLDivElement>(open, useCallback(() => setOpen(false), []));

  if (!docs.length && !canDesign) return null;
  return (
    <div className="documents-menu" ref={box}>
      <button type="button" className="button" aria-haspopup="menu" aria-expanded={open} onClick={() => setOpen(!open)}>
        {t('documents.menu')} ▾
      </button>
      {open && (
        <ul className="menu" role="menu" aria-label={t('documents.menu')}>
          {docs.map((doc) => (
            <li role="none" key={doc.id}>
              <a role="menuitem" href={documentUrl(ws, sheet, recordId, doc.id)} target="_blank" rel="noopener" onClick={() => setOpen(false)}>
                {doc.name}
              </a>
            </li>
          ))}
          {!docs.length && <li className="hint">{t('documents.none')}</li>}
          {canDesign && (
            <li role="none" className="documents-menu-edit">
              <Link role="menuitem" href={`/w/${ws}/s/${sheet}/documents?record=${encodeURIComponent(recordId)}`}>
                {t('documents.edit')}
              </Link>
            </li>
          )}
        </ul>
      )}
    </div>
  );
}
