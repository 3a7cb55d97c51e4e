import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { api } from '../api/http.js';
import { sheetPath, type ListParams } from '../api/queries.js';
import type { SummaryGroup } from './group-rows.js';

export interface SummaryAnswer {
  rows: SummaryGroup[];
  total: (number | null)[];
}

const summaryKey = (ws: string, sheet: string) => ['summary', ws, sheet] as const;

/**
 * The summary API over the grid's own filter and search (its rows, its groups). Not under the records key, whose
 * entries are pages of records (recordChanged rewrites them): it is asked again once any write has succeeded.
 */
export function useSummary(ws: string, sheet: string, params: ListParams, groupBy: string | undefined, values: readonly string[]) {
  const client = useQueryClient();
  useEffect(
    () =>
      client.getMutationCache().subscribe((event) => {
        if (event.type === 'updated' && event.mutation.state.status === 'success') void client.invalidateQueries({ queryKey: summaryKey(ws, sheet) });
      }),
    [client, ws, sheet],
  );
  const q = new URLSearchParams({ values: values.join(',') });
  if (groupBy) q.set('groupBy', groupBy);
  if (params.filter !== undefined && params.filter !== null) q.set('filter', JSON.stringify(params.filter));
  if (params.search) q.set('search', params.search);
  const url = `${sheetPath(ws, sheet)}/summary?${q}`;
  return useQuery({ queryKey: [...summaryKey(ws, sheet), url], queryFn: () => api<SummaryAnswer>('GET', url), placeholderData: (previous) => previous });
}
