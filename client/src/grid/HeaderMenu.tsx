import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, ApiError } from '../api/http.js';
import { keys, sheetPath } from '../api/queries.js';
import type { Field, Sheet } from '../api/types.js';
import { useToast } from '../app/toasts.js';
import { useI18n } from '../i18n/i18n.js';
import { FieldDialog } from '../schema/FieldDialog.js';

/** A column's menu: sort, and for admins edit (rename, retype with a preview) and delete (to the trash). */
export function HeaderMenu({ ws, sheet, field, canDesign, onSort, onHide, onMove }: { ws: string; sheet: Sheet; field: Field; canDesign: boolean; onSort(sort: string): void; onHide(): void; onMove(by: number): void }) {
  const { t } = useI18n();
  const toast = useToast();
  const client = useQueryClient();
  const [open, setOpen] = useState(false);
  const [editing, setEditing] = useState(false);

  const remove = async () => {
    setOpen(false);
    if (!window.confirm(t('schema.deleteConfirm', { name: field.name }))) return;
    const url = `${sheetPath(ws, sheet.id)}/fields/${field.id}`;
    try {
      await api('DELETE', url);
    } catch (error) {
      if (!(error instanceof ApiError && error.code === 'has_dependents')) return toast(error instanceof ApiError ? error.message : t('toast.error'), 'error');
      const list = (error.details.dependents as { sheet: string; field?: string; rule?: string }[]).map((d) => `${d.sheet}.${d.field ?? d.rule}`).join(', ');
      if (!window.confirm(t('schema.dependents', { list }))) return;
      await api('DELETE', `${url}?force=true`);
    }
    await client.invalidateQueries({ queryKey: keys.sheets(ws) });
    await client.invalidateQueries({ queryKey: keys.records(ws, sheet.id) });
  };

  return (
    <>
      <button type="button" className="menu-button" aria-label={`${t('schema.fieldMenu')}: ${field.name}`} aria-expanded={open} onClick={() => setOpen(!open)}>
        ▾
      </button>
      {open && (
        <ul className="menu" role="menu" onMouseLeave={() => setOpen(false)}>
          <li role="none">
            <button type="button" role="menuitem" onClick={() => { setOpen(false); onSort(field.id); }}>
              {t('grid.sortAsc')}
            </button>
          </li>
          <li role="none">
            <button type="button" role="menuitem" onClick={() => { setOpen(false); onSort(`-${field.id}`); }}>
              {t('grid.sortDesc')}
            </button>
          </li>
          {field.id !== sheet.primaryFieldId && (
            <>
              <li role="none">
                <button type="button" role="menuitem" onClick={() => { setOpen(false); onHide(); }}>
                  {t('grid.hide')}
                </button>
              </li>
              <li role="none">
                <button type="button" role="menuitem" onClick={() => { setOpen(false); onMove(-1); }}>
                  {t('grid.moveLeft')}
                </button>
              </li>
              <li role="none">
                <button type="button" role="menuitem" onClick={() => { setOpen(false); onMove(1); }}>
                  {t('grid.moveRight')}
                </button>
              </li>
            </>
          )}
          {canDesign && (
            <>
              <li role="none">
                <button type="button" role="menuitem" onClick={() => { setOpen(false); setEditing(true); }}>
                  {t('schema.editField')}
                </button>
              </li>
              {field.id !== sheet.primaryFieldId && (
                <li role="none">
                  <button type="button" role="menuitem" className="danger" onClick={() => void remove()}>
                    {t('schema.delete')}
                  </button>
                </li>
              )}
            </>
          )}
        </ul>
      )}
      {editing && <FieldDialog ws={ws} sheet={sheet} field={field} onClose={() => setEditing(false)} />}
    </>
  );
}
