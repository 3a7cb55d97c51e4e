import { previewHeaders } from '../api/preview.js';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { DocumentJson } from '../../../schema-engine/index.js';
import { api, ApiError } from '../api/http.js';
import { recordPath, sheetPath } from '../api/queries.js';

export type { DocumentJson };

/** Where a template went wrong (the server's `details` of a 400). */
export interface TemplateProblem {
  kind?: 'syntax' | 'runtime';
  line?: number;
  column?: number;
  message: string;
}

const documentsKey = (ws: string, sheet: string) => ['documents', ws, sheet] as const;
const documentsPath = (ws: string, sheet: string) => `${sheetPath(ws, sheet)}/documents`;

/** The rendered page of a record, to open in a tab (the browser prints it to PDF). */
export const documentUrl = (ws: string, sheet: string, record: string, doc: string) => `${recordPath(ws, sheet, record)}/documents/${encodeURIComponent(doc)}`;

export const useDocuments = (ws: string, sheet: string) =>
  useQuery({ queryKey: documentsKey(ws, sheet), queryFn: () => api<DocumentJson[]>('GET', documentsPath(ws, sheet)), staleTime: 30_000 });

export interface DocumentSave {
  name?: string;
  template?: string;
  locale?: string;
  version?: number;
}

/** Create (no id), save or delete a document; the list is refreshed after each. */
export function useDocumentMutations(ws: string, sheet: string) {
  const client = useQueryClient();
  const refresh = () => client.invalidateQueries({ queryKey: documentsKey(ws, sheet) });
  return {
    create: useMutation({ mutationFn: (body: { name: string; locale?: string }) => api<DocumentJson>('POST', documentsPath(ws, sheet), body), onSuccess: refresh }),
    save: useMutation({
      mutationFn: ({ id, ...body }: DocumentSave & { id: string }) => api<DocumentJson>('PATCH', `${documentsPath(ws, sheet)}/${encodeURIComponent(id)}`, body),
      onSuccess: refresh,
    }),
    remove: useMutation({ mutationFn: (id: string) => api<void>('DELETE', `${documentsPath(ws, sheet)}/${encodeURIComponent(id)}`), onSuccess: refresh }),
  };
}

/** The problem a template error carries, if the error is one. */
export function templateProblem(error: unknown): TemplateProblem | undefined {
  if (!(error instanceof ApiError) || error.status !== 400) return undefined;
  const { line, column, kind, message } = error.details as Partial<TemplateProblem>;
  if (typeof message !== 'string') return error.fields.template ? { message: error.fields.template } : undefined;
  return { message, ...(typeof line === 'number' ? { line } : {}), ...(typeof column === 'number' ? { column } : {}), ...(kind ? { kind } : {}) };
}

/** An unsaved template rendered for one record: the HTML page, or an ApiError (a 400 names line and column). */
export async function fetchPreview(ws: string, sheet: string, body: { template: string; recordId: string; locale: string }, signal: AbortSignal): Promise<string> {
  const path = `${documentsPath(ws, sheet)}/preview`;
  const response = await fetch(path, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { ...previewHeaders(path), 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal,
  });
  const text = await response.text();
  if (response.ok) return text;
  let error: { code?: string; message?: string; details?: Record<string, unknown> } | undefined;
  try {
    error = (JSON.parse(text) as { error?: typeof error }).error;
  } catch {
    error = undefined;
  }
  throw new ApiError(response.status, error?.code ?? 'error', error?.message ?? response.statusText, error?.details ?? {});
}
