import { useQueryClient } from '@tanstack/react-query';
import { useState, type Dispatch } from 'react';
import type { FormLayout } from '../../../schema-engine/forms/layout.js';
import { usePublishForm, useRestoreVersion, useUpdateForm, type Form } from '../api/forms.js';
import { ApiError } from '../api/http.js';
import { keys } from '../api/queries.js';
import { useLeaveGuard } from '../app/leave-guard.js';
import { useToast } from '../app/toasts.js';
import { useI18n } from '../i18n/i18n.js';
import { pendingFields, type DesignerDoc, type LayoutAction } from './layout-reducer.js';
import { sameLayout } from './layout-tree.js';

/**
 * Saving, publishing and restoring a form's draft. Every write names the draft version the designer started from;
 * when someone else saved meanwhile the server answers 409 and the designer offers to load their version or to
 * overwrite it with this one, never overwriting on its own.
 */
export function useFormSave(ws: string, sheet: string, form: Form, doc: DesignerDoc, dispatch: Dispatch<LayoutAction>) {
  const { t } = useI18n();
  const toast = useToast();
  const client = useQueryClient();
  /** The server's draft this designer edits, and its version. */
  const [base, setBase] = useState<{ version: number; draft: FormLayout }>({ version: form.version, draft: form.draft });
  const [conflict, setConflict] = useState<Form | null>(null);
  const update = useUpdateForm(ws, sheet, form.id);
  const publishing = usePublishForm(ws, sheet, form.id);
  const restoring = useRestoreVersion(ws, sheet, form.id);
  const dirty = !sameLayout(doc.layout, base.draft) || pendingFields(doc).length > 0;
  // Leaving with unsaved changes asks first (links, back, closing the tab).
  const guard = useLeaveGuard(dirty);

  const adopt = (saved: Form, reload: boolean) => {
    setBase({ version: saved.version, draft: saved.draft });
    setConflict(null);
    if (reload) dispatch({ type: 'load', layout: saved.draft });
  };

  const failed = (error: unknown) => {
    if (error instanceof ApiError && error.code === 'version_conflict' && error.details.current) setConflict(error.details.current as Form);
    else toast(error instanceof ApiError ? error.message : t('toast.error'), 'error');
  };

  const save = async (version = base.version): Promise<Form | undefined> => {
    const newFields = pendingFields(doc);
    try {
      const saved = await update.mutateAsync({ layout: doc.layout, version, ...(newFields.length ? { newFields } : {}) });
      // New fields replaced their refs by ids: the designer must know the fields before it shows the layout.
      if (newFields.length) await client.refetchQueries({ queryKey: keys.sheets(ws) });
      adopt(saved, newFields.length > 0 || !sameLayout(saved.draft, doc.layout));
      toast(t('designer.savedDraft'));
      return saved;
    } catch (error) {
      failed(error);
      return undefined;
    }
  };

  const publish = async () => {
    const current = dirty ? await save() : { version: base.version };
    if (!current) return;
    try {
      const published = await publishing.mutateAsync(current.version);
      setBase({ version: published.version, draft: published.draft });
      toast(t('designer.publishedToast', { n: published.publishedVersion ?? '' }));
    } catch (error) {
      failed(error);
    }
  };

  const restore = async (n: number) => {
    try {
      adopt(await restoring.mutateAsync({ n, version: base.version }), true);
      toast(t('designer.restored', { n }));
    } catch (error) {
      failed(error);
    }
  };

  return {
    dirty,
    conflict,
    busy: update.isPending || publishing.isPending || restoring.isPending,
    save: () => void save(),
    publish: () => void publish(),
    restore: (n: number) => void restore(n),
    /** Their version replaces this designer's changes. */
    loadTheirs: () => conflict && adopt(conflict, true),
    /** This designer's layout replaces theirs (a deliberate choice). */
    overwrite: () => conflict && void save(conflict.version),
    /** The form is going away (deleted): leave without asking. */
    release: guard.release,
  };
}

export type FormSaver = ReturnType<typeof useFormSave>;
