import { useQueries, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, ApiError } from '../api/http.js';
import { keys, recordPath, sheetPath, useSheets } from '../api/queries.js';
import type { Field, LinkRef, RecordJson, Sheet } from '../api/types.js';
import { useToast } from '../app/toasts.js';
import { CellValue } from '../fields/Cell.js';
import { FieldControl, toInput } from '../fields/controls.js';
import { isReadOnly } from '../fields/format.js';
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
}

/**
 * The children of a one_to_many link as an inline table (a quote's line items): add, edit and remove rows in place.
 * On a saved parent each change is saved at once and the parent's totals (rollups) refresh; on a new parent the rows
 * are sent with it (a nested write, all or nothing).
 */
export function LinkedTable({ workspaceId, field, parent, value, onChange, columns: chosen, readOnly = false }: Props) {
  const { t } = useI18n();
  const toast = useToast();
  const client = useQueryClient();
  const target = useSheets(workspaceId).data?.find((s) => s.id === field.options.sheet);
  const [draft, setDraft] = useState<Record<string, unknown>>({});
  const links = value.filter((v): v is LinkRef => 'id' in v);
  const drafts = value.filter((v): v is DraftChild => 'fields' in v);
  const children = useQueries({
    queries: links.map((l) => ({ queryKey: keys.record(workspaceId, String(field.options.sheet), l.id), queryFn: () => api<RecordJson>('GET', recordPath(workspaceId, String(field.options.sheet), l.id)) })),
  });
  if (!target) return null;
  const columns = chosen
    ? chosen.flatMap((id) => target.fields.find((f) => f.id === id) ?? [])
    : target.fields.filter((f) => f.id !== field.options.inverseField);
  const editable = (f: Field) => !readOnly && !isReadOnly(f);
  const inputs = (sheet: Sheet, values: Record<string, unknown>) =>
    Object.fromEntries(sheet.fields.filter((f) => f.name in values && editable(f)).map((f) => [f.name, toInput(f, values[f.name])]));

  // The parent's totals (rollups over these rows) are computed by the server: read it again.
  const refreshParent = async () => {
    if (parent) await client.invalidateQueries({ predicate: (q) => (q.queryKey[0] === 'record' || q.queryKey[0] === 'history') && q.queryKey[3] === parent.id });
  };
  const fail = (error: unknown) => toast(error instanceof ApiError ? `${error.message}` : t('toast.error'), 'error');

  const saveCell = async (child: RecordJson, f: Field, v: unknown) => {
    try {
      const saved = await api<RecordJson>('PATCH', recordPath(workspaceId, target.id, child.id), { fields: { [f.name]: toInput(f, v) }, version: child.version });
      client.setQueryData(keys.record(workspaceId, target.id, child.id), saved);
      await refreshParent();
    } catch (error) {
      fail(error);
    }
  };
  const add = async () => {
    const fields = inputs(target, draft);
    if (!parent) {
      onChange([...value, { fields, draft }]);
      setDraft({});
      return;
    }
    try {
      const inverse = target.fields.find((f) => f.id === field.options.inverseField);
      const created = await api<RecordJson>('POST', `${sheetPath(workspaceId, target.id)}/records`, { fields: { ...fields, ...(inverse ? { [inverse.name]: [parent.id] } : {}) } });
      onChange([...value, { id: created.id, title: '' }]);
      setDraft({});
      await refreshParent();
    } catch (error) {
      fail(error);
    }
  };
  const remove = async (index: number, item: LinkRef | DraftChild) => {
    if ('fields' in item || !parent) return onChange(value.filter((_, i) => i !== index));
    try {
      await api('DELETE', recordPath(workspaceId, target.id, item.id));
      onChange(value.filter((_, i) => i !== index));
      await refreshParent();
    } catch (error) {
      fail(error);
    }
  };

  return (
    <table className="linked-table" aria-label={field.name}>
      <thead>
        <tr>
          {columns.map((c) => (
            <th key={c.id}>{c.name}</th>
          ))}
          {!readOnly && <th aria-label="actions" />}
        </tr>
      </thead>
      <tbody>
        {links.map((link, i) => {
          const child = children[i]?.data;
          return (
            <tr key={link.id}>
              {columns.map((c) => (
                <td key={c.id}>
                  {child && editable(c) ? (
                    <InlineCell field={c} record={child} workspaceId={workspaceId} onSave={(v) => void saveCell(child, c, v)} />
                  ) : (
                    <CellValue field={c} value={child?.fields[c.name]} />
                  )}
                </td>
              ))}
              {!readOnly && (
                <td>
                  <button type="button" className="button small" aria-label={`${t('linked.remove')} ${link.title}`} onClick={() => void remove(value.indexOf(link), link)}>
                    ×
                  </button>
                </td>
              )}
            </tr>
          );
        })}
        {drafts.map((d, i) => (
          <tr key={`draft-${i}`} className="draft">
            {columns.map((c) => (
              <td key={c.id}>
                <CellValue field={c} value={d.draft[c.name]} />
              </td>
            ))}
            <td>
              <button type="button" className="button small" aria-label={t('linked.remove')} onClick={() => void remove(value.indexOf(d), d)}>
                ×
              </button>
            </td>
          </tr>
        ))}
        {!readOnly && (
        <tr className="new-row">
          {columns.map((c) => (
            <td key={c.id}>
              {editable(c) ? (
                <FieldControl field={c} value={draft[c.name]} onChange={(v) => setDraft({ ...draft, [c.name]: v })} workspaceId={workspaceId} id={`new-${field.id}-${c.id}`} invalid={false} />
              ) : null}
            </td>
          ))}
          <td>
            <button type="button" className="button small primary" onClick={() => void add()}>
              + {t('linked.add')}
            </button>
          </td>
        </tr>
        )}
      </tbody>
    </table>
  );
}

/** A child's cell: its control, saved when it loses focus or on Enter. */
function InlineCell({ field, record, workspaceId, onSave }: { field: Field; record: RecordJson; workspaceId: string; onSave(v: unknown): void }) {
  const [value, setValue] = useState<unknown>(record.fields[field.name]);
  const commit = () => {
    if (JSON.stringify(value ?? null) !== JSON.stringify(record.fields[field.name] ?? null)) onSave(value);
  };
  return (
    <div onBlur={(e) => !e.currentTarget.contains(e.relatedTarget as Node | null) && commit()} onKeyDown={(e) => e.key === 'Enter' && (e.preventDefault(), commit())}>
      <FieldControl field={field} value={value} onChange={setValue} workspaceId={workspaceId} id={`c-${record.id}-${field.id}`} invalid={false} />
    </div>
  );
}
