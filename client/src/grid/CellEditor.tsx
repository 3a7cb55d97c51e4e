import { useState, type KeyboardEvent } from 'react';
import type { Field, RecordJson } from '../api/types.js';
import { FieldControl } from '../fields/controls.js';

interface Props {
  field: Field;
  record: RecordJson;
  workspaceId: string;
  onCommit(value: unknown): void;
  onCancel(): void;
}

/**
 * A cell's control while it is edited: Enter (Ctrl+Enter in a long text) or leaving it saves, Escape cancels. Its own
 * component, mounted per record and version, so the draft starts from the record being edited even though the grid
 * reuses its cells for other records as it scrolls.
 */
export function CellEditor({ field, record, workspaceId, onCommit, onCancel }: Props) {
  const [draft, setDraft] = useState<unknown>(record.fields[field.name]);
  const keys = (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      onCancel();
    } else if (e.key === 'Enter' && !(e.target instanceof HTMLTextAreaElement && !e.ctrlKey)) {
      e.preventDefault();
      e.stopPropagation();
      onCommit(draft);
    } else {
      e.stopPropagation();
    }
  };
  return (
    <div className="cell-editor" onKeyDown={keys} onBlur={(e) => !e.currentTarget.contains(e.relatedTarget as Node | null) && onCommit(draft)}>
      <FieldControl field={field} value={draft} onChange={setDraft} workspaceId={workspaceId} id={`edit-${record.id}-${field.id}`} invalid={false} autoFocus />
    </div>
  );
}
