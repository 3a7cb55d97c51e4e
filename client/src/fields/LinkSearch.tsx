import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../api/http.js';
import { listUrl, useSheets } from '../api/queries.js';
import type { LinkRef, Page } from '../api/types.js';
import { useI18n } from '../i18n/i18n.js';
import { formatValue } from './format.js';

interface Props {
  workspaceId: string;
  /** The linked sheet's id. */
  sheet: string;
  /** Records already linked: not offered again. */
  linked: readonly LinkRef[];
  onPick(link: LinkRef): void;
}

/** A search of a linked sheet (by its search, 8 at a time) offering records to link, titled by their primary field. */
export function LinkSearch({ workspaceId, sheet, linked, onPick }: Props) {
  const { t, locale } = useI18n();
  const [search, setSearch] = useState('');
  const target = useSheets(workspaceId).data?.find((s) => s.id === sheet);
  const primary = target?.fields.find((f) => f.id === target.primaryFieldId);
  const results = useQuery({
    queryKey: ['link-search', workspaceId, sheet, search],
    queryFn: () => api<Page>('GET', listUrl(workspaceId, sheet, { search }, 8)),
    enabled: search.length > 0,
  });
  const label = t('link.search', { sheet: target?.name ?? '' });
  const offered = (results.data?.records ?? []).filter((r) => !linked.some((l) => l.id === r.id));
  return (
    <>
      <input className="input" placeholder={label} aria-label={label} value={search} onChange={(e) => setSearch(e.target.value)} />
      {search && (
        <ul className="link-results" role="listbox">
          {offered.map((r) => {
            const title = primary ? formatValue(primary, r.fields[primary.name], locale) || r.id : r.id;
            return (
              <li key={r.id}>
                <button
                  type="button"
                  role="option"
                  aria-selected={false}
                  onClick={() => {
                    onPick({ id: r.id, title });
                    setSearch('');
                  }}
                >
                  {title}
                </button>
              </li>
            );
          })}
          {results.isSuccess && offered.length === 0 && <li className="hint">{t('grid.empty')}</li>}
        </ul>
      )}
    </>
  );
}
