import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { useLocation } from 'wouter';
import { setPreview } from '../api/preview.js';
import { useSheets } from '../api/queries.js';
import type { Role, Scope, Sheet, SheetAccess } from '../api/types.js';
import { useToast } from '../app/toasts.js';
import { fromJsonLogic, toJsonLogic, type Group } from '../filters/filter-logic.js';
import { FilterBuilder } from '../filters/FilterBuilder.js';
import { useI18n } from '../i18n/i18n.js';
import { teamKeys, useRoleMutations, useRoles, type RoleInput } from './api.js';
import { errorText, useMembersGate, useRoleName } from './common.js';
import './team.css';

const SCOPES: Scope[] = ['none', 'own', 'team', 'all'];
const PEOPLE_KEYS = new Set(Object.values(teamKeys).map((key) => key('')[0]));
const BUILT_IN_ORDER = ['owner', 'admin', 'editor', 'viewer'];
const rank = (role: Role) => (role.builtIn ? BUILT_IN_ORDER.indexOf(role.name) : BUILT_IN_ORDER.length);
type Grant = Omit<SheetAccess, 'where' | 'fields'>;

/** The roles of a workspace: the built-in ones to look at, custom ones to make, change and delete. */
export function RolesPage({ ws, role: selectedId }: { ws: string; role?: string }) {
  const { t } = useI18n();
  const gate = useMembersGate(ws);
  const roles = useRoles(ws, gate === 'ok');
  const [, navigate] = useLocation();
  const roleName = useRoleName();
  const { create } = useRoleMutations(ws);
  const toast = useToast();
  const [name, setName] = useState('');
  if (gate === 'loading') return <p className="loading">{t('grid.loading')}</p>;
  if (gate === 'denied') return <p className="error">{t('team.denied')}</p>;
  // Built-in roles first, from the most to the least they may do; then custom ones as created.
  const list = [...(roles.data ?? [])].sort((a, b) => rank(a) - rank(b));
  const selected = list.find((r) => r.id === selectedId) ?? list.find((r) => !r.builtIn) ?? list[0];

  const add = async (event: FormEvent) => {
    event.preventDefault();
    try {
      const made = await create.mutateAsync({ name: name.trim(), design: false, members: false, sheets: {}, otherSheets: { read: 'none', create: false, update: 'none', delete: 'none' } });
      setName('');
      navigate(`/w/${ws}/roles/${made.id}`);
    } catch (err) {
      toast(errorText(err, t('toast.error')), 'error');
    }
  };

  return (
    <section className="team-page">
      <h1>{t('team.roles')}</h1>
      <div className="roles-layout">
        <aside className="card roles-list">
          <ul aria-label={t('team.roles')}>
            {list.map((r) => (
              <li key={r.id}>
                <button type="button" className={r.id === selected?.id ? 'role-item active' : 'role-item'} aria-current={r.id === selected?.id ? 'true' : undefined} onClick={() => navigate(`/w/${ws}/roles/${r.id}`)}>
                  {roleName(r.name, r.builtIn)}
                  {r.builtIn && <span className="muted"> · {t('roles.builtIn')}</span>}
                </button>
              </li>
            ))}
          </ul>
          <form className="role-new" onSubmit={add}>
            <input className="input" aria-label={t('roles.newName')} placeholder={t('roles.newName')} value={name} onChange={(e) => setName(e.target.value)} required />
            <button type="submit" className="button primary" disabled={create.isPending}>
              {t('roles.create')}
            </button>
          </form>
        </aside>
        {selected && <RoleEditor key={`${selected.id}`} ws={ws} role={selected} />}
      </div>
    </section>
  );
}

/** The editor's copy of a role: sheets named in it explicitly, by id, the rest following "other sheets". */
interface Draft {
  name: string;
  design: boolean;
  members: boolean;
  sheets: Record<string, SheetAccess>;
  otherSheets: Grant;
}

const draftOf = (role: Role): Draft => ({ name: role.name, design: role.design, members: role.members, sheets: role.sheets, otherSheets: role.otherSheets });

/** JSON with keys sorted: a draft equal to the saved role compares equal whatever order the server keeps keys in. */
function stable(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b))) : v,
  );
}

