import { useSyncExternalStore } from 'react';

/** The role an admin previews the app as (X-Preview-Role), in one workspace; kept for the browser tab. */
export interface Preview {
  ws: string;
  roleId: string;
  roleName: string;
}

const KEY = 'previewRole';
const listeners = new Set<() => void>();

function read(): Preview | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    const value = raw ? (JSON.parse(raw) as Partial<Preview>) : null;
    return value && typeof value.ws === 'string' && typeof value.roleId === 'string' && typeof value.roleName === 'string' ? (value as Preview) : null;
  } catch {
    return null;
  }
}

let current: Preview | null = typeof sessionStorage === 'undefined' ? null : read();

export const previewState = (): Preview | null => current;

/** Starts (or with null stops) previewing; every API request of that workspace then carries the header. */
export function setPreview(next: Preview | null): void {
  current = next;
  if (typeof sessionStorage !== 'undefined') {
    if (next) sessionStorage.setItem(KEY, JSON.stringify(next));
    else sessionStorage.removeItem(KEY);
  }
  for (const listener of listeners) listener();
}

export function usePreview(): Preview | null {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    previewState,
  );
}

/**
 * The header a request to `path` carries while previewing: only requests of the previewed workspace (the server
 * reads it there; elsewhere, e.g. /api/me, the admin stays themself).
 */
export function previewHeaders(path: string): Record<string, string> {
  if (!current || !path.startsWith(`/api/w/${encodeURIComponent(current.ws)}/`)) return {};
  return { 'x-preview-role': current.roleId };
}
