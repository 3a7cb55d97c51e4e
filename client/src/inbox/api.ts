import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ApprovalJson } from '../../../schema-engine/index.js';
import { api } from '../api/http.js';
import { wsPath } from '../api/queries.js';

/** A pending approval of the caller (API.md "Approvals and notifications"). */
export type Approval = ApprovalJson;

export interface Notification {
  id: string;
  at: string;
  workspaceId: string;
  message: string;
  link: string | null;
  read: boolean;
}

export interface WorkspaceSettings {
  name: string;
  timeZone: string;
  locale: string;
}

/** The bell and the approvals badge ask again this often: nothing pushes to the browser. */
export const POLL_MS = 30_000;

export const inboxKeys = {
  approvals: ['me', 'approvals'] as const,
  notifications: ['me', 'notifications'] as const,
  settings: (ws: string) => ['settings', ws] as const,
};

export const useMyApprovals = () => useQuery({ queryKey: inboxKeys.approvals, queryFn: () => api<Approval[]>('GET', '/api/me/approvals'), refetchInterval: POLL_MS });

/** The latest notifications, read and unread (the server answers the newest first). */
export const useNotifications = () =>
  useQuery({ queryKey: inboxKeys.notifications, queryFn: () => api<Notification[]>('GET', '/api/me/notifications'), refetchInterval: POLL_MS });

export function useMarkRead() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (ids: string[]) => api<unknown>('POST', '/api/me/notifications/read', { ids }),
    onSettled: () => client.invalidateQueries({ queryKey: inboxKeys.notifications }),
  });
}

export function useDecide() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ approval, decision, comment }: { approval: Approval; decision: 'approve' | 'reject'; comment: string }) =>
      api<unknown>('POST', `${wsPath(approval.workspaceId)}/approvals/${encodeURIComponent(approval.id)}`, { decision, ...(comment.trim() ? { comment: comment.trim() } : {}) }),
    // The decision lets the run go on: the record (unlocked, maybe changed) and the bell are asked again.
    onSettled: () =>
      Promise.all([
        client.invalidateQueries({ queryKey: inboxKeys.approvals }),
        client.invalidateQueries({ queryKey: inboxKeys.notifications }),
        client.invalidateQueries({ queryKey: ['record'] }),
      ]),
  });
}

export const useWorkspaceSettings = (ws: string, enabled = true) =>
  useQuery({ queryKey: inboxKeys.settings(ws), queryFn: () => api<WorkspaceSettings>('GET', `${wsPath(ws)}/settings`), enabled });

export function useUpdateSettings(ws: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (patch: Partial<WorkspaceSettings>) => api<WorkspaceSettings>('PATCH', `${wsPath(ws)}/settings`, patch),
    onSuccess: (saved) => {
      client.setQueryData(inboxKeys.settings(ws), saved);
      // The workspace's name shows in the switcher, which comes with "me".
      void client.invalidateQueries({ queryKey: ['me'] });
    },
  });
}

/** The in-app path of a link the server gives (it may be absolute when PUBLIC_URL is set). */
export function appPath(link: string): string {
  try {
    const url = new URL(link, window.location.origin);
    return url.origin === window.location.origin ? url.pathname + url.search : link;
  } catch {
    return link;
  }
}
