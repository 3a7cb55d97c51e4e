import { useQuery } from '@tanstack/react-query';
import type { ImportJson } from '../../../schema-engine/imports/store.js';
import type { ColumnPreview } from '../../../schema-engine/imports/infer.js';
import type { FieldInput } from '../api/forms.js';
import { api, postForm } from '../api/http.js';
import { wsPath } from '../api/queries.js';

export type { ColumnPreview, ImportJson };
export type ImportSummary = Omit<ImportJson, 'problems' | 'columns'>;
export type DateOrder = NonNullable<ImportJson['dateOrder']>;
export const DATE_ORDERS: readonly DateOrder[] = ['dmy', 'mdy', 'ymd'];

/** What GET …/imports/:id/mapping suggests per column: a field (by name), a new field, or nothing. */
export type SuggestedTarget = string | { new: FieldInput } | null;

/** The body of POST …/imports/:id/start (API.md "Import and export"). */
export interface StartBody {
  sheet?: string;
  newSheet?: string;
  mapping: Record<string, SuggestedTarget>;
  mode: 'insert' | 'upsert';
  key?: string;
  onError: 'abort' | 'skip';
  createMissingLinks?: boolean;
  dateOrder?: DateOrder;
}

/** Encodings the wizard offers for a text file (the server reads more; these are the ones our users meet). */
export const ENCODING_CHOICES = ['utf-8', 'utf-16le', 'utf-16be', 'big5'] as const;

export const importsPath = (ws: string) => `${wsPath(ws)}/imports`;
export const importPath = (ws: string, id: string) => `${importsPath(ws)}/${encodeURIComponent(id)}`;
export const importKey = (ws: string, id: string) => ['import', ws, id] as const;
export const importsKey = (ws: string) => ['imports', ws] as const;

/** An import, asked again every second while it runs (so a reloaded page picks up where it is). */
export const useImport = (ws: string, id: string) =>
  useQuery({
    queryKey: importKey(ws, id),
    queryFn: () => api<ImportJson>('GET', importPath(ws, id)),
    refetchInterval: (query) => (query.state.data?.status === 'running' ? 1000 : false),
  });

export const useImports = (ws: string) => useQuery({ queryKey: importsKey(ws), queryFn: () => api<ImportSummary[]>('GET', importsPath(ws)) });

/** The server's mapping for the columns into a sheet (by id), or into a new sheet. */
export const useSuggestedMapping = (ws: string, id: string, sheet: string | undefined, columnsVersion: string, enabled: boolean) =>
  useQuery({
    enabled,
    queryKey: ['import-mapping', ws, id, sheet ?? null, columnsVersion],
    queryFn: () => api<{ sheet?: string; mapping: Record<string, SuggestedTarget> }>('GET', `${importPath(ws, id)}/mapping${sheet ? `?sheet=${encodeURIComponent(sheet)}` : ''}`),
    staleTime: Infinity,
  });

export function uploadImport(ws: string, file: File): Promise<ImportJson> {
  const form = new FormData();
  form.append('file', file);
  return postForm<ImportJson>(importsPath(ws), form);
}

export const previewAgain = (ws: string, id: string, settings: { encoding?: string; worksheet?: string }) => api<ImportJson>('POST', `${importPath(ws, id)}/preview`, settings);
export const startImport = (ws: string, id: string, body: StartBody) => api<ImportJson>('POST', `${importPath(ws, id)}/start`, body);
export const cancelImport = (ws: string, id: string) => api<ImportJson>('POST', `${importPath(ws, id)}/cancel`);
export const problemsUrl = (ws: string, id: string) => `${importPath(ws, id)}/problems.csv`;
