import type { Field, LinkRef, RecordJson } from '../api/types.js';
import { CellValue } from '../fields/Cell.js';
import { LockIcon } from '../fields/LockIcon.js';
import { RecordScope } from '../fields/record-scope.js';
import { useI18n } from '../i18n/i18n.js';
import { CellEditor, type CommitHow, type RefusedEdit } from './CellEditor.js';

interface CellProps {
  field: Field;
  /** The field's place among the shown columns (from 0). */
  col: number;
  record: RecordJson;
  workspaceId: string;
  sheetId: string;
  active: boolean;
  /** In the selected range (the active cell is too). */
  inRange: boolean;
  editing: boolean;
  width: number;
  onActivate(): void;
  onStartEdit(): void;
  /** A press starts selecting (Shift: extends the range); moving over the cell while pressed extends it. */
  onPointerDown(shift: boolean): void;
  onPointerEnter(): void;
  /** This cell's refused edit, while it is edited again. */
  refused?: RefusedEdit | undefined;
  /** The character that opened the editor (type-to-edit). */
  seed?: string | undefined;
  onCommit(value: unknown, how: CommitHow): void;
  onCancel(): void;
  /** Opens a linked record (its chip was clicked). */
  onOpenLink?: ((link: LinkRef) => void) | undefined;
  /** The message of the lock rule holding this cell read-only, if one does. */
  lockedBy?: string | undefined;
}

/** One grid cell: the value (a linked record's chip opens it), or the field's control while editing. */
export function GridCell({ field, col, record, workspaceId, sheetId, active, inRange, editing, width, refused, seed, onActivate, onStartEdit, onPointerDown, onPointerEnter, onCommit, onCancel, onOpenLink, lockedBy }: CellProps) {
  const { t } = useI18n();
  const locked = lockedBy !== undefined ? t('lock.locked', { message: lockedBy }) : undefined;
  return (
    <div
      role="gridcell"
      aria-selected={active || inRange}
      aria-colindex={col + 1}
      data-field={field.name}
      className={`cell${active ? ' active' : ''}${inRange && !active ? ' in-range' : ''}${editing ? ' editing' : ''}${locked ? ' locked' : ''}`}
      style={{ width }}
      title={locked}
      aria-readonly={locked ? true : undefined}
      onClick={onActivate}
      onMouseDown={(e) => {
        if (e.button !== 0 || editing) return;
        // Shift+click extends the range instead of selecting the text between the clicks.
        if (e.shiftKey) e.preventDefault();
        onPointerDown(e.shiftKey);
      }}
      onMouseEnter={onPointerEnter}
      onDoubleClick={onStartEdit}
    >
      {editing ? (
        <CellEditor key={`${record.id}:${record.version}`} field={field} record={record} workspaceId={workspaceId} refused={refused} seed={seed} onCommit={onCommit} onCancel={onCancel} />
      ) : (
        <>
          {active && locked && <LockIcon label={locked} />}
          <RecordScope.Provider value={{ ws: workspaceId, sheet: sheetId, record: record.id, canUpdate: record.can?.update !== false }}>
            <CellValue field={field} value={record.fields[field.name]} onOpenLink={onOpenLink} />
          </RecordScope.Provider>
        </>
      )}
    </div>
  );
}
