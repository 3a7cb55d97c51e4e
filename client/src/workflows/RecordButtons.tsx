import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError } from '../api/http.js';
import { useToast } from '../app/toasts.js';
import { useI18n } from '../i18n/i18n.js';
import { pressButton, useButtons } from './api.js';

/** The record page's workflow buttons: each enabled `button` workflow of the sheet, by its label; pressing starts a run. */
export function RecordButtons({ ws, sheet, recordId, canUpdate }: { ws: string; sheet: string; recordId: string; canUpdate: boolean }) {
  const { t } = useI18n();
  const toast = useToast();
  const client = useQueryClient();
  const buttons = useButtons(ws, sheet).data ?? [];
  const [busy, setBusy] = useState<string | null>(null);
  if (!buttons.length) return null;
  const press = async (id: string, label: string) => {
    setBusy(id);
    try {
      await pressButton(ws, sheet, recordId, id);
      toast(t('wf.buttonStarted', { label }));
      // The run may change this record soon: ask for it again in a moment.
      setTimeout(() => void client.invalidateQueries({ queryKey: ['record', ws] }), 1500);
    } catch (error) {
      toast(error instanceof ApiError ? error.message : t('toast.error'), 'error');
    } finally {
      setBusy(null);
    }
  };
  return (
    <>
      {buttons.map((b) => (
        <button key={b.id} type="button" className="button" data-workflow-button={b.id} disabled={!canUpdate || busy === b.id} onClick={() => void press(b.id, b.label)}>
          {b.label}
        </button>
      ))}
    </>
  );
}
