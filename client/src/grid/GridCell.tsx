import { useState, type KeyboardEvent } from 'react';
import type { Field, LinkRef, RecordJson } from '../api/types.js';
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
  /** Opens a linked record (its chip was clicked). */
  onOpenLink?: ((link: LinkRef) => void) | undefined;
}

/** One grid cell: the value (a linked record's chip opens it), or the field's control while editing (Enter saves, Escape cancels). */
export function GridCell({ field, record, workspaceId, active, editing, width, onActivate, onStartEdit, onCommit, onCancel, onOpenLink }: CellProps) {
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
        <CellValue field={field} value={record.fields[field.name]} onOpenLink={onOpenLink} />
      )}
    </div>
  );
}
