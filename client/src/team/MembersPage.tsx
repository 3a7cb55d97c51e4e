import { useState, type FormEvent } from 'react';
import { useMe } from '../api/queries.js';
import type { Member, Role, Team } from '../api/types.js';
import { useToast } from '../app/toasts.js';
import { useI18n } from '../i18n/i18n.js';
import { useInvitations, useMemberList, useMemberMutations, useRoles, useTeamMutations, useTeams } from './api.js';
import { errorText, PeoplePage, useRoleName } from './common.js';
// The invitation link is shown as a new API token is (settings.css), pending invitations as sessions are.
import '../settings/settings.css';
import './team.css';

/** A workspace's people: invite by email with a role and teams, pending invitations, members, and teams. */
export function MembersPage({ ws }: { ws: string }) {
  const { t } = useI18n();
  return (
    <PeoplePage ws={ws} title={t('team.members')}>
      <InviteSection ws={ws} />
      <MembersSection ws={ws} />
      <TeamsSection ws={ws} />
    </PeoplePage>
  );
}

/** Team chips to switch on and off. */
function TeamChips({ teams, selected, label, onChange }: { teams: Team[]; selected: string[]; label: string; onChange(next: string[]): void }) {
  if (!teams.length) return null;
  return (
    <span className="chips" role="group" aria-label={label}>
      {teams.map((team) => {
        const on = selected.includes(team.id);
        return (
          <button key={team.id} type="button" className={`chip${on ? ' chip-on' : ' chip-off'}`} aria-pressed={on} onClick={() => onChange(on ? selected.filter((id) => id !== team.id) : [...selected, team.id])}>
            {team.name}
          </button>
        );
      })}
    </span>
  );
}

function RoleSelect({ roles, value, label, onChange }: { roles: Role[]; value: string; label: string; onChange(roleId: string): void }) {
  const roleName = useRoleName();
  return (
    <select className="input slim" aria-label={label} value={value} onChange={(e) => onChange(e.target.value)}>
      {roles.map((r) => (
        <option key={r.id} value={r.id}>
          {roleName(r.name, r.builtIn)}
        </option>
      ))}
    </select>
  );
}

