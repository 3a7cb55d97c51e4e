import { useState } from 'react';
import { uploadFile } from '../api/http.js';
import { useToast } from '../app/toasts.js';
import { useI18n } from '../i18n/i18n.js';
import type { ControlProps } from './controls.js';

/** A stored file as records read it (a file chosen before saving has the same shape). */
export interface FileRef {
  id: string;
  name: string;
  url?: string;
}

const asFiles = (value: unknown): FileRef[] => ((value as (FileRef | string)[] | undefined) ?? []).map((f) => (typeof f === 'string' ? { id: f, name: f } : f));

/**
 * Files as chips (each opens or downloads it) with a remove button, and a button to upload more, one file at a time:
 * each is uploaded at once and sent with the record as its id.
 */
export function Attachments(p: ControlProps) {
  const { t } = useI18n();
  const toast = useToast();
  const [uploading, setUploading] = useState<string | null>(null);
  const files = asFiles(p.value);
  const upload = async (input: HTMLInputElement) => {
    const file = input.files?.[0];
    input.value = '';
    if (!file) return;
    setUploading(file.name);
    try {
      const stored = await uploadFile(p.workspaceId, file);
      p.onChange([...files, stored]);
    } catch (error) {
      toast(`${file.name}: ${error instanceof Error ? error.message : t('toast.error')}`, 'error');
    } finally {
      setUploading(null);
    }
  };
  return (
    <span className="chips" id={p.id} role="group" aria-invalid={p.invalid || undefined}>
      {files.map((f) => (
        <span key={f.id} className="chip">
          {f.url ? (
            <a href={f.url} target="_blank" rel="noreferrer">
              📎 {f.name}
            </a>
          ) : (
            <span>📎 {f.name}</span>
          )}
          <button type="button" aria-label={t('upload.remove', { name: f.name })} onClick={() => p.onChange(files.filter((x) => x.id !== f.id))}>
            ×
          </button>
        </span>
      ))}
      {uploading && <span className="hint" role="status">{t('upload.uploading', { name: uploading })}</span>}
      <label className="button small file-button">
        {t('upload.choose')}
        <input type="file" className="visually-hidden" disabled={uploading !== null} onChange={(e) => void upload(e.currentTarget)} />
      </label>
    </span>
  );
}
