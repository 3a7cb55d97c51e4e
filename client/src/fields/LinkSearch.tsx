import { useQuery } from '@tanstack/react-query';
import { useState, type RefObject } from 'react';
import { api } from '../api/http.js';
import { listUrl, useSheets } from '../api/queries.js';
import type { LinkRef, Page } from '../api/types.js';
import { useI18n } from '../i18n/i18n.js';
import { Combobox } from './Combobox.js';
import { recordTitle } from '../record/title.js';

interface Props {
  workspaceId: string;
  /** The linked sheet's id. */
  sheet: string;
  /** Records already linked: not offered again. */
  linked: readonly LinkRef[];
  onPick(link: LinkRef): void;
  autoFocus?: boolean | undefined;
  invalid?: boolean | undefined;
  inputRef?: RefObject<HTMLInputElement | null> | undefined;
}

/** A search of a linked sheet (by its search, 8 at a time) offering records to link, titled by their primary field. */
export function LinkSearch({ workspaceId, sheet, linked, onPick, autoFocus, invalid, inputRef }: Props) {
  const { t, locale } = useI18n();
  const [search, setSearch] = useState('');
  const target = useSheets(workspaceId).data?.find((s) => s.id === sheet);
  const results = useQuery({
    queryKey: ['link-search', workspaceId, sheet, search],
    queryFn: () => api<Page>('GET', listUrl(workspaceId, sheet, { search }, 8)),
    enabled: search.length > 0,
    placeholderData: (previous) => previous,
  });
  const label = t('link.search', { sheet: target?.name ?? '' });
  const choices = search
    ? (results.data?.records ?? [])
        .filter((r) => !linked.some((l) => l.id === r.id))
        .map((r) => ({ key: r.id, label: target ? recordTitle(target, r, locale) : r.id }))
    : [];
  return (
    <Combobox
      label={label}
      text={search}
      onText={setSearch}
      choices={choices}
      emptyText={search && results.isSuccess && !results.isPlaceholderData ? t('grid.empty') : null}
      autoFocus={autoFocus}
      invalid={invalid}
      inputRef={inputRef}
      onPick={(c) => {
        setSearch('');
        onPick({ id: c.key, title: c.label });
      }}
    />
  );
}
