import { useState, type FormEvent } from 'react';
import { Link, useLocation } from 'wouter';
import { useDeleteForm, useForms, useUpdateForm, type Form } from '../api/forms.js';
import { ApiError } from '../api/http.js';
import { useToast } from '../app/toasts.js';
import { useI18n } from '../i18n/i18n.js';
import { useDesigner } from './context.js';
import type { FormSaver } from './use-form-save.js';

interface Props {
  form: Form;
  saver: FormSaver;
  mode: 'design' | 'preview';
  onMode(mode: 'design' | 'preview'): void;
}

/** The form's name and status, the form switcher, undo/redo, design/preview, save draft and publish. */
export function DesignerToolbar({ form, saver, mode, onMode }: Props) {
  const { t } = useI18n();
  const toast = useToast();
  const [, navigate] = useLocation();
  const { ws, sheet, state, dispatch } = useDesigner();
  const forms = useForms(ws, sheet.id).data ?? [];
  const update = useUpdateForm(ws, sheet.id, form.id);
  const remove = useDeleteForm(ws, sheet.id);
  const [renaming, setRenaming] = useState<string | null>(null);
  const base = `/w/${ws}/s/${sheet.id}/forms`;
  const fail = (error: unknown) => toast(error instanceof ApiError ? error.message : t('toast.error'), 'error');

  const rename = async (event: FormEvent) => {
    event.preventDefault();
    try {
      await update.mutateAsync({ name: renaming ?? form.name });
      setRenaming(null);
    } catch (error) {
      fail(error);
    }
  };
  const deleteForm = async () => {
    if (!window.confirm(t('designer.deleteConfirm', { name: form.name }))) return;
    try {
      await remove.mutateAsync(form.id);
      saver.release();
      navigate(base);
    } catch (error) {
      fail(error);
    }
  };
  const status = saver.dirty ? t('designer.unsaved') : form.publishedVersion === null ? t('designer.neverPublished') : form.dirty ? t('designer.draftDiffers', { n: form.publishedVersion }) : t('designer.published', { n: form.publishedVersion });

  return (
    <div className="toolbar designer-toolbar">
      <Link href={base} className="button small">
        ← {t('designer.allForms')}
      </Link>
      {renaming === null ? (
        <h1>
          <button type="button" className="title-button" title={t('designer.rename')} onClick={() => setRenaming(form.name)}>
            {form.name}
          </button>
        </h1>
      ) : (
        <form className="inline-form" onSubmit={rename}>
          <input className="input" aria-label={t('designer.rename')} value={renaming} onChange={(e) => setRenaming(e.target.value)} autoFocus onKeyDown={(e) => e.key === 'Escape' && setRenaming(null)} />
          <button type="submit" className="button small primary">
            {t('form.save')}
          </button>
        </form>
      )}
      {forms.length > 1 && (
        <select className="input slim" aria-label={t('designer.switchForm')} value={form.id} onChange={(e) => navigate(`${base}/${e.target.value}`)}>
          {forms.map((f) => (
            <option key={f.id} value={f.id}>
              {f.name}
            </option>
          ))}
        </select>
      )}
      {form.isDefault ? (
        <span className="designer-badge default" title={t('designer.defaultHint')}>
          {t('designer.default')}
        </span>
      ) : (
        <button type="button" className="button small" onClick={() => update.mutateAsync({ isDefault: true }).catch(fail)}>
          {t('designer.makeDefault')}
        </button>
      )}
      <span className={`designer-status${saver.dirty ? ' dirty' : ''}`} role="status">
        {status}
      </span>
      <span className="spacer" />
      <div className="segmented" role="group" aria-label={t('designer.history')}>
        <button type="button" onClick={() => dispatch({ type: 'undo' })} disabled={!state.past.length} aria-label={t('designer.undo')} title={t('designer.undoKeys')}>
          ↶
        </button>
        <button type="button" onClick={() => dispatch({ type: 'redo' })} disabled={!state.future.length} aria-label={t('designer.redo')} title={t('designer.redoKeys')}>
          ↷
        </button>
      </div>
      <div className="segmented" role="group" aria-label={t('designer.mode')}>
        <button type="button" aria-pressed={mode === 'design'} onClick={() => onMode('design')}>
          {t('designer.design')}
        </button>
        <button type="button" aria-pressed={mode === 'preview'} onClick={() => onMode('preview')}>
          {t('designer.preview')}
        </button>
      </div>
      <button type="button" className="button" onClick={saver.save} disabled={!saver.dirty || saver.busy}>
        {t('designer.saveDraft')}
      </button>
      <button type="button" className="button primary" onClick={saver.publish} disabled={saver.busy || (!saver.dirty && !form.dirty && form.publishedVersion !== null)}>
        {t('designer.publish')}
      </button>
      <button type="button" className="button small danger" onClick={deleteForm}>
        {t('designer.deleteForm')}
      </button>
    </div>
  );
}
