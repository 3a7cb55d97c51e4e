import { useState, type KeyboardEvent } from 'react';
import type { Field, RecordJson } from '../api/types.js';
import { CellValue } from '../fields/Cell.js';
import { FieldControl } from '../fields/controls.js';

interface CellProps {
  field: Field;
  record: RecordJson;
  workspaceId: string;
  active: boolean;
  editing: boolean;
  width: number;
  onActivate(): void;
  onStartEdit(): void;
  onCommit(value: unknown): void;
  onCancel(): void;
}

/** One grid cell: the value, or the field's control while editing (Enter saves, Escape cancels). */
export function GridCell({ field, record, workspaceId, active, editing, width, onActivate, onStartEdit, onCommit, onCancel }: CellProps) {
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
    <div
      role="gridcell"
      aria-selected={active}
      data-field={field.name}
      className={`cell${active ? ' active' : ''}${editing ? ' editing' : ''}`}
      style={{ width }}
      onClick={onActivate}
      onDoubleClick={onStartEdit}
    >
      {editing ? (
        <div className="cell-editor" onKeyDown={keys} onBlur={(e) => !e.currentTarget.contains(e.relatedTarget as Node | null) && onCommit(draft)}>
          <FieldControl field={field} value={draft} onChange={setDraft} workspaceId={workspaceId} id={`edit-${record.id}-${field.id}`} invalid={false} autoFocus />
        </div>
      ) : (
        <CellValue field={field} value={record.fields[field.name]} />
      )}
    </div>
  );
}
