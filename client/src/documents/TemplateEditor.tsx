import { useRef, useState, type KeyboardEvent } from 'react';
import { ApiError } from '../api/http.js';
import type { Sheet } from '../api/types.js';
import { useLeaveGuard } from '../app/leave-guard.js';
import { useToast } from '../app/toasts.js';
import { useI18n } from '../i18n/i18n.js';
import { documentUrl, templateProblem, useDocumentMutations, type DocumentJson, type TemplateProblem } from './api.js';
import { FieldsPalette } from './FieldsPalette.js';
import { PreviewFrame } from './PreviewFrame.js';
import { RecordPicker } from './RecordPicker.js';
import { usePreview } from './usePreview.js';

const LOCALES = ['en', 'zh-TW'];

/** Selects line `line` of a textarea and scrolls it into view. */
function goToLine(area: HTMLTextAreaElement, line: number, column = 1) {
  const lines = area.value.split('\n');
  const start = lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0);
  const end = start + (lines[line - 1]?.length ?? 0);
  area.focus();
  area.setSelectionRange(Math.min(start + column - 1, end), end);
  const height = area.scrollHeight / Math.max(lines.length, 1);
  area.scrollTop = Math.max(0, (line - 3) * height);
}

/** One document: its name, locale and template, with a live preview of a chosen record; saved with its version. */
export function TemplateEditor({ ws, sheet, doc, recordId, onRecord, onDeleted }: { ws: string; sheet: Sheet; doc: DocumentJson; recordId: string | undefined; onRecord(id: string): void; onDeleted(): void }) {
  const { t } = useI18n();
  const toast = useToast();
  const { save, remove } = useDocumentMutations(ws, sheet.id);
  const [name, setName] = useState(doc.name);
  const [template, setTemplate] = useState(doc.template);
  const [locale, setLocale] = useState(doc.locale);
  const [version, setVersion] = useState(doc.version);
  const [saved, setSaved] = useState({ name: doc.name, template: doc.template, locale: doc.locale });
  const [saveProblem, setSaveProblem] = useState<TemplateProblem | null>(null);
  const [conflict, setConflict] = useState<DocumentJson | null>(null);
  const area = useRef<HTMLTextAreaElement>(null);
  const preview = usePreview(ws, sheet.id, template, recordId, locale);
  const dirty = name !== saved.name || template !== saved.template || locale !== saved.locale;
  const problem = preview.problem ?? saveProblem;
  // Leaving with unsaved changes asks first; opened from the list, its own address (/documents/:id) is the same page.
  const guard = useLeaveGuard(dirty, (path) => path.endsWith(`/documents/${doc.id}`));

  const store = async (overwrite: boolean) => {
    try {
      const result = await save.mutateAsync({ id: doc.id, name: name.trim(), template, locale, ...(overwrite ? {} : { version }) });
      setVersion(result.version);
      setSaved({ name: result.name, template: result.template, locale: result.locale });
      setSaveProblem(null);
      setConflict(null);
      toast(t('documents.saved'));
    } catch (error) {
      if (error instanceof ApiError && error.status === 409) return setConflict((error.details.current as DocumentJson | undefined) ?? null);
      const found = templateProblem(error);
      if (found && !(error instanceof ApiError && error.fields.name)) return setSaveProblem(found);
      toast(error instanceof ApiError ? error.message : t('toast.error'), 'error');
    }
  };

  const takeTheirs = () => {
    if (!conflict) return;
    setName(conflict.name);
    setTemplate(conflict.template);
    setLocale(conflict.locale);
    setVersion(conflict.version);
    setSaved({ name: conflict.name, template: conflict.template, locale: conflict.locale });
    setConflict(null);
  };

  const destroy = async () => {
    if (!window.confirm(t('documents.deleteConfirm', { name: doc.name }))) return;
    try {
      await remove.mutateAsync(doc.id);
      guard.release();
      onDeleted();
    } catch (error) {
      toast(error instanceof ApiError ? error.message : t('toast.error'), 'error');
    }
  };

  const insert = (snippet: string) => {
    const el = area.current;
    if (!el) return setTemplate(template + snippet);
    const { selectionStart: start, selectionEnd: end } = el;
    setTemplate(template.slice(0, start) + snippet + template.slice(end));
    requestAnimationFrame(() => {
      el.focus();
      el.setSelectionRange(start + snippet.length, start + snippet.length);
    });
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Tab' && !event.shiftKey && !event.ctrlKey && !event.metaKey) {
      event.preventDefault();
      insert('  ');
    } else if (event.key === 's' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void store(false);
    }
  };

  return (
    <div className="documents-editor">
      <div className="documents-editor-head">
        <label className="documents-name">
          <span className="hint">{t('documents.name')}</span>
          <input className="input" value={name} onChange={(e) => setName(e.target.value)} maxLength={255} required />
        </label>
        <label>
          <span className="hint">{t('documents.locale')}</span>
          <select className="input slim" value={locale} onChange={(e) => setLocale(e.target.value)}>
            {[...new Set([...LOCALES, locale])].map((l) => (
              <option key={l} value={l}>
                {l}
              </option>
            ))}
          </select>
        </label>
        <span className="spacer" />
        {dirty && <span className="hint">{t('documents.unsaved')}</span>}
        <button type="button" className="button primary" disabled={save.isPending || !name.trim()} onClick={() => void store(false)}>
          {t('form.save')}
        </button>
        {recordId && (
          <a className="button" href={documentUrl(ws, sheet.id, recordId, doc.id)} target="_blank" rel="noopener">
            {t('documents.open')}
          </a>
        )}
        <button type="button" className="button danger" onClick={() => void destroy()}>
          {t('documents.delete')}
        </button>
      </div>
      {conflict && (
        <div className="banner" role="alert">
          {t('documents.conflict')}{' '}
          <button type="button" className="button small" onClick={takeTheirs}>
            {t('documents.takeTheirs')}
          </button>{' '}
          <button type="button" className="button small" onClick={() => void store(true)}>
            {t('documents.keepMine')}
          </button>
        </div>
      )}
      <div className="documents-panes">
        <div className="documents-source">
          <textarea
            ref={area}
            className="input mono documents-code"
            aria-label={t('documents.template')}
            spellCheck={false}
            value={template}
            onChange={(e) => {
              setTemplate(e.target.value);
              setSaveProblem(null);
            }}
            onKeyDown={onKeyDown}
          />
          {problem && (
            <p className="error documents-problem" role="alert">
              {problem.line !== undefined ? t('documents.errorAt', { line: problem.line, column: problem.column ?? 1 }) : t('documents.error')} {problem.message}{' '}
              {problem.line !== undefined && (
                <button type="button" className="link" onClick={() => area.current && goToLine(area.current, problem.line!, problem.column)}>
                  {t('documents.goToLine')}
                </button>
              )}
            </p>
          )}
          <FieldsPalette ws={ws} sheet={sheet} onInsert={insert} />
        </div>
        <div className="documents-preview">
          <div className="documents-preview-bar">
            <RecordPicker ws={ws} sheet={sheet} value={recordId} onChange={onRecord} />
            {preview.busy && <span className="hint">{t('documents.rendering')}</span>}
          </div>
          {recordId ? (
            <PreviewFrame title={t('documents.preview')} html={preview.html} />
          ) : (
            <p className="empty">{t('documents.noRecord')}</p>
          )}
        </div>
      </div>
    </div>
  );
}
