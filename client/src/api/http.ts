import { previewHeaders } from './preview.js';

/** An error answered by the server, with the API's code and details (`details.fields` names bad fields). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }

  /** Field name → what is wrong, for a validation error: in the UI's language when the server said it so (`details.messages`). */
  get fields(): Record<string, string> {
    const fields = (this.details.fields as Record<string, string> | undefined) ?? {};
    const messages = (this.details.messages as Record<string, string> | undefined) ?? {};
    return Object.fromEntries(Object.entries(fields).map(([key, reason]) => [key, messages[key] ?? reason]));
  }
}

/** JSON to and from the API, with the session cookie; any non-2xx answer becomes an ApiError. */
export async function api<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
  // The UI language chosen in the app, so mails the server writes for this user's actions (an invitation, a password
  // reset) are in it; without a choice the browser's own Accept-Language goes. While an admin previews a role, the
  // workspace's requests are made as that role would make them.
  const locale = localStorage.getItem('locale');
  const all = { ...(locale ? { 'accept-language': locale } : {}), ...previewHeaders(path), ...headers };
  const response = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: body === undefined ? all : { ...all, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  const json = text ? (JSON.parse(text) as unknown) : undefined;
  if (!response.ok) {
    const error = (json as { error?: { code?: string; message?: string; details?: Record<string, unknown> } } | undefined)?.error;
    throw new ApiError(response.status, error?.code ?? 'error', error?.message ?? response.statusText, error?.details ?? {});
  }
  return json as T;
}

/** Sends a multipart form (a file and its settings); answers the JSON, or throws an ApiError like `api`. */
export async function postForm<T>(path: string, form: FormData): Promise<T> {
  const locale = localStorage.getItem('locale');
  const headers = { ...(locale ? { 'accept-language': locale } : {}), ...previewHeaders(path) };
  const response = await fetch(path, { method: 'POST', body: form, credentials: 'same-origin', headers });
  const json = (await response.json().catch(() => ({}))) as { error?: { code?: string; message?: string; details?: Record<string, unknown> } };
  if (!response.ok) throw new ApiError(response.status, json.error?.code ?? 'error', json.error?.message ?? response.statusText, json.error?.details ?? {});
  return json as T;
}

/** Uploads a file (multipart) and answers the attachment. */
export async function uploadFile(workspaceId: string, file: File): Promise<{ id: string; name: string; size: number; mimeType: string; url: string }> {
  const form = new FormData();
  form.append('file', file);
  return postForm(`/api/w/${workspaceId}/attachments`, form);
}
