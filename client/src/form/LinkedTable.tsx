import { useQueries, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'wouter';
import { api, ApiError } from '../api/http.js';
import { keys, recordPath, recordQuery, sheetPath, useSheets } from '../api/queries.js';
import type { Field, LinkRef, RecordJson } from '../api/types.js';
import { useToast } from '../app/toasts.js';
import { CellValue } from '../fields/Cell.js';
import { FieldControl, toInput } from '../fields/controls.js';
import { firstRowProblem, rowInputs, type RowDraft } from './drafts.js';
import { isReadOnly } from '../fields/format.js';
import { LinkSearch } from '../fields/LinkSearch.js';
import { carriedValues } from './carried.js';
import { copiesOnPick } from './copy-on-pick.js';
import { useComputed } from './live-totals.js';
import { UnparsedNumber } from '../fields/number-text.js';
import { recordTitle } from '../record/title.js';
import { useI18n } from '../i18n/i18n.js';

/** A new child written inside the parent's link value: created with the parent, in one request. */
export interface DraftChild {
  fields: Record<string, unknown>;
  draft: Record<string, unknown>;
}

interface Props {
  workspaceId: string;
  field: Field;
  /** The parent, once saved: rows are then saved one by one as they are edited. */
  parent?: RecordJson | undefined;
  value: (LinkRef | DraftChild)[];
  onChange(value: (LinkRef | DraftChild)[]): void;
  /** A designed form's choice of the child sheet's fields (ids), in order. */
  columns?: string[];
  /** Shown without add, edit or remove. */
  readOnly?: boolean;
  /** The new row as typed so far: the form keeps it, and saves it with the parent if it is not added before. */
  draft: RowDraft;
  /** Changes the new row's draft (an update of the latest one: a copy on pick arrives after the pick). */
  onDraft(update: (draft: RowDraft) => RowDraft): void;
}

/**
 * The records of a link as an inline table, edited in place. A one_to_many link owns its rows (a quote's line
 * items): a row is added as a new record and removed by deleting it. Other links share their records (a contact's
 * events): a row is also linked from a search of the other sheet, and removing it only unlinks it. On a saved parent
 * each change is saved at once (through the linked record, so the parent's form keeps what is typed in it) and the
 * parent's totals (rollups) refresh; on a new parent the rows are sent with it (a nested write, all or nothing).
 */
export function LinkedTable({ workspaceId, field, parent, value, onChange, columns: chosen, readOnly = false, draft, onDraft }: Props) {
  const { t, locale } = useI18n();
  const toast = useToast();
  const client = useQueryClient();
  const targetId = String(field.options.sheet);
  const sheets = useSheets(workspaceId).data;
  const target = sheets?.find((s) => s.id === targetId);
  // New rows show their computed cells (a line's list price and total) as they are typed.
  const [computedDrafts, computedNew] = splitLast(useComputed(workspaceId, sheets ?? [], target, [...value.flatMap((v) => ('fields' in v ? [v.draft] : [])), draft]));
  /** Why the new row was not added (a number that is no number, the server's refusal), shown under the table. */
  const [rowError, setRowError] = useState<string | null>(null);
  const owns = field.options.relationship === 'one_to_many';
  const links = value.filter((v): v is LinkRef => 'id' in v);
  const drafts = value.filter((v): v is DraftChild => 'fields' in v);
  const children = useQueries({
    queries: links.map((l) => recordQuery(workspaceId, targetId, l.id, 0)),
  });
  if (!target) return null;
  const inverse = target.fields.find((f) => f.id === field.options.inverseField);
  const columns = chosen ? chosen.flatMap((id) => target.fields.find((f) => f.id === id) ?? []) : target.fields.filter((f) => f.id !== inverse?.id);
  const editable = (f: Field) => !readOnly && !isReadOnly(f);
  const titleOf = (record: RecordJson) => recordTitle(target, record, locale);
  // A new row of a saved parent starts with what the relationship carries (a new quote of an opportunity: its account).
  const parentSheet = sheets?.find((s) => s.id === inverse?.options.sheet);
  const { [inverse?.name ?? '']: _parentLink, ...carried } = parent && inverse && parentSheet ? carriedValues(target, inverse, parentSheet, parent, '') : {};

  // The parent's totals (rollups over these rows) are computed by the server: read it again.
  const refreshParent = async () => {
    if (parent) await client.invalidateQueries({ predicate: (q) => (q.queryKey[0] === 'record' || q.queryKey[0] === 'history') && q.queryKey[3] === parent.id });
  };
  const attempt = async (work: () => Promise<void>, onError?: (message: string) => void) => {
    try {
      await work();
      await refreshParent();
    } catch (error) {
      const message = error instanceof ApiError ? error.message : t('toast.error');
      onError?.(message);
      toast(message, 'error');
    }
  };
  /** Writes a linked record and keeps its query current. */
  const patchChild = async (child: RecordJson, fields: Record<string, unknown>) => {
    const saved = await api<RecordJson>('PATCH', recordPath(workspaceId, target.id, child.id), { fields, version: child.version });
    client.setQueryData(keys.record(workspaceId, target.id, child.id), saved);
  };
  /** The parent linked to or unlinked from a record, written on that record's side of the link. */
  const relink = async (id: string, linked: boolean) => {
    if (!inverse || !parent) return;
    const child = await api<RecordJson>('GET', recordPath(workspaceId, target.id, id));
    const others = ((child.fields[inverse.name] as LinkRef[] | undefined) ?? []).map((l) => l.id).filter((x) => x !== parent.id);
    await patchChild(child, { [inverse.name]: linked ? [...others, parent.id] : others });
  };

  const add = () => {
    // A number that is no number is never added (its text would be lost, or sent as text): say which and why.
    const problem = firstRowProblem(target, draft);
    if (problem) return setRowError(t('linked.newRowProblem', { field: problem.field.name, problem: t(`number.${problem.problem}`) }));
    setRowError(null);
    return attempt(
      async () => {
        const fields = rowInputs(target, { ...carried, ...draft });
        if (!parent) {
          onChange([...value, { fields, draft }]);
        } else {
          const created = await api<RecordJson>('POST', `${sheetPath(workspaceId, target.id)}/records`, { fields: { ...fields, ...(inverse ? { [inverse.name]: [parent.id] } : {}) } });
          onChange([...value, { id: created.id, title: titleOf(created) }]);
        }
        onDraft(() => ({}));
      },
      (message) => setRowError(t('linked.newRowRefused', { message })),
    );
  };
  const linkExisting = (link: LinkRef) =>
    attempt(async () => {
      await relink(link.id, true);
      onChange([...value, link]);
    });
  const remove = (item: LinkRef | DraftChild) =>
    attempt(async () => {
      if ('id' in item && parent) {
        if (owns) await api('DELETE', recordPath(workspaceId, target.id, item.id));
        else await relink(item.id, false);
      }
      onChange(value.filter((v) => v !== item));
    });

  /** A saved row's cell: answers why it was refused, or null once saved. */
  const saveCell = async (child: RecordJson, column: Field, v: unknown): Promise<string | null> => {
    let refused: string | null = null;
    await attempt(() => patchChild(child, { [column.name]: toInput(column, v) }), (message) => (refused = message));
    return refused;
  };
  const setDraftValue = (column: Field, v: unknown) => {
    setRowError(null);
    const before = draft[column.name];
    onDraft((d) => ({ ...d, [column.name]: v }));
    // Picking a product fills the fields that copy from it (a line's unit price), as the save would.
    if (column.type === 'link' && sheets && target) {
      copiesOnPick(client, workspaceId, sheets, target, column, before, v, (f) => !isReadOnly(f))
        .then((copied) => Object.keys(copied).length > 0 && onDraft((d) => (d[column.name] === v ? { ...d, ...copied } : d)))
        .catch(() => undefined); // the save copies on the server all the same
    }
  };

  const removeLabel = (name: string) => t(owns ? 'linked.remove' : 'linked.unlink', { name }).trim();
  return (
    <div className="linked">
      <table className={`linked-table${owns ? '' : ' shared'}`} aria-label={field.name}>
        <thead>
          <tr>
            <th aria-label={t('linked.open')} />
            {columns.map((c) => (
              <th key={c.id}>{c.name}</th>
            ))}
            {!readOnly && <th aria-label={t('linked.actions')} />}
          </tr>
        </thead>
        <tbody>
          {links.map((link, i) => {
            const child = children[i]?.data;
            const title = child ? titleOf(child) : link.title || link.id;
            return (
              <tr key={link.id}>
                <td className="open-cell">
                  <Link href={`/w/${workspaceId}/s/${target.id}/r/${link.id}`} aria-label={t('linked.openRecord', { name: title })} title={title}>
                    ↗
                  </Link>
                </td>
                {columns.map((c) => (
                  <td key={c.id} data-label={c.name}>
                    {child && editable(c) ? (
                      <InlineCell field={c} record={child} workspaceId={workspaceId} onSave={(v) => saveCell(child, c, v)} />
                    ) : (
                      <CellValue field={c} value={child?.fields[c.name]} />
                    )}
                  </td>
                ))}
                {!readOnly && (
                  <td className="row-actions">
                    <button type="button" className="button small" aria-label={removeLabel(title)} title={removeLabel(title)} onClick={() => void remove(link)}>
                      ×
                    </button>
                  </td>
                )}
              </tr>
            );
          })}
          {drafts.map((d, i) => (
            <tr key={`draft-${i}`} className="draft">
              <td className="open-cell" />
              {columns.map((c) => (
                <td key={c.id} data-label={c.name}>
                  <CellValue field={c} value={computedDrafts[i]?.[c.name] ?? d.draft[c.name]} />
                </td>
              ))}
              <td className="row-actions">
                <button type="button" className="button small" aria-label={removeLabel('')} onClick={() => void remove(d)}>
                  ×
                </button>
              </td>
            </tr>
          ))}
          {!readOnly && (
            <tr className="new-row">
              <td className="open-cell" />
              {columns.map((c) => (
                <td key={c.id} data-label={c.name}>
                  {editable(c) ? (
                    <FieldControl field={c} value={draft[c.name] ?? carried[c.name]} onChange={(v) => setDraftValue(c, v)} workspaceId={workspaceId} id={`new-${field.id}-${c.id}`} invalid={false} />
                  ) : (
                    <CellValue field={c} value={computedNew?.[c.name]} />
                  )}
                </td>
              ))}
              <td className="row-actions">
                <button type="button" className="button small primary" onClick={() => void add()}>
                  + {t('linked.add')}
                </button>
              </td>
            </tr>
          )}
        </tbody>
      </table>
      {rowError && (
        <p className="error linked-error" role="alert">
          {rowError}
        </p>
      )}
      {!readOnly && parent && inverse && (
        <Link className="button small linked-new" href={`/w/${workspaceId}/s/${target.id}/new?from=${parent.id}&via=${inverse.id}`}>
          {t('linked.newRecord', { sheet: target.name })}
        </Link>
      )}
      {!readOnly && !owns && (
        <div className="link-picker linked-search">
          <LinkSearch workspaceId={workspaceId} sheet={target.id} linked={links} onPick={(link) => void linkExisting(link)} />
        </div>
      )}
    </div>
  );
}

/** A child's cell: its control, saved when it loses focus or on Enter; a refused value stays, with the reason. */
function InlineCell({ field, record, workspaceId, onSave }: { field: Field; record: RecordJson; workspaceId: string; onSave(v: unknown): Promise<string | null> }) {
  const { t } = useI18n();
  const [value, setValue] = useState<unknown>(record.fields[field.name]);
  const [error, setError] = useState<string | null>(null);
  const commit = async () => {
    if (value instanceof UnparsedNumber) return setError(`${field.name} ${t(`number.${value.problem}`)}`);
    if (JSON.stringify(value ?? null) === JSON.stringify(record.fields[field.name] ?? null)) return setError(null);
    setError(await onSave(value));
  };
  return (
    <div onBlur={(e) => !e.currentTarget.contains(e.relatedTarget as Node | null) && void commit()} onKeyDown={(e) => e.key === 'Enter' && (e.preventDefault(), void commit())}>
      <FieldControl field={field} value={value} onChange={setValue} workspaceId={workspaceId} id={`c-${record.id}-${field.id}`} invalid={!!error} />
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

/** The computed rows: those added (in order), and the new row being typed (last). */
function splitLast<T>(list: T[]): [T[], T | undefined] {
  return [list.slice(0, -1), list[list.length - 1]];
}
