import { useQuery, type QueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { api } from './http.js';
import { usePreview } from './preview.js';
import { keys, useMe, wsPath } from './queries.js';
import type { EffectiveAccess, Me, Sheet, SheetAccess } from './types.js';

const NOTHING: SheetAccess = { read: 'none', create: false, update: 'none', delete: 'none' };

/**
 * The caller's effective access in a workspace, for hiding what the server would refuse: GET /api/me's, or while an
 * admin previews a role, GET /api/w/:ws/access as that role (the request carries X-Preview-Role).
 */
export function useAccess(ws: string): EffectiveAccess | undefined {
  const me = useMe();
  const preview = usePreview();
  const previewing = preview !== null && preview.ws === ws;
  const previewed = useQuery({
    queryKey: ['access', ws, preview?.roleId ?? null],
    queryFn: () => api<EffectiveAccess>('GET', `${wsPath(ws)}/access`),
    enabled: previewing,
  });
  if (previewing) return previewed.data;
  return me.data?.workspaces.find((w) => w.id === ws);
}

/** A sheet's grant for the caller (nothing when they may not use it, or while access is not known yet). */
export const sheetAccessOf = (access: EffectiveAccess | undefined, sheetId: string): SheetAccess => access?.sheets[sheetId] ?? NOTHING;

/**
 * The sheet as the caller may write it: fields their role makes read-only are marked `locked` (the grid and forms
 * then show them read-only), and `noUpdate` when the role may update none of the sheet's records.
 */
export function applyAccess(sheet: Sheet, access: EffectiveAccess | undefined): Sheet {
  if (!access) return sheet;
  const grant = sheetAccessOf(access, sheet.id);
  const fields = grant.fields;
  if (grant.update !== 'none' && !fields) return sheet;
  return {
    ...sheet,
    ...(grant.update === 'none' ? { noUpdate: true } : {}),
    fields: fields ? sheet.fields.map((f) => (fields[f.id] === 'read_only' ? { ...f, locked: true } : f)) : sheet.fields,
  };
}

/** Every field of the sheet read-only: an existing record of a sheet the role may not update. */
export const lockAll = (sheet: Sheet): Sheet => ({ ...sheet, fields: sheet.fields.map((f) => ({ ...f, locked: true })) });

/** `useSheets`' select: the workspace's sheets with the caller's read-only fields marked. */
/** Whether the role writes anything to the sheet: only then may it arrange its views (the server's rule). */
export const writesSheet = (grant: SheetAccess): boolean => grant.create || grant.update !== 'none' || grant.delete !== 'none';

/** Whether the caller may import a file (the server's rule): design a new sheet, or add records to some sheet. */
export const mayImport = (access: EffectiveAccess | undefined): boolean => access !== undefined && (access.design || Object.values(access.sheets).some((grant) => grant.create));

export function useAccessSelect(ws: string): (sheets: Sheet[]) => Sheet[] {
  const access = useAccess(ws);
  return useCallback((sheets: Sheet[]) => sheets.map((s) => applyAccess(s, access)), [access]);
}


/**
 * A sheet the caller's effective access does not know yet (one just created, installed or imported) makes it be
 * asked again, so its New record button and the like appear without a reload.
 */
export function followNewSheets(client: QueryClient): () => void {
  return client.getQueryCache().subscribe((event) => {
    if (event.type !== 'updated' || event.action.type !== 'success' || event.query.queryKey[0] !== 'sheets') return;
    const ws = String(event.query.queryKey[1]);
    const sheets = (event.query.state.data as Sheet[] | undefined) ?? [];
    const known = client.getQueryData<Me>(keys.me)?.workspaces.find((w) => w.id === ws)?.sheets;
    if (known && sheets.some((s) => !(s.id in known))) {
      void client.invalidateQueries({ queryKey: keys.me });
      void client.invalidateQueries({ queryKey: ['access', ws] });
    }
  });
}
