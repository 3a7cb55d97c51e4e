import { useMemo, useState } from 'react';
import { useMembers, useSheets } from '../api/queries.js';
import type { AuditEntry } from '../api/types.js';
import { useI18n } from '../i18n/i18n.js';
import type { MessageKey } from '../i18n/en.js';
import { useAudit, useTeams } from './api.js';
import { PeoplePage } from './common.js';
import './team.css';

/** The workspace's audit log for admins: who changed what and when, with before and after, "Load more" by cursor. */
export function AuditPage({ ws }: { ws: string }) {
  const { t } = useI18n();
  return (
    <PeoplePage ws={ws} title={t('team.audit')}>
      <AuditList ws={ws} />
    </PeoplePage>
  );
}

/** Ids of sheets, fields, teams and members as their names (a role's grants are kept by id), from what the admin sees. */
function useIdNames(ws: string): (text: string) => string {
  const sheets = useSheets(ws).data;
  const teams = useTeams(ws).data;
  const members = useMembers(ws).data;
  return useMemo(() => {
    const names = new Map<string, string>();
    for (const sheet of sheets ?? []) {
      names.set(sheet.id, sheet.name);
      for (const field of sheet.fields) names.set(field.id, `${sheet.name}.${field.name}`);
    }
    for (const team of teams ?? []) names.set(team.id, team.name);
    for (const member of members ?? []) names.set(member.id, member.name);
    return (text) => text.replace(/\b(?:sht|fld|tea|usr)[a-z0-9]{6,}\b/g, (id) => names.get(id) ?? id);
  }, [sheets, teams, members]);
}

/** What an entry is about, by its kind (an unknown kind shows as it is). */
const AUDIT_KINDS: Record<string, MessageKey> = {
  conversion: 'audit.kind.conversion',
  document: 'audit.kind.document',
  field: 'audit.kind.field',
  form: 'audit.kind.form',
  import: 'audit.kind.import',
  invitation: 'audit.kind.invitation',
  member: 'audit.kind.member',
  role: 'audit.kind.role',
  sheet: 'audit.kind.sheet',
  team: 'audit.kind.team',
  view: 'audit.kind.view',
  webhook: 'audit.kind.webhook',
  workflow: 'audit.kind.workflow',
  workspace: 'audit.kind.workspace',
  user: 'audit.kind.user',
  token: 'audit.kind.token',
  record: 'audit.kind.record',
};

function AuditList({ ws }: { ws: string }) {
  const { t, locale } = useI18n();
  const audit = useAudit(ws);
  const named = useIdNames(ws);
  const entries = audit.data?.pages.flatMap((p) => p.entries) ?? [];
  const when = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
  if (audit.isPending) return <p className="loading">{t('grid.loading')}</p>;
  if (audit.isError) return <p className="error">{audit.error.message}</p>;
  return (
    <>
      {entries.length === 0 && <p className="muted">{t('audit.empty')}</p>}
      <ol className="audit-list" aria-label={t('team.audit')}>
        {entries.map((entry, index) => (
          <li key={`${entry.at}-${index}`} className="card audit-entry">
            <div className="audit-head">
              <time dateTime={entry.at} className="muted">
                {when.format(new Date(entry.at))}
              </time>
              <strong>{entry.by?.name ?? t('audit.system')}</strong>
              <code className="audit-action">{entry.action}</code>
              <span className="audit-target">
                <span className="muted">{entry.target.kind in AUDIT_KINDS ? t(AUDIT_KINDS[entry.target.kind]!) : entry.target.kind}</span> {entry.target.name ?? entry.target.id ?? ''}
              </span>
            </div>
            <Changes entry={entry} named={named} />
          </li>
        ))}
      </ol>
      {audit.hasNextPage && (
        <p>
          <button type="button" className="button" disabled={audit.isFetchingNextPage} onClick={() => void audit.fetchNextPage()}>
            {audit.isFetchingNextPage ? t('grid.loading') : t('audit.more')}
          </button>
        </p>
      )}
    </>
  );
}

/** A value in the compact diff, ids named: long ones cut (all of it is under "Details"). */
const show = (value: unknown, named: (text: string) => string) => {
  const text = named(value === undefined ? '—' : typeof value === 'string' ? value : JSON.stringify(value));
  return text.length > 160 ? `${text.slice(0, 160)}…` : text;
};

/**
 * What changed: for two objects, a compact table of the keys whose values differ (before → after); anything else,
 * or the full JSON, behind "Details".
 */
function Changes({ entry, named }: { entry: AuditEntry; named: (text: string) => string }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const { before, after } = entry;
  if ((before === null || before === undefined) && (after === null || after === undefined)) return null;
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  const b = isObject(before) ? before : {};
  const a = isObject(after) ? after : {};
  // With both sides, `after` is what was written (often a patch): its keys that changed. Otherwise what was created or removed.
  const both = isObject(before) && isObject(after);
  const keys = (both ? Object.keys(a) : [...new Set([...Object.keys(b), ...Object.keys(a)])]).filter((k) => JSON.stringify(b[k]) !== JSON.stringify(a[k]));
  return (
    <div className="audit-changes">
      {keys.length > 0 && (
        <table className="audit-diff">
          <tbody>
            {keys.slice(0, 8).map((key) => (
              <tr key={key}>
                <th scope="row">{named(key)}</th>
                <td className="before">{show(b[key], named)}</td>
                <td aria-hidden="true">→</td>
                <td className="after">{show(a[key], named)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <button type="button" className="link" aria-expanded={open} onClick={() => setOpen(!open)}>
        {open ? t('audit.hide') : t('audit.details')}
      </button>
      {open && (
        <div className="audit-json">
          <div>
            <span className="label">{t('audit.before')}</span>
            <pre>{JSON.stringify(before, null, 2) ?? '—'}</pre>
          </div>
          <div>
            <span className="label">{t('audit.after')}</span>
            <pre>{JSON.stringify(after, null, 2) ?? '—'}</pre>
          </div>
        </div>
      )}
    </div>
  );
}