function RoleEditor({ ws, role }: { ws: string; role: Role }) {
  const { t } = useI18n();
  const toast = useToast();
  const [, navigate] = useLocation();
  const sheets = useSheets(ws).data ?? [];
  const roleName = useRoleName();
  const { update, remove } = useRoleMutations(ws);
  const client = useQueryClient();
  const [draft, setDraft] = useState<Draft>(() => draftOf(role));
  const [open, setOpen] = useState<string | null>(null);
  const [error, setError] = useState('');
  // Saved elsewhere (or here): the editor takes the saved role while nothing is changed in it.
  const saved = stable(draftOf(role));
  const dirty = stable(draft) !== saved;
  // Cancel starts the row conditions' builders again from the saved role.
  const [resets, setResets] = useState(0);
  useEffect(() => {
    if (!dirty) setDraft(draftOf(role));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [saved]);
  const readOnly = role.builtIn;
  const grantOf = (sheetId: string): SheetAccess => draft.sheets[sheetId] ?? draft.otherSheets;
  const setGrant = (sheetId: string, grant: SheetAccess) => setDraft({ ...draft, sheets: { ...draft.sheets, [sheetId]: grant } });

  const save = async () => {
    setError('');
    const body: RoleInput = { ...draft, name: draft.name.trim() };
    try {
      await update.mutateAsync({ id: role.id, patch: body });
      toast(t('roles.saved', { name: body.name }));
    } catch (err) {
      setError(errorText(err, t('toast.error')));
    }
  };
  const del = async () => {
    if (!window.confirm(t('roles.deleteConfirm', { name: role.name }))) return;
    setError('');
    try {
      await remove.mutateAsync(role.id);
      navigate(`/w/${ws}/roles`);
    } catch (err) {
      setError(errorText(err, t('toast.error')));
    }
  };
  // Every query of the workspace is asked again as the role (the requests now carry X-Preview-Role).
  // Every query is asked again as the role, but this page's own: the role may not manage people, and this page may
  // still be mounted (hidden) while the next one loads.
  const preview = () => {
    navigate(`/w/${ws}`);
    setPreview({ ws, roleId: role.id, roleName: roleName(role.name, role.builtIn) });
    void client.resetQueries({ predicate: (query) => !PEOPLE_KEYS.has(query.queryKey[0] as never) });
  };

  return (
    <div className="card role-editor" role="region" aria-label={t('roles.editorOf', { name: roleName(role.name, role.builtIn) })}>
      <div className="role-head">
        {readOnly ? (
          <h2>{roleName(role.name, true)}</h2>
        ) : (
          <label className="role-name">
            {t('roles.name')}
            <input className="input" value={draft.name} onChange={(e) => setDraft({ ...draft, name: e.target.value })} />
          </label>
        )}
        <span className="spacer" />
        <button type="button" className="button" onClick={preview}>
          {t('preview.start')}
        </button>
      </div>
      {readOnly && <p className="banner">{t('roles.builtInHint')}</p>}
      <fieldset className="role-flags" disabled={readOnly}>
        <label className="check">
          <input type="checkbox" checked={draft.design} onChange={(e) => setDraft({ ...draft, design: e.target.checked })} />
          <span>
            <strong>{t('roles.design')}</strong> <span className="muted">{t('roles.designHint')}</span>
          </span>
        </label>
        <label className="check">
          <input type="checkbox" checked={draft.members} onChange={(e) => setDraft({ ...draft, members: e.target.checked })} />
          <span>
            <strong>{t('roles.membersFlag')}</strong> <span className="muted">{t('roles.membersHint')}</span>
          </span>
        </label>
      </fieldset>
      <div className="access-scroll">
        <table className="access-grid">
          <thead>
            <tr>
              <th scope="col">{t('roles.sheet')}</th>
              <th scope="col">{t('roles.read')}</th>
              <th scope="col">{t('roles.create')}</th>
              <th scope="col">{t('roles.update')}</th>
              <th scope="col">{t('roles.delete')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('roles.details')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {sheets.map((sheet) => (
              <SheetRows
                key={`${sheet.id}-${resets}`}
                sheet={sheet}
                grant={grantOf(sheet.id)}
                explicit={sheet.id in draft.sheets}
                readOnly={readOnly}
                open={open === sheet.id}
                onToggle={() => setOpen(open === sheet.id ? null : sheet.id)}
                onChange={(g) => setGrant(sheet.id, g)}
              />
            ))}
            <tr className="other-sheets">
              <th scope="row">
                {t('roles.otherSheets')}
                <div className="muted small">{t('roles.otherSheetsHint')}</div>
              </th>
              <ScopeCells label={t('roles.otherSheets')} grant={draft.otherSheets} readOnly={readOnly} onChange={(g) => setDraft({ ...draft, otherSheets: { read: g.read, create: g.create, update: g.update, delete: g.delete } })} />
              <td />
            </tr>
          </tbody>
        </table>
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {!readOnly && (
        <div className="form-actions">
          <button type="button" className="button primary" disabled={!dirty || update.isPending} onClick={() => void save()}>
            {t('roles.save')}
          </button>
          <button
            type="button"
            className="button"
            disabled={!dirty}
            onClick={() => {
              setDraft(draftOf(role));
              setResets(resets + 1);
            }}
          >
            {t('form.cancel')}
          </button>
          <span className="spacer" />
          <button type="button" className="button danger" onClick={() => void del()}>
            {t('roles.deleteRole')}
          </button>
        </div>
      )}
    </div>
  );
}

/** Read, create, update and delete of one grant, as table cells. */
function ScopeCells({ label, grant, readOnly, onChange }: { label: string; grant: SheetAccess; readOnly: boolean; onChange(g: SheetAccess): void }) {
  const { t } = useI18n();
  const scope = (op: 'read' | 'update' | 'delete') => (
    <td data-label={t(`roles.${op}`)}>
      <select className="input slim" aria-label={`${label}: ${t(`roles.${op}`)}`} disabled={readOnly} value={grant[op]} onChange={(e) => onChange({ ...grant, [op]: e.target.value as Scope })}>
        {SCOPES.map((s) => (
          <option key={s} value={s}>
            {t(`roles.scope.${s}`)}
          </option>
        ))}
      </select>
    </td>
  );
  return (
    <>
      {scope('read')}
      <td data-label={t('roles.create')}>
        <input type="checkbox" aria-label={`${label}: ${t('roles.create')}`} disabled={readOnly} checked={grant.create} onChange={(e) => onChange({ ...grant, create: e.target.checked })} />
      </td>
      {scope('update')}
      {scope('delete')}
    </>
  );
}

function SheetRows({ sheet, grant, explicit, readOnly, open, onToggle, onChange }: { sheet: Sheet; grant: SheetAccess; explicit: boolean; readOnly: boolean; open: boolean; onToggle(): void; onChange(g: SheetAccess): void }) {
  const { t } = useI18n();
  const restricted = Object.keys(grant.fields ?? {}).length + (grant.where !== undefined ? 1 : 0);
  return (
    <>
      <tr className={explicit ? 'sheet-grant' : 'sheet-grant inherited'}>
        <th scope="row">
          {sheet.name}
          {!explicit && <div className="muted small">{t('roles.asOther')}</div>}
        </th>
        <ScopeCells label={sheet.name} grant={grant} readOnly={readOnly} onChange={onChange} />
        <td>
          <button type="button" className="button small" aria-expanded={open} aria-label={t('roles.detailsOf', { sheet: sheet.name })} onClick={onToggle}>
            {t('roles.details')}
            {restricted ? ` (${restricted})` : ''}
          </button>
        </td>
      </tr>
      {open && (
        <tr className="grant-details">
          <td colSpan={6}>
            <SheetDetails sheet={sheet} grant={grant} readOnly={readOnly} onChange={onChange} />
          </td>
        </tr>
      )}
    </>
  );
}

/** Per field visible / read-only / hidden, and the row condition narrowing every scope. */
function SheetDetails({ sheet, grant, readOnly, onChange }: { sheet: Sheet; grant: SheetAccess; readOnly: boolean; onChange(g: SheetAccess): void }) {
  const { t } = useI18n();
  const [group, setGroup] = useState<Group>(() => fromJsonLogic(grant.where));
  const fieldsById = useMemo(() => new Map(sheet.fields.map((f) => [f.id, f])), [sheet.fields]);
  const setField = (fieldId: string, value: string) => {
    const fields = { ...(grant.fields ?? {}) };
    if (value === 'hidden' || value === 'read_only') fields[fieldId] = value;
    else delete fields[fieldId];
    const { fields: _old, ...rest } = grant;
    onChange(Object.keys(fields).length ? { ...rest, fields } : rest);
  };
  return (
    <div className="grant-detail">
      <fieldset disabled={readOnly}>
        <legend>{t('roles.fields')}</legend>
        <ul className="field-grants">
          {sheet.fields.map((f) => (
            <li key={f.id}>
              <span>{f.name}</span>
              <select className="input slim" aria-label={t('roles.fieldOf', { sheet: sheet.name, field: f.name })} value={grant.fields?.[f.id] ?? 'visible'} onChange={(e) => setField(f.id, e.target.value)}>
                <option value="visible">{t('roles.field.visible')}</option>
                <option value="read_only">{t('roles.field.readOnly')}</option>
                {f.id !== sheet.primaryFieldId && <option value="hidden">{t('roles.field.hidden')}</option>}
              </select>
            </li>
          ))}
        </ul>
      </fieldset>
      <fieldset disabled={readOnly}>
        <legend>{t('roles.where')}</legend>
        <p className="muted small">{t('roles.whereHint')}</p>
        <FilterBuilder
          fields={sheet.fields.filter((f) => fieldsById.has(f.id))}
          group={group}
          userVariable={t('roles.currentUser')}
          onChange={(g) => {
            setGroup(g);
            const where = toJsonLogic(g);
            const { where: _old, ...rest } = grant;
            onChange(where === undefined ? rest : { ...rest, where });
          }}
        />
      </fieldset>
    </div>
  );
}
