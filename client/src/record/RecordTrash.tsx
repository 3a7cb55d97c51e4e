import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useState } from 'react';
import { api, ApiError } from '../api/http.js';
import { recordPath, sheetPath } from '../api/queries.js';
import type { RecordJson, Sheet } from '../api/types.js';
import { useToast } from '../app/toasts.js';
import { useI18n } from '../i18n/i18n.js';
import { refreshRecords } from './delete-records.js';
import { recordTitle } from './title.js';

/** GET …/records/deleted's page (docs/api.md "Record trash"). */
interface DeletedPage {
  records: { record: RecordJson; deletedAt: string; deletedBy: { id: string; name: string } | null }[];
  nextCursor: string | null;
}

const PAGE = 20;

/**
 * A sheet's deleted records in the trash, the latest first, searchable and paged, each restorable. Offered for the
 * sheets whose records the caller may delete (the server lists and restores only those).
 */
export function RecordTrash({ ws, sheets }: { ws: string; sheets: Sheet[] }) {
  const { t, locale } = useI18n();
  const toast = useToast();
  const client = useQueryClient();
  const ids = useId();
  const [chosen, setChosen] = useState(sheets[0]?.id ?? '');
  const sheet = sheets.find((s) => s.id === chosen) ?? sheets[0];
  const [search, setSearch] = useState('');
  const [term, setTerm] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => setTerm(search.trim()), 300);
    return () => clearTimeout(timer);
  }, [search]);
  const pages = useInfiniteQuery({
    queryKey: ['deleted-records', ws, sheet?.id, term],
    queryFn: ({ pageParam }) => {
      const query = new URLSearchParams({ limit: String(PAGE), ...(term ? { search: term } : {}), ...(pageParam ? { cursor: pageParam } : {}) });
      return api<DeletedPage>('GET', `${sheetPath(ws, sheet!.id)}/records/deleted?${query}`);
    },
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    enabled: sheet !== undefined,
  });
  if (!sheet) return null;
  const when = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
  const items = pages.data?.pages.flatMap((p) => p.records) ?? [];

  const restore = async (record: RecordJson) => {
    try {
      await api('POST', `${recordPath(ws, sheet.id, record.id)}/restore`);
      toast(t('trash.restored', { title: recordTitle(sheet, record, locale) }));
    } catch (error) {
      toast(error instanceof ApiError ? error.message : t('toast.error'), 'error');
    }
    await refreshRecords(client, ws);
  };

  return (
    <div className="record-trash">
      <h3>{t('trash.records')}</h3>
      <div className="record-trash-filters">
        <label htmlFor={`${ids}-sheet`} className="visually-hidden">
          {t('trash.sheet')}
        </label>
        <select id={`${ids}-sheet`} className="input" value={sheet.id} onChange={(e) => setChosen(e.target.value)}>
          {sheets.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </select>
        <input className="input" type="search" aria-label={t('trash.search')} placeholder={t('trash.search')} value={search} onChange={(e) => setSearch(e.target.value)} />
      </div>
      {pages.isError && <p className="error">{pages.error instanceof Error ? pages.error.message : t('toast.error')}</p>}
      {pages.isSuccess && items.length === 0 && <p className="muted">{t('trash.empty')}</p>}
      <ul aria-label={t('trash.records')}>
        {items.map(({ record, deletedAt, deletedBy }) => {
          const at = when.format(new Date(deletedAt));
          return (
            <li key={record.id}>
              <span className="record-trash-item">
                <strong>{recordTitle(sheet, record, locale)}</strong>
                <span className="muted">{deletedBy ? t('trash.deletedBy', { when: at, name: deletedBy.name }) : t('trash.deletedAt', { when: at })}</span>
              </span>
              <button type="button" className="button small" onClick={() => void restore(record)}>
                {t('schema.restore')}
              </button>
            </li>
          );
        })}
      </ul>
      {pages.hasNextPage && (
        <button type="button" className="button small" disabled={pages.isFetchingNextPage} onClick={() => void pages.fetchNextPage()}>
          {t('trash.more')}
        </button>
      )}
    </div>
  );
}
