import { useState, type KeyboardEvent } from 'react';
import type { Field, RecordJson } from '../api/types.js';
import { FieldControl } from '../fields/controls.js';
import { useI18n } from '../i18n/i18n.js';

/**
 * How an edit ended: Enter keeps the editor open until the server has answered, leaving the cell closes it, Tab closes
 * it and moves to the next cell.
 */
export type CommitHow = 'enter' | 'blur' | 'tab';

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
  onCommit(value: unknown, how: CommitHow): void;
  onCancel(): void;
}

/**
 * A cell's control while it is edited: Enter (Ctrl+Enter in a long text) or leaving it saves, Escape cancels. Its own
 * component, mounted per record and version, so the draft starts from the record being edited even though the grid
 * reuses its cells for other records as it scrolls. A refused edit keeps what was typed, with the reason under it.
 * A pick that completes the value (one link, a person) saves at once.
 */
export function CellEditor({ field, record, workspaceId, refused, onCommit, onCancel }: Props) {
  const { t } = useI18n();
  const [draft, setDraft] = useState<unknown>(() => (refused ? refused.value : record.fields[field.name]));
  const errorId = `edit-error-${record.id}-${field.id}`;
  const keys = (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      onCancel();
    } else if (e.key === 'Tab') {
      // Tab saves like leaving the cell; the grid moves on to the next cell.
      e.preventDefault();
      onCommit(draft, 'tab');
    } else if (e.key === 'Enter' && !(e.target instanceof HTMLButtonElement) && !(e.target instanceof HTMLTextAreaElement && !e.ctrlKey)) {
      e.preventDefault();
      e.stopPropagation();
      onCommit(draft, 'enter');
    } else {
      e.stopPropagation();
    }
  };
  return (
    <div className="cell-editor" onKeyDown={keys} onBlur={(e) => !e.currentTarget.contains(e.relatedTarget as Node | null) && onCommit(draft, 'blur')}>
      <FieldControl field={field} value={draft} onChange={setDraft} workspaceId={workspaceId} id={`edit-${record.id}-${field.id}`} invalid={!!refused} autoFocus onDone={(value) => onCommit(value, 'enter')} />
      {refused && (
        <p className="cell-error" id={errorId} role="alert">
          {refused.message}
          <span className="hint">{t('grid.escToUndo')}</span>
        </p>
      )}
    </div>
  );
}
