import type { ReactNode } from 'react';
import { ApiError } from '../api/http.js';
import { useAccess } from '../api/access.js';
import type { Role } from '../api/types.js';
import type { MessageKey } from '../i18n/en.js';
import { useI18n } from '../i18n/i18n.js';

const BUILT_IN = new Set(['owner', 'admin', 'editor', 'viewer']);

/** A role's name as shown: the built-in ones (named by their keys) in the user's language. */
export function useRoleName(): (role: Pick<Role, 'name'> | string, builtIn?: boolean) => string {
  const { t } = useI18n();
  return (role, builtIn) => {
    const name = typeof role === 'string' ? role : role.name;
    return (builtIn ?? BUILT_IN.has(name)) && BUILT_IN.has(name) ? t(`role.${name}` as MessageKey) : name;
  };
}

/** What a failed request says: the server's own sentence (e.g. the 409 of the last owner). */
export function errorText(error: unknown, fallback: string): string {
  return error instanceof ApiError || error instanceof Error ? error.message : fallback;
}

/** The people pages are for roles with the members permission; anyone else is told so (the server refuses anyway). */
export function useMembersGate(ws: string): 'loading' | 'denied' | 'ok' {
  const access = useAccess(ws);
  if (!access) return 'loading';
  return access.members ? 'ok' : 'denied';
}

/** A people page (members, audit log): its title and content for those with the members permission, else why not. */
export function PeoplePage({ ws, title, children }: { ws: string; title: string; children: ReactNode }) {
  const { t } = useI18n();
  const gate = useMembersGate(ws);
  if (gate === 'loading') return <p className="loading">{t('grid.loading')}</p>;
  if (gate === 'denied') return <p className="error">{t('team.denied')}</p>;
  return (
    <section className="team-page">
      <h1>{title}</h1>
      {children}
    </section>
  );
}
