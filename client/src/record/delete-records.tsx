import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { api, ApiError } from '../api/http.js';
import { recordPath, sheetPath } from '../api/queries.js';
import type { RecordJson, Sheet } from '../api/types.js';
import { ConfirmDialog } from '../app/ConfirmDialog.js';
import { useToast } from '../app/toasts.js';
import { useI18n } from '../i18n/i18n.js';
import { recordTitle } from './title.js';

/** How long the toast offers to undo a delete. */
export const UNDO_MS = 8000;

/**
 * After records are deleted or restored. Links show on other sheets' records too, and the trash lists what is deleted:
 * everything about records is asked again, but for records just deleted (their page may still be on screen, and would
 * only hear "not found").
 */
export function refreshRecords(client: QueryClient, ws: string, gone: string[] = []): Promise<void> {
  return client.invalidateQueries({
    predicate: ({ queryKey: [kind, inWs, , id] }) =>
      inWs === ws && ['records', 'record', 'history', 'deleted-records'].includes(String(kind)) && !(kind === 'record' && gone.includes(String(id))),
  });
}

interface Asked {
  records: RecordJson[];
  /** After the records are deleted (the record page leaves for the grid). */
  onDeleted?: (() => void) | undefined;
  /** After an undo brought them back. */
  onRestored?: (() => void) | undefined;
}

/**
 * Deleting records as the app does it: a question naming the record (or the count), then the delete, then a toast
 * whose "Undo" restores them for a few seconds (the trash keeps them afterwards). `dialog` must be rendered.
 */
export function useDeleteRecords(ws: string, sheet: Sheet | undefined): { ask(asked: Asked): void; dialog: ReactNode } {
  const { t, locale } = useI18n();
  const toast = useToast();
  const client = useQueryClient();
  const [asked, setAsked] = useState<Asked | null>(null);

  const refresh = (gone?: string[]) => refreshRecords(client, ws, gone);
  const failed = (error: unknown) => toast(error instanceof ApiError ? error.message : t('toast.error'), 'error');

  const restore = async (sheet: Sheet, ids: string[], onRestored?: () => void) => {
    try {
      // All at once or none (docs/api.md "Record trash").
      await api('POST', `${sheetPath(ws, sheet.id)}/records/restore`, { ids });
      toast(ids.length === 1 ? t('records.restoredOne') : t('records.restoredMany', { count: ids.length }));
      onRestored?.();
    } catch (error) {
      failed(error);
    } finally {
      await refresh();
    }
  };

  const remove = async (sheet: Sheet, { records, onDeleted, onRestored }: Asked) => {
    setAsked(null);
    const done: string[] = [];
    try {
      for (const record of records) {
        await api('DELETE', recordPath(ws, sheet.id, record.id));
        done.push(record.id);
      }
    } catch (error) {
      failed(error);
    }
    // Leaving first: the record page would otherwise ask again for its record, gone.
    if (done.length) onDeleted?.();
    await refresh(done);
    if (!done.length) return;
    const message = done.length === 1 ? t('records.deletedOne', { title: recordTitle(sheet, records.find((r) => r.id === done[0])!, locale) }) : t('records.deletedMany', { count: done.length });
    toast(message, 'info', { duration: UNDO_MS, action: { label: t('records.undo'), run: () => void restore(sheet, done, onRestored) } });
  };

  const dialog = asked && sheet && (
    <ConfirmDialog
      title={asked.records.length === 1 ? t('records.confirmOne', { title: recordTitle(sheet, asked.records[0]!, locale) }) : t('records.confirmMany', { count: asked.records.length })}
      message={t('records.confirmMessage', { sheet: sheet.name })}
      keepLabel={t('records.cancel')}
      proceedLabel={t('record.delete')}
      onKeep={() => setAsked(null)}
      onProceed={() => void remove(sheet, asked)}
    />
  );
  return { ask: setAsked, dialog };
}
