import { useQuery } from '@tanstack/react-query';
import { api } from '../api/http.js';
import { keys, sheetPath, type ListParams } from '../api/queries.js';
import type { SummaryGroup } from './group-rows.js';

export interface SummaryAnswer {
  rows: SummaryGroup[];
  total: (number | null)[];
}

/**
 * The summary API over the grid's own filter and search (its rows, its groups): kept under the sheet's records key,
 * so a record saved or deleted refreshes it with the pages.
 */
export function useSummary(ws: string, sheet: string, params: ListParams, groupBy: string | undefined, values: readonly string[]) {
  const q = new URLSearchParams({ values: values.join(',') });
  if (groupBy) q.set('groupBy', groupBy);
  if (params.filter !== undefined && params.filter !== null) q.set('filter', JSON.stringify(params.filter));
  if (params.search) q.set('search', params.search);
  const url = `${sheetPath(ws, sheet)}/summary?${q}`;
  return useQuery({ queryKey: [...keys.records(ws, sheet), 'summary', url], queryFn: () => api<SummaryAnswer>('GET', url), placeholderData: (previous) => previous });
}
