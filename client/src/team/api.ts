import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../api/http.js';
import { usePreview } from '../api/preview.js';
import { keys, wsPath } from '../api/queries.js';
import type { AuditEntry, Invitation, Member, Role, SheetAccess, Team } from '../api/types.js';

const enc = encodeURIComponent;

export const teamKeys = {
  roles: (ws: string) => ['roles', ws] as const,
  teams: (ws: string) => ['teams', ws] as const,
  invitations: (ws: string) => ['invitations', ws] as const,
  audit: (ws: string) => ['audit', ws] as const,
};

/** Roles are for those who manage people: never asked while previewing a role (which has no such right). */
export function useRoles(ws: string, enabled = true) {
  const previewing = usePreview()?.ws === ws;
  return useQuery({ queryKey: teamKeys.roles(ws), queryFn: () => api<Role[]>('GET', `${wsPath(ws)}/roles`), enabled: enabled && !previewing });
}
export const useTeams = (ws: string) => useQuery({ queryKey: teamKeys.teams(ws), queryFn: () => api<Team[]>('GET', `${wsPath(ws)}/teams`) });
export const useInvitations = (ws: string) => useQuery({ queryKey: teamKeys.invitations(ws), queryFn: () => api<Invitation[]>('GET', `${wsPath(ws)}/invitations`) });

/** The people of the workspace, fresh (the shared `useMembers` caches for a minute for user pickers). */
export const useMemberList = (ws: string) => useQuery({ queryKey: keys.members(ws), queryFn: () => api<Member[]>('GET', `${wsPath(ws)}/members`) });

/** After a change of members, teams, roles or invitations: everything that shows them is asked again. */
function useRefresh(ws: string) {
  const client = useQueryClient();
  return () =>
    Promise.all([
      client.invalidateQueries({ queryKey: keys.members(ws) }),
      client.invalidateQueries({ queryKey: teamKeys.teams(ws) }),
      client.invalidateQueries({ queryKey: teamKeys.roles(ws) }),
      client.invalidateQueries({ queryKey: teamKeys.invitations(ws) }),
      client.invalidateQueries({ queryKey: teamKeys.audit(ws) }),
      client.invalidateQueries({ queryKey: keys.me }),
    ]);
}

export function useMemberMutations(ws: string) {
  const refresh = useRefresh(ws);
  return {
    update: useMutation({
      mutationFn: ({ id, patch }: { id: string; patch: { role?: string; teams?: string[]; active?: boolean } }) => api<Member>('PATCH', `${wsPath(ws)}/members/${enc(id)}`, patch),
      onSettled: refresh,
    }),
    remove: useMutation({ mutationFn: (id: string) => api<void>('DELETE', `${wsPath(ws)}/members/${enc(id)}`), onSettled: refresh }),
    invite: useMutation({
      mutationFn: (body: { email: string; role: string; teams: string[] }) => api<Invitation & { url: string }>('POST', `${wsPath(ws)}/invitations`, body),
      onSuccess: refresh,
    }),
    revoke: useMutation({ mutationFn: (id: string) => api<void>('DELETE', `${wsPath(ws)}/invitations/${enc(id)}`), onSettled: refresh }),
  };
}

export function useTeamMutations(ws: string) {
  const refresh = useRefresh(ws);
  return {
    create: useMutation({ mutationFn: (body: { name: string; manager?: string | null }) => api<Team>('POST', `${wsPath(ws)}/teams`, body), onSuccess: refresh }),
    update: useMutation({
      mutationFn: ({ id, patch }: { id: string; patch: { name?: string; manager?: string | null } }) => api<Team>('PATCH', `${wsPath(ws)}/teams/${enc(id)}`, patch),
      onSettled: refresh,
    }),
    remove: useMutation({ mutationFn: (id: string) => api<void>('DELETE', `${wsPath(ws)}/teams/${enc(id)}`), onSettled: refresh }),
  };
}

export interface RoleInput {
  name: string;
  design: boolean;
  members: boolean;
  sheets: Record<string, SheetAccess>;
  otherSheets: Omit<SheetAccess, 'where' | 'fields'>;
}

export function useRoleMutations(ws: string) {
  const refresh = useRefresh(ws);
  return {
    create: useMutation({ mutationFn: (body: RoleInput) => api<Role>('POST', `${wsPath(ws)}/roles`, body), onSuccess: refresh }),
    update: useMutation({ mutationFn: ({ id, patch }: { id: string; patch: Partial<RoleInput> }) => api<Role>('PATCH', `${wsPath(ws)}/roles/${enc(id)}`, patch), onSuccess: refresh }),
    remove: useMutation({ mutationFn: (id: string) => api<void>('DELETE', `${wsPath(ws)}/roles/${enc(id)}`), onSuccess: refresh }),
  };
}

/** The audit log, newest first, a page at a time ("Load more" follows nextCursor). */
export function useAudit(ws: string) {
  return useInfiniteQuery({
    queryKey: teamKeys.audit(ws),
    queryFn: ({ pageParam }) => api<{ entries: AuditEntry[]; nextCursor: string | null }>('GET', `${wsPath(ws)}/audit${pageParam ? `?cursor=${enc(pageParam)}` : ''}`),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
}
