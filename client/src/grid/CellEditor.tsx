import { useEffect, useState, type KeyboardEvent } from 'react';
import type { Field, RecordJson } from '../api/types.js';
import { typedStart } from '../fields/cell-text.js';
import { FieldControl } from '../fields/controls.js';
import { useI18n } from '../i18n/i18n.js';

/**
 * How an edit ended: Enter keeps the editor open until the server has answered, then moves down (Shift+Enter up);
 * a pick stays on the cell; leaving the cell closes it; Tab closes it and moves right (Shift+Tab left).
 */
export type CommitHow = 'enter' | 'enter-up' | 'pick' | 'blur' | 'tab' | 'tab-back';

/** Enter, Shift+Enter and a pick that completes the value (a link, a person) wait for the server with the editor open. */
export const isEnter = (how: CommitHow) => how === 'enter' || how === 'enter-up' || how === 'pick';

/** An edit the server (or the number input) refused: what was typed, and why. */
export interface RefusedEdit {
  recordId: string;
  fieldId: string;
  value: unknown;
  message: string;
}

interface Props {
  field: Field;
  record: RecordJson;
  workspaceId: string;
  /** The refused edit of this cell: the editor starts from its value and shows its reason. */
  refused?: RefusedEdit | undefined;
  /** The character typed on the selected cell that opened the editor (type-to-edit): the draft starts from it. */
  seed?: string | undefined;
  onCommit(value: unknown, how: CommitHow): void;
  onCancel(): void;
}

/**
 * A cell's control while it is edited: Enter (Ctrl+Enter in a long text) or leaving it saves, Escape cancels. Its own
 * component, mounted per record and version, so the draft starts from the record being edited even though the grid
 * reuses its cells for other records as it scrolls. A refused edit keeps what was typed, with the reason under it.
 * A pick that completes the value (one link, a person) saves at once.
 */
export function CellEditor({ field, record, workspaceId, refused, seed, onCommit, onCancel }: Props) {
  const { t } = useI18n();
  const typed = seed !== undefined && !refused ? typedStart(field, seed) : undefined;
  const [draft, setDraft] = useState<unknown>(() => (refused ? refused.value : typed ? typed.value : record.fields[field.name]));
  const errorId = `edit-error-${record.id}-${field.id}`;
  const inputId = `edit-${record.id}-${field.id}`;
  // Typing goes on after the typed character, not before it.
  useEffect(() => {
    if (!typed) return;
    const input = document.getElementById(inputId);
    if (input instanceof HTMLInputElement || input instanceof HTMLTextAreaElement) {
      try {
        input.setSelectionRange(input.value.length, input.value.length);
      } catch {
        // An email input has no caret to place; it stays where focusing put it.
      }
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  const keys = (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      onCancel();
    } else if (e.key === 'Tab') {
      // Tab saves like leaving the cell; the grid moves on to the next cell.
      e.preventDefault();
      onCommit(draft, e.shiftKey ? 'tab-back' : 'tab');
    } else if (e.key === 'Enter' && !(e.target instanceof HTMLButtonElement) && !(e.target instanceof HTMLTextAreaElement && !e.ctrlKey)) {
      e.preventDefault();
      e.stopPropagation();
      onCommit(draft, e.shiftKey ? 'enter-up' : 'enter');
    } else {
      e.stopPropagation();
    }
  };
  return (
    <div className="cell-editor" onKeyDown={keys} onBlur={(e) => !e.currentTarget.contains(e.relatedTarget as Node | null) && onCommit(draft, 'blur')}>
      <FieldControl field={field} value={draft} onChange={setDraft} workspaceId={workspaceId} id={inputId} invalid={!!refused} autoFocus onDone={(value) => onCommit(value, 'pick')} />
      {refused && (
        <p className="cell-error" id={errorId} role="alert">
          {refused.message}
          <span className="hint">{t('grid.escToUndo')}</span>
        </p>
      )}
    </div>
  );
}