function InviteSection({ ws }: { ws: string }) {
  const { t, locale } = useI18n();
  const toast = useToast();
  const roles = useRoles(ws).data ?? [];
  const teams = useTeams(ws).data ?? [];
  const invitations = useInvitations(ws);
  const { invite, revoke } = useMemberMutations(ws);
  const roleName = useRoleName();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState('');
  const [chosen, setChosen] = useState<string[]>([]);
  const [error, setError] = useState('');
  const [link, setLink] = useState<{ email: string; url: string } | null>(null);
  const defaultRole = roles.find((r) => r.name === 'editor')?.id ?? roles[0]?.id ?? '';
  const date = new Intl.DateTimeFormat(locale, { dateStyle: 'medium' });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError('');
    try {
      const created = await invite.mutateAsync({ email: email.trim(), role: role || defaultRole, teams: chosen });
      setLink({ email: created.email, url: created.url });
      setEmail('');
      setChosen([]);
    } catch (err) {
      setError(errorText(err, t('toast.error')));
    }
  };
  const copy = async (url: string) => {
    try {
      await navigator.clipboard.writeText(url);
      toast(t('team.invite.copied'));
    } catch {
      // Without clipboard access (http, permissions) the link stays selected in its field to copy by hand.
      toast(t('team.invite.copyByHand'), 'error');
    }
  };

  return (
    <section className="card team-section" aria-labelledby="invite-title">
      <h2 id="invite-title">{t('team.invite.title')}</h2>
      <form className="invite-form" onSubmit={submit}>
        <label>
          {t('field.email')}
          <input className="input" type="email" required value={email} onChange={(e) => setEmail(e.target.value)} autoComplete="off" />
        </label>
        <label>
          {t('team.role')}
          <RoleSelect roles={roles} value={role || defaultRole} label={t('team.role')} onChange={setRole} />
        </label>
        {teams.length > 0 && (
          <div className="invite-teams">
            <span className="label">{t('team.teams')}</span>
            <TeamChips teams={teams} selected={chosen} label={t('team.teams')} onChange={setChosen} />
          </div>
        )}
        <div className="invite-submit">
          <button type="submit" className="button primary" disabled={invite.isPending}>
            {t('team.invite.submit')}
          </button>
        </div>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
      </form>
      {link && (
        <div className="new-token" role="region" aria-label={t('team.invite.linkTitle', { email: link.email })}>
          <strong>{t('team.invite.linkTitle', { email: link.email })}</strong>
          <span className="hint">{t('team.invite.linkHint')}</span>
          <div className="new-token-value">
            <input className="input mono" readOnly value={link.url} aria-label={t('team.invite.link')} onFocus={(e) => e.currentTarget.select()} />
            <button type="button" className="button" onClick={() => void copy(link.url)}>
              {t('team.invite.copy')}
            </button>
          </div>
        </div>
      )}
      <h3>{t('team.invite.pending')}</h3>
      {invitations.data?.length === 0 && <p className="muted">{t('team.invite.none')}</p>}
      <ul className="settings-list" aria-label={t('team.invite.pending')}>
        {(invitations.data ?? []).map((inv) => (
          <li key={inv.id}>
            <span className="settings-item">
              <strong>{inv.email}</strong>
              <span className="chip">{roleName(inv.role)}</span>
              <span className="settings-meta muted">{t('team.invite.expires', { date: date.format(new Date(inv.expiresAt)) })}</span>
            </span>
            <button
              type="button"
              className="button small danger"
              onClick={() => {
                if (window.confirm(t('team.invite.revokeConfirm', { email: inv.email }))) {
                  revoke.mutate(inv.id, { onError: (err) => toast(errorText(err, t('toast.error')), 'error') });
                }
              }}
            >
              {t('team.invite.revoke')}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

function MembersSection({ ws }: { ws: string }) {
  const { t } = useI18n();
  const toast = useToast();
  const members = useMemberList(ws);
  const roles = useRoles(ws).data ?? [];
  const teams = useTeams(ws).data ?? [];
  const me = useMe().data?.user.id;
  const { update, remove } = useMemberMutations(ws);
  const failed = (err: unknown) => toast(errorText(err, t('toast.error')), 'error');
  const patch = (member: Member, change: { role?: string; teams?: string[]; active?: boolean }) => update.mutate({ id: member.id, patch: change }, { onError: failed });

  return (
    <section className="card team-section" aria-labelledby="members-title">
      <h2 id="members-title">{t('team.members.title', { count: members.data?.length ?? 0 })}</h2>
      <ul className="member-list" aria-label={t('team.members')}>
        {(members.data ?? []).map((m) => (
          <li key={m.id} className={m.active ? 'member' : 'member inactive'} aria-label={m.name}>
            <div className="member-who">
              <strong>{m.name}</strong>
              {m.id === me && <span className="chip">{t('team.members.you')}</span>}
              {!m.active && <span className="chip chip-warn">{t('team.members.inactive')}</span>}
              <span className="muted member-email">{m.email}</span>
            </div>
            <div className="member-role">
              <RoleSelect roles={roles} value={m.roleId} label={t('team.members.roleOf', { name: m.name })} onChange={(role) => patch(m, { role })} />
            </div>
            <div className="member-teams">
              <TeamChips teams={teams} selected={m.teams} label={t('team.members.teamsOf', { name: m.name })} onChange={(next) => patch(m, { teams: next })} />
            </div>
            <div className="member-actions">
              <button type="button" className="button small" onClick={() => patch(m, { active: !m.active })}>
                {m.active ? t('team.members.deactivate') : t('team.members.reactivate')}
              </button>
              <button
                type="button"
                className="button small danger"
                onClick={() => {
                  if (window.confirm(t('team.members.removeConfirm', { name: m.name }))) remove.mutate(m.id, { onError: failed, onSuccess: () => toast(t('team.members.removed', { name: m.name })) });
                }}
              >
                {t('team.members.remove')}
              </button>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}

function TeamsSection({ ws }: { ws: string }) {
  const { t } = useI18n();
  const toast = useToast();
  const teams = useTeams(ws);
  const members = useMemberList(ws).data ?? [];
  const { create, update, remove } = useTeamMutations(ws);
  const [name, setName] = useState('');
  const failed = (err: unknown) => toast(errorText(err, t('toast.error')), 'error');
  const nameOf = (id: string) => members.find((m) => m.id === id)?.name ?? id;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate({ name: name.trim() }, { onError: failed, onSuccess: () => setName('') });
  };
  return (
    <section className="card team-section" aria-labelledby="teams-title">
      <h2 id="teams-title">{t('team.teams')}</h2>
      <p className="muted">{t('team.teams.hint')}</p>
      {teams.data?.length === 0 && <p className="muted">{t('team.teams.none')}</p>}
      <ul className="member-list" aria-label={t('team.teams')}>
        {(teams.data ?? []).map((team) => (
          <li key={team.id} className="member team" aria-label={team.name}>
            <div className="member-who">
              <TeamName name={team.name} onRename={(next) => update.mutate({ id: team.id, patch: { name: next } }, { onError: failed })} />
              <span className="muted member-email">{team.members.length ? team.members.map(nameOf).join(', ') : t('team.teams.empty')}</span>
            </div>
            <label className="member-role">
              <span className="label">{t('team.teams.manager')}</span>
              <select className="input slim" value={team.manager ?? ''} onChange={(e) => update.mutate({ id: team.id, patch: { manager: e.target.value || null } }, { onError: failed })}>
                <option value="">{t('team.teams.noManager')}</option>
                {members.map((m) => (
                  <option key={m.id} value={m.id}>
                    {m.name}
                  </option>
                ))}
              </select>
            </label>
            <div className="member-actions">
              <button
                type="button"
                className="button small danger"
                onClick={() => {
                  if (window.confirm(t('team.teams.deleteConfirm', { name: team.name }))) remove.mutate(team.id, { onError: failed });
                }}
              >
                {t('team.teams.delete')}
              </button>
            </div>
          </li>
        ))}
      </ul>
      <form className="inline-form" onSubmit={submit}>
        <input className="input" aria-label={t('team.teams.newName')} placeholder={t('team.teams.newName')} value={name} onChange={(e) => setName(e.target.value)} required />
        <button type="submit" className="button primary">
          {t('team.teams.create')}
        </button>
      </form>
    </section>
  );
}

/** A team's name; clicked, it becomes an input (Enter saves, Escape cancels). */
function TeamName({ name, onRename }: { name: string; onRename(next: string): void }) {
  const { t } = useI18n();
  const [editing, setEditing] = useState(false);
  const [value, setValue] = useState(name);
  if (!editing) {
    return (
      <button type="button" className="title-button" title={t('team.teams.rename')} onClick={() => { setValue(name); setEditing(true); }}>
        <strong>{name}</strong>
      </button>
    );
  }
  return (
    <form
      className="inline-form"
      onSubmit={(e) => {
        e.preventDefault();
        setEditing(false);
        if (value.trim() && value.trim() !== name) onRename(value.trim());
      }}
    >
      <input className="input slim" aria-label={t('team.teams.rename')} value={value} onChange={(e) => setValue(e.target.value)} autoFocus onKeyDown={(e) => e.key === 'Escape' && setEditing(false)} />
      <button type="submit" className="button small primary">
        {t('form.save')}
      </button>
    </form>
  );
}
