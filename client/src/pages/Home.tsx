import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useLocation } from 'wouter';
import { api, ApiError } from '../api/http.js';
import { mayImport, sheetAccessOf, useAccess } from '../api/access.js';
import { keys, useSheets, wsPath } from '../api/queries.js';
import type { Sheet } from '../api/types.js';
import { useToast } from '../app/toasts.js';
import { useI18n } from '../i18n/i18n.js';
import { ImportButton } from '../imports/ImportButton.js';
import { RecordTrash } from '../record/RecordTrash.js';

/** A workspace's sheets, and a new one. */
export function HomePage({ ws }: { ws: string }) {
  const { t } = useI18n();
  const sheets = useSheets(ws);
  const client = useQueryClient();
  const toast = useToast();
  const [, navigate] = useLocation();
  const [name, setName] = useState('');
  const access = useAccess(ws);
  const canDesign = access?.design === true;
  // The sheets whose deleted records the caller may restore: their delete grant (the server's rule).
  const restorable = (sheets.data ?? []).filter((s) => sheetAccessOf(access, s.id).delete !== 'none');
  const create = async (event: FormEvent) => {
    event.preventDefault();
    try {
      const sheet = await api<Sheet>('POST', `${wsPath(ws)}/sheets`, { name });
      await client.invalidateQueries({ queryKey: keys.sheets(ws) });
      navigate(`/w/${ws}/s/${sheet.id}`);
    } catch (error) {
      toast(error instanceof ApiError ? error.message : t('toast.error'), 'error');
    }
  };
  return (
    <section className="home">
      <h1>{t('home.sheets')}</h1>
      {mayImport(access) && (
        <p className="home-actions">
          {canDesign && (
            <Link href={`/w/${ws}/templates`} className="button">
              {t('gallery.open')}
            </Link>
          )}
          <ImportButton ws={ws} />
        </p>
      )}
      {sheets.data?.length === 0 && <p className="empty">{t('home.empty')}</p>}
      <ul className="sheet-cards">
        {(sheets.data ?? []).map((s) => (
          <li key={s.id}>
            <Link href={`/w/${ws}/s/${s.id}`} className="card sheet-card">
              <strong>{s.name}</strong>
              <span className="muted">{s.fields.map((f) => f.name).slice(0, 5).join(' · ')}</span>
            </Link>
          </li>
        ))}
      </ul>
      {(canDesign || restorable.length > 0) && <Trash ws={ws} canDesign={canDesign} sheets={restorable} />}
      {canDesign && (
        <form className="inline-form" onSubmit={create}>
          <input className="input" aria-label={t('home.sheetName')} placeholder={t('home.sheetName')} value={name} onChange={(e) => setName(e.target.value)} required />
          <button className="button primary" type="submit">
            {t('home.newSheet')}
          </button>
        </form>
      )}
    </section>
  );
}

interface TrashItem {
  id: string;
  kind: 'sheet' | 'field' | 'field_version';
  name: string;
  deletedAt: string;
}

/**
 * Deleted sheets and fields (and the columns type changes replaced) for admins, and deleted records of the sheets the
 * caller may delete in, each restorable with its data.
 */
function Trash({ ws, canDesign, sheets }: { ws: string; canDesign: boolean; sheets: Sheet[] }) {
  const { t, locale } = useI18n();
  const client = useQueryClient();
  const toast = useToast();
  const items = useQuery({ queryKey: ['trash', ws], queryFn: () => api<TrashItem[]>('GET', `${wsPath(ws)}/trash`), enabled: canDesign });
  const designItems = canDesign ? (items.data ?? []) : [];
  if (!designItems.length && !sheets.length) return null;
  const restore = async (item: TrashItem) => {
    try {
      await api('POST', `${wsPath(ws)}/trash/${item.id}/restore`);
      await client.invalidateQueries({ queryKey: ['trash', ws] });
      await client.invalidateQueries({ queryKey: keys.sheets(ws) });
      await client.invalidateQueries({ queryKey: ['records'] });
    } catch (error) {
      toast(error instanceof ApiError ? error.message : t('toast.error'), 'error');
    }
  };
  return (
    <section className="trash card">
      <h2>{t('schema.trash')}</h2>
      {designItems.length > 0 && (
        <ul>
          {designItems.map((item) => (
            <li key={item.id}>
              <span>
                {item.name} <span className="muted">({t(`trash.kind.${item.kind}`)}, {new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(item.deletedAt))})</span>
              </span>
              <button type="button" className="button small" onClick={() => void restore(item)}>
                {t('schema.restore')}
              </button>
            </li>
          ))}
        </ul>
      )}
      {sheets.length > 0 && <RecordTrash ws={ws} sheets={sheets} />}
    </section>
  );
}
