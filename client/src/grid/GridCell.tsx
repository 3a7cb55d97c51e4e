import type { Field, LinkRef, RecordJson } from '../api/types.js';
import { CellValue } from '../fields/Cell.js';
import { LockIcon } from '../fields/LockIcon.js';
import { useI18n } from '../i18n/i18n.js';
import { CellEditor, type CommitHow, type RefusedEdit } from './CellEditor.js';

interface CellProps {
  field: Field;
  /** The field's place among the shown columns (from 0). */
  col: number;
  record: RecordJson;
  workspaceId: string;
  active: boolean;
  editing: boolean;
  width: number;
  onActivate(): void;
  onStartEdit(): void;
  /** This cell's refused edit, while it is edited again. */
  refused?: RefusedEdit | undefined;
  onCommit(value: unknown, how: CommitHow): void;
  onCancel(): void;
  /** Opens a linked record (its chip was clicked). */
  onOpenLink?: ((link: LinkRef) => void) | undefined;
  /** The message of the lock rule holding this cell read-only, if one does. */
  lockedBy?: string | undefined;
}

/** One grid cell: the value (a linked record's chip opens it), or the field's control while editing. */
export function GridCell({ field, col, record, workspaceId, active, editing, width, refused, onActivate, onStartEdit, onCommit, onCancel, onOpenLink, lockedBy }: CellProps) {
  const { t } = useI18n();
  const locked = lockedBy !== undefined ? t('lock.locked', { message: lockedBy }) : undefined;
  return (
    <div
      role="gridcell"
      aria-selected={active}
      aria-colindex={col + 1}
      data-field={field.name}
      className={`cell${active ? ' active' : ''}${editing ? ' editing' : ''}${locked ? ' locked' : ''}`}
      style={{ width }}
      title={locked}
      aria-readonly={locked ? true : undefined}
      onClick={onActivate}
      onDoubleClick={onStartEdit}
    >
      {editing ? (
        <CellEditor key={`${record.id}:${record.version}`} field={field} record={record} workspaceId={workspaceId} refused={refused} onCommit={onCommit} onCancel={onCancel} />
      ) : (
        <>
          {active && locked && <LockIcon label={locked} />}
          <CellValue field={field} value={record.fields[field.name]} onOpenLink={onOpenLink} />
        </>
      )}
    </div>
  );
}
