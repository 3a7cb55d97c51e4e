import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './http.js';

/** A signed-in browser or device of the user (GET /api/auth/sessions). */
export interface SessionInfo {
  id: string;
  createdAt: string;
  lastSeenAt: string;
  userAgent: string | null;
  current: boolean;
}

export interface ApiTokenInfo {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
}

/** What POST /api/tokens answers: the token itself, shown this once. */
export interface NewApiToken extends ApiTokenInfo {
  token: string;
}

export const accountKeys = {
  sessions: ['account', 'sessions'] as const,
  tokens: ['account', 'tokens'] as const,
};

const enc = encodeURIComponent;

export const useSessions = () => useQuery({ queryKey: accountKeys.sessions, queryFn: () => api<SessionInfo[]>('GET', '/api/auth/sessions') });

export const useTokens = () => useQuery({ queryKey: accountKeys.tokens, queryFn: () => api<ApiTokenInfo[]>('GET', '/api/tokens') });

export function useChangePassword() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { current: string; password: string }) => api<{ endedSessions: number }>('POST', '/api/auth/password', body),
    // Every other session ended.
    onSuccess: () => client.invalidateQueries({ queryKey: accountKeys.sessions }),
  });
}

export function useRevokeSession() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<void>('DELETE', `/api/auth/sessions/${enc(id)}`),
    onSuccess: () => client.invalidateQueries({ queryKey: accountKeys.sessions }),
  });
}

/** Ends every session of the user, this one included: the caller then shows the sign-in page. */
export const useSignOutEverywhere = () => useMutation({ mutationFn: () => api<void>('DELETE', '/api/auth/sessions') });

export function useCreateToken() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { name: string; expiresAt?: string }) => api<NewApiToken>('POST', '/api/tokens', body),
    onSuccess: () => client.invalidateQueries({ queryKey: accountKeys.tokens }),
  });
}

export function useRevokeToken() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<void>('DELETE', `/api/tokens/${enc(id)}`),
    onSuccess: () => client.invalidateQueries({ queryKey: accountKeys.tokens }),
  });
}
