import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { CATALOGUE_BY_NAME } from '../../../schema-engine/formulas/catalogue.js';
import { typeName } from '../designer/announce.js';
import { useI18n } from '../i18n/i18n.js';
import { applySuggestion, contextAt, suggestionsAt } from './completion.js';
import { useFormulaCheck } from './use-formula-check.js';
import './formula-editor.css';

interface FormulaEditorProps {
  ws: string;
  sheetId: string;
  /** Names of the sheet's fields, offered after `{`. */
  fieldNames: readonly string[];
  /** The formula field being edited (it cannot refer to itself). */
  fieldId?: string;
  value: string;
  onChange(value: string): void;
}

/**
 * A formula text area: `{` lists the sheet's fields and letters list functions (arrows, Enter or Tab to pick, Escape to
 * close); the function around the cursor is explained below it, and the server's verdict (the result type, or why
 * the formula is refused, in the user's language) shows as one types.
 */
export function FormulaEditor({ ws, sheetId, fieldNames, fieldId, value, onChange }: FormulaEditorProps) {
  const { t, locale } = useI18n();
  const id = useId();
  const area = useRef<HTMLTextAreaElement>(null);
  const [cursor, setCursor] = useState(value.length);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const suggestions = useMemo(() => (open ? suggestionsAt(value, cursor, fieldNames) : []), [open, value, cursor, fieldNames]);
  const check = useFormulaCheck(ws, sheetId, value, fieldId, locale);
  const highlighted = suggestions[Math.min(active, suggestions.length - 1)];
  // Help for the highlighted function while choosing, else for the function around the cursor.
  const helpName = highlighted?.key.startsWith('fn:') ? highlighted.label : contextAt(value, cursor).call;
  const help = helpName ? CATALOGUE_BY_NAME.get(helpName) : undefined;
  const listId = `${id}-list`;

  useEffect(() => setActive(0), [suggestions.length, open]);

  const moveCursor = (at: number) => {
    setCursor(at);
    requestAnimationFrame(() => area.current?.setSelectionRange(at, at));
  };

  const pick = (index: number) => {
    const suggestion = suggestions[index];
    if (!suggestion) return;
    const next = applySuggestion(value, cursor, suggestion);
    onChange(next.text);
    setOpen(false);
    moveCursor(next.cursor);
    area.current?.focus();
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (!suggestions.length) return;
    const step = (delta: number) => setActive((a) => (a + delta + suggestions.length) % suggestions.length);
    if (e.key === 'ArrowDown') step(1);
    else if (e.key === 'ArrowUp') step(-1);
    else if (e.key === 'Enter' || e.key === 'Tab') pick(active);
    else if (e.key === 'Escape') setOpen(false);
    else return;
    e.preventDefault();
    e.stopPropagation();
  };

  return (
    <div className="formula-editor">
      <label htmlFor={id}>{t('schema.expression')}</label>
      <div className="formula-input">
        <textarea
          id={id}
          ref={area}
          className="input mono"
          rows={3}
          value={value}
          required
          spellCheck={false}
          placeholder={t('schema.expressionExample', { open: '{', close: '}' })}
          aria-autocomplete="list"
          aria-controls={listId}
          aria-activedescendant={highlighted ? `${id}-${suggestions.indexOf(highlighted)}` : undefined}
          aria-describedby={`${id}-status`}
          onChange={(e) => {
            onChange(e.target.value);
            setCursor(e.target.selectionStart);
            setOpen(true);
          }}
          onSelect={(e) => setCursor(e.currentTarget.selectionStart)}
          onKeyDown={onKeyDown}
          onBlur={() => setOpen(false)}
        />
        {suggestions.length > 0 && (
          <ul className="formula-suggestions" role="listbox" id={listId} aria-label={t('formula.suggestions')}>
            {suggestions.map((s, i) => (
              <li
                key={s.key}
                id={`${id}-${i}`}
                role="option"
                aria-selected={s === highlighted}
                onMouseDown={(e) => {
                  e.preventDefault();
                  pick(i);
                }}
              >
                <span className={s.key.startsWith('fn:') ? 'mono' : undefined}>{s.label}</span>
                {s.detail && <span className="formula-detail mono">{s.detail}</span>}
              </li>
            ))}
          </ul>
        )}
      </div>
      <p className="hint">{t('formula.hint')}</p>
      {help && (
        <aside className="formula-help" aria-label={t('formula.help')}>
          <code className="mono">{help.signature}</code>
          <p>{help.description[locale]}</p>
          <p>
            {t('formula.example')} <code className="mono">{help.example}</code>
          </p>
        </aside>
      )}
      <p id={`${id}-status`} className={check.state === 'invalid' ? 'error' : 'hint'} aria-live="polite">
        {check.state === 'invalid' && `${check.message}${check.position >= 0 ? ` ${t('formula.at', { n: check.position + 1 })}` : ''}`}
        {check.state === 'valid' && t('formula.result', { type: typeName(check.type, t) })}
      </p>
    </div>
  );
}
