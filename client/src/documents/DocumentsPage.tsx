import { useCallback, useState, type FormEvent } from 'react';
import { Link, useLocation, useSearch } from 'wouter';
import { ApiError } from '../api/http.js';
import { useAccess } from '../api/access.js';
import { useSheets } from '../api/queries.js';
import { useToast } from '../app/toasts.js';
import { useI18n } from '../i18n/i18n.js';
import { useDocumentMutations, useDocuments } from './api.js';
import { TemplateEditor } from './TemplateEditor.js';
import './documents.css';

/** Admins' document templates of a sheet: the list (create, open), and the open one in the editor. */
export function DocumentsPage({ ws, sheet: sheetRef, doc: docId }: { ws: string; sheet: string; doc?: string }) {
  const { t, locale } = useI18n();
  const toast = useToast();
  const [, navigate] = useLocation();
  const search = new URLSearchParams(useSearch());
  const recordId = search.get('record') ?? undefined;
  const sheet = useSheets(ws).data?.find((s) => s.id === sheetRef || s.name === sheetRef);
  const access = useAccess(ws);
  const docs = useDocuments(ws, sheet?.id ?? sheetRef);
  const { create } = useDocumentMutations(ws, sheet?.id ?? sheetRef);
  const [name, setName] = useState('');
  const base = `/w/${ws}/s/${sheet?.id ?? sheetRef}/documents`;
  const query = recordId ? `?record=${encodeURIComponent(recordId)}` : '';
  const open = (id?: string, record = recordId) => navigate(`${base}${id ? `/${id}` : ''}${record ? `?record=${encodeURIComponent(record)}` : ''}`, { replace: true });
  const onRecord = useCallback(
    (id: string) => navigate(`${base}${docId ? `/${docId}` : ''}?record=${encodeURIComponent(id)}`, { replace: true }),
    [navigate, base, docId],
  );

  if (!sheet) return <p className="loading">{t('grid.loading')}</p>;
  if (access && !access.design) return <p className="error">{t('documents.adminsOnly')}</p>;
  const current = docs.data?.find((d) => d.id === docId) ?? (docId ? undefined : docs.data?.[0]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    try {
      const created = await create.mutateAsync({ name: name.trim(), locale });
      setName('');
      open(created.id);
    } catch (error) {
      toast(error instanceof ApiError ? error.message : t('toast.error'), 'error');
    }
  };

  return (
    <section className="documents-page">
      <div className="toolbar">
        <Link href={recordId ? `/w/${ws}/s/${sheet.id}/r/${recordId}` : `/w/${ws}/s/${sheet.id}`} className="button small">
          ← {sheet.name}
        </Link>
        <h1>{t('documents.title', { sheet: sheet.name })}</h1>
      </div>
      <div className="documents-layout">
        <aside className="documents-list">
          <nav aria-label={t('documents.menu')}>
            {docs.data?.map((d) => (
              <Link key={d.id} href={`${base}/${d.id}${query}`} className={`tab${d.id === current?.id ? ' active' : ''}`} aria-current={d.id === current?.id ? 'page' : undefined}>
                {d.name}
              </Link>
            ))}
          </nav>
          {docs.data?.length === 0 && <p className="hint">{t('documents.noneYet')}</p>}
          <form className="documents-new" onSubmit={(e) => void submit(e)}>
            <label>
              <span className="hint">{t('documents.newName')}</span>
              <input className="input" value={name} onChange={(e) => setName(e.target.value)} required maxLength={255} />
            </label>
            <button type="submit" className="button primary" disabled={create.isPending || !name.trim()}>
              {t('documents.create')}
            </button>
          </form>
        </aside>
        {current ? (
          <TemplateEditor key={current.id} ws={ws} sheet={sheet} doc={current} recordId={recordId} onRecord={onRecord} onDeleted={() => open(undefined)} />
        ) : (
          docs.data && <p className="empty">{docId ? t('documents.notFound') : t('documents.pick')}</p>
        )}
      </div>
    </section>
  );
}
