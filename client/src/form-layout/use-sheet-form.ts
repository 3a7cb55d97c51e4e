import { useQuery } from '@tanstack/react-query';
import type { FormLayout } from '../../../schema-engine/forms/layout.js';
import { api } from '../api/http.js';
import { sheetPath } from '../api/queries.js';

export interface SheetForm {
  /** The published form staff see, or null for the generated layout. */
  form: { id: string; name: string; version: number } | null;
  layout: FormLayout;
}

export const sheetFormKey = (ws: string, sheet: string) => ['sheet-form', ws, sheet] as const;

/** The sheet's default form as published (or generated): what the record form and record page show. */
export const useSheetForm = (ws: string, sheet: string) =>
  useQuery({ queryKey: sheetFormKey(ws, sheet), queryFn: () => api<SheetForm>('GET', `${sheetPath(ws, sheet)}/form`), staleTime: 30_000 });
