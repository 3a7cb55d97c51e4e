import { useState, type ChangeEvent } from 'react';
import { ApiError } from '../api/http.js';
import { useToast } from '../app/toasts.js';
import { useI18n } from '../i18n/i18n.js';

/**
 * A file input's change handled once: `work` runs on the chosen file while `busy`, its error shown as a toast, and
 * the input cleared afterwards so the same file can be chosen again.
 */
export function useFilePick(work: (file: File) => Promise<void>): { busy: boolean; onChange: (event: ChangeEvent<HTMLInputElement>) => void } {
  const { t } = useI18n();
  const toast = useToast();
  const [busy, setBusy] = useState(false);
  const onChange = (event: ChangeEvent<HTMLInputElement>) => {
    const input = event.currentTarget;
    const file = input.files?.[0];
    if (!file) return;
    setBusy(true);
    void work(file)
      .catch((error: unknown) => toast(error instanceof ApiError || error instanceof Error ? error.message : t('toast.error'), 'error'))
      .finally(() => {
        input.value = '';
        setBusy(false);
      });
  };
  return { busy, onChange };
}
