import { useInfiniteQuery, useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useAccessSelect } from './access.js';
import { api } from './http.js';
import type { HistoryItem, Me, Member, Page, RecordJson, Sheet, View } from './types.js';

const enc = encodeURIComponent;
export const wsPath = (ws: string) => `/api/w/${enc(ws)}`;
export const sheetPath = (ws: string, sheet: string) => `${wsPath(ws)}/sheets/${enc(sheet)}`;
export const recordPath = (ws: string, sheet: string, id: string) => `${sheetPath(ws, sheet)}/records/${enc(id)}`;

export const keys = {
  me: ['me'] as const,
  sheets: (ws: string) => ['sheets', ws] as const,
  records: (ws: string, sheet: string) => ['records', ws, sheet] as const,
  record: (ws: string, sheet: string, id: string) => ['record', ws, sheet, id] as const,
  history: (ws: string, sheet: string, id: string) => ['history', ws, sheet, id] as const,
  views: (ws: string, sheet: string) => ['views', ws, sheet] as const,
  members: (ws: string) => ['members', ws] as const,
};

export const useMe = () => useQuery({ queryKey: keys.me, queryFn: () => api<Me>('GET', '/api/me'), retry: false });

/** The workspace's sheets as the caller sees them, their read-only fields marked (api/access.ts). */
export function useSheets(ws: string) {
  const select = useAccessSelect(ws);
  return useQuery({ queryKey: keys.sheets(ws), queryFn: () => api<Sheet[]>('GET', `${wsPath(ws)}/sheets`), select });
}

export const useMembers = (ws: string) => useQuery({ queryKey: keys.members(ws), queryFn: () => api<Member[]>('GET', `${wsPath(ws)}/members`), staleTime: 60_000 });

export const useViews = (ws: string, sheet: string) =>
  useQuery({ queryKey: keys.views(ws, sheet), queryFn: () => api<View[]>('GET', `${sheetPath(ws, sheet)}/views`) });

export interface ListParams {
  filter?: unknown;
  sort?: string;
  search?: string;
}

export function listUrl(ws: string, sheet: string, params: ListParams, limit: number, cursor?: string | null): string {
  const q = new URLSearchParams({ limit: String(limit) });
  if (params.filter !== undefined && params.filter !== null) q.set('filter', JSON.stringify(params.filter));
  if (params.sort) q.set('sort', params.sort);
  if (params.search) q.set('search', params.search);
  if (cursor) q.set('cursor', cursor);
  return `${sheetPath(ws, sheet)}/records?${q}`;
}

/** Records page by page (keyset cursors): the grid asks for the next page as it scrolls; no count needed. */
export function useRecordPages(ws: string, sheet: string, params: ListParams, pageSize = 100) {
  return useInfiniteQuery({
    queryKey: [...keys.records(ws, sheet), params],
    queryFn: ({ pageParam }) => api<Page>('GET', listUrl(ws, sheet, params, pageSize, pageParam)),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
}

export const useRecord = (ws: string, sheet: string, id: string) =>
  useQuery({ queryKey: keys.record(ws, sheet, id), queryFn: () => api<RecordJson>('GET', `${recordPath(ws, sheet, id)}?include=can`) });

/**
 * A record read by id (without `can`) and cached under its key: the records a form's links point at (lookups, live
 * totals, copy on pick) and a related list's rows; `staleTime` lets a form read a linked record once, not per change.
 */
export const recordQuery = (ws: string, sheet: string, id: string, staleTime = 30_000) => ({
  queryKey: keys.record(ws, sheet, id),
  queryFn: () => api<RecordJson>('GET', recordPath(ws, sheet, id)),
  staleTime,
});

export const useHistory = (ws: string, sheet: string, id: string) =>
  useQuery({ queryKey: keys.history(ws, sheet, id), queryFn: () => api<HistoryItem[]>('GET', `${recordPath(ws, sheet, id)}/history`) });

/** After a record changed: its page entries, its own query and its history are refreshed. */
export function recordChanged(client: QueryClient, ws: string, sheet: string, record: RecordJson): void {
  // A write answers without `can`: keep the last known until the record is asked again (an owner change may move it).
  client.setQueryData<RecordJson>(keys.record(ws, sheet, record.id), (old) => (old?.can && !record.can ? { ...record, can: old.can } : record));
  void client.invalidateQueries({ queryKey: keys.record(ws, sheet, record.id), exact: true });
  client.setQueriesData<{ pages: Page[]; pageParams: unknown[] }>({ queryKey: keys.records(ws, sheet) }, (data) =>
    data ? { ...data, pages: data.pages.map((p) => ({ ...p, records: p.records.map((r) => (r.id === record.id ? record : r)) })) } : data,
  );
  void client.invalidateQueries({ queryKey: keys.history(ws, sheet, record.id) });
}

export function useUpdateRecord(ws: string, sheet: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, fields, version }: { id: string; fields: Record<string, unknown>; version?: number }) =>
      api<RecordJson>('PATCH', recordPath(ws, sheet, id), { fields, ...(version !== undefined ? { version } : {}) }),
    onSuccess: (record) => recordChanged(client, ws, sheet, record),
  });
}
