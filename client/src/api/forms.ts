import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { FormLayout } from '../../../schema-engine/forms/layout.js';
import { sheetFormKey } from '../form-layout/use-sheet-form.js';
import { api } from './http.js';
import { keys, sheetPath } from './queries.js';

// The API's shapes are the engine's own types (type-only imports: nothing of the server is bundled).
export type { PublicJson as FormPublic } from '../../../schema-engine/forms/public-settings.js';
export type { FormJson as Form, FormVersionJson as FormVersionInfo } from '../../../schema-engine/forms/forms.js';
import type { FormJson as Form, FormVersionJson as FormVersionInfo } from '../../../schema-engine/forms/forms.js';

export interface FormVersion {
  version: number;
  layout: FormLayout;
  publishedAt: string;
}

/** A field to create, as the fields API takes it. */
export interface FieldInput {
  name: string;
  type: string;
  options?: Record<string, unknown>;
  required?: boolean;
  unique?: boolean;
  description?: string;
  defaultValue?: unknown;
}

/** A field dropped onto the form as a new type: the layout names it by `ref` until the save creates it. */
export interface NewFieldInput {
  ref: string;
  field: FieldInput;
}

export interface FormPatch {
  name?: string;
  layout?: FormLayout;
  version?: number;
  isDefault?: true;
  newFields?: NewFieldInput[];
}

export interface PublicInput {
  enabled: boolean;
  password?: string | null;
  closesAt?: string | null;
  thankYou?: string | null;
  redirectUrl?: string | null;
  allowedLinks?: Record<string, string[]>;
}

const enc = encodeURIComponent;
export const formsPath = (ws: string, sheet: string) => `${sheetPath(ws, sheet)}/forms`;
export const formPath = (ws: string, sheet: string, form: string) => `${formsPath(ws, sheet)}/${enc(form)}`;

export const formKeys = {
  list: (ws: string, sheet: string) => ['forms', ws, sheet] as const,
  one: (ws: string, sheet: string, form: string) => ['form', ws, sheet, form] as const,
  versions: (ws: string, sheet: string, form: string) => ['form-versions', ws, sheet, form] as const,
  version: (ws: string, sheet: string, form: string, n: number) => ['form-version', ws, sheet, form, n] as const,
};

export const useForms = (ws: string, sheet: string) => useQuery({ queryKey: formKeys.list(ws, sheet), queryFn: () => api<Form[]>('GET', formsPath(ws, sheet)) });

export const useForm = (ws: string, sheet: string, form: string) =>
  useQuery({ queryKey: formKeys.one(ws, sheet, form), queryFn: () => api<Form>('GET', formPath(ws, sheet, form)), staleTime: Infinity });

export const useFormVersions = (ws: string, sheet: string, form: string) =>
  useQuery({ queryKey: formKeys.versions(ws, sheet, form), queryFn: () => api<FormVersionInfo[]>('GET', `${formPath(ws, sheet, form)}/versions`) });

export const useFormVersion = (ws: string, sheet: string, form: string, n: number | null) =>
  useQuery({
    queryKey: formKeys.version(ws, sheet, form, n ?? 0),
    queryFn: () => api<FormVersion>('GET', `${formPath(ws, sheet, form)}/versions/${n}`),
    enabled: n !== null,
    staleTime: Infinity,
  });

/** After a form changed: its own query, the sheet's list, what record forms show, and (new fields) the sheets. */
export function formChanged(client: QueryClient, ws: string, sheet: string, form: Form): void {
  client.setQueryData(formKeys.one(ws, sheet, form.id), form);
  void client.invalidateQueries({ queryKey: formKeys.list(ws, sheet) });
  void client.invalidateQueries({ queryKey: formKeys.versions(ws, sheet, form.id) });
  void client.invalidateQueries({ queryKey: sheetFormKey(ws, sheet) });
}

export function useCreateForm(ws: string, sheet: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { name: string; layout?: FormLayout }) => api<Form>('POST', formsPath(ws, sheet), input),
    onSuccess: (form) => formChanged(client, ws, sheet, form),
  });
}

export function useUpdateForm(ws: string, sheet: string, form: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (patch: FormPatch) => api<Form>('PATCH', formPath(ws, sheet, form), patch),
    onSuccess: (saved, patch) => {
      formChanged(client, ws, sheet, saved);
      if (patch.newFields?.length) void client.invalidateQueries({ queryKey: keys.sheets(ws) });
    },
  });
}

export function useDeleteForm(ws: string, sheet: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (form: string) => api<void>('DELETE', formPath(ws, sheet, form)),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: formKeys.list(ws, sheet) });
      void client.invalidateQueries({ queryKey: sheetFormKey(ws, sheet) });
    },
  });
}

export function usePublishForm(ws: string, sheet: string, form: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (version: number) => api<Form>('POST', `${formPath(ws, sheet, form)}/publish`, { version }),
    onSuccess: (saved) => formChanged(client, ws, sheet, saved),
  });
}

export function useRestoreVersion(ws: string, sheet: string, form: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ n, version }: { n: number; version: number }) => api<Form>('POST', `${formPath(ws, sheet, form)}/versions/${n}/restore`, { version }),
    onSuccess: (saved) => formChanged(client, ws, sheet, saved),
  });
}

export function useSetPublic(ws: string, sheet: string, form: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: PublicInput) => api<Form>('PUT', `${formPath(ws, sheet, form)}/public`, input),
    onSuccess: (saved) => formChanged(client, ws, sheet, saved),
  });
}
