import { closestCenter, DndContext, KeyboardSensor, PointerSensor, useDraggable, useDroppable, useSensor, useSensors, type Announcements, type DragEndEvent, type UniqueIdentifier } from '@dnd-kit/core';
import { memo, useMemo, useRef, useState, type PointerEvent as ReactPointerEvent } from 'react';
import type { Field, Sheet } from '../api/types.js';
import { useI18n } from '../i18n/i18n.js';
import { FieldDialog } from '../schema/FieldDialog.js';
import { columnCoordinates, moveColumn, shiftColumn } from './column-order.js';
import { HeaderMenu } from './HeaderMenu.js';
import { nextSort } from './sort.js';
import type { HeaderActions } from './useColumns.js';
import { LockIcon } from '../fields/LockIcon.js';

interface Props {
  workspaceId: string;
  sheet: Sheet;
  /** The shown columns, in the view's order (the primary field first). */
  fields: Field[];
  sort: string;
  canDesign: boolean;
  totalWidth: number;
  /** The shown columns' widths, in their order. */
  widths: number[];
  actions: HeaderActions;
}

/**
 * The grid's header row: sort by click (shift-click adds a key), a menu per column, resize by the right edge, and
 * columns reordered by dragging the header with the mouse (or its grip by touch), or from its grip with the keyboard
 * (Space, left and right arrows, Space; moves are announced to screen readers). The primary field stays first.
 * Memoized: the grid renders on every scroll that moves its rows, the header only when the columns or sort change.
 */
export const GridHeader = memo(function GridHeader({ workspaceId, sheet, fields, sort, canDesign, totalWidth, widths, actions }: Props) {
  const { t } = useI18n();
  const [adding, setAdding] = useState(false);
  const [dragging, setDragging] = useState<UniqueIdentifier | null>(null);
  const order = fields.map((f) => f.id);
  const latest = useRef(order);
  latest.current = order;
  const keyboardTarget = useRef<string | null>(null);
  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 6 } }),
    useSensor(KeyboardSensor, { coordinateGetter: columnCoordinates(() => latest.current, keyboardTarget) }),
  );
  const accessibility = useMemo(() => {
    const name = (id: UniqueIdentifier | undefined) => fields.find((f) => f.id === id)?.name ?? '';
    const announcements: Announcements = {
      onDragStart: ({ active }) => t('grid.announce.start', { name: name(active.id) }),
      onDragOver: ({ active, over }) => (over ? t('grid.announce.over', { name: name(active.id), place: name(over.id) }) : undefined),
      onDragEnd: ({ active, over }) => t(over ? 'grid.announce.end' : 'grid.announce.cancel', { name: name(active.id), place: name(over?.id) }),
      onDragCancel: ({ active }) => t('grid.announce.cancel', { name: name(active.id) }),
    };
    return { announcements, screenReaderInstructions: { draggable: t('grid.dragInstructions') } };
  }, [fields, t]);

  const onDragEnd = ({ active, over }: DragEndEvent) => {
    const onto = keyboardTarget.current ?? over?.id;
    setDragging(null);
    keyboardTarget.current = null;
    if (onto === undefined || onto === active.id) return;
    actions.reorder(moveColumn(order, String(active.id), String(onto)));
  };
  const onDragCancel = () => {
    setDragging(null);
    keyboardTarget.current = null;
  };
  const sortOf = (f: Field) => {
    const keys = sort.split(',').filter(Boolean);
    if (keys.some((k) => k === f.id || k === f.name)) return 'asc';
    return keys.some((k) => k === `-${f.id}` || k === `-${f.name}`) ? 'desc' : undefined;
  };
  const from = dragging === null ? -1 : order.indexOf(String(dragging));

  return (
    <DndContext sensors={sensors} collisionDetection={closestCenter} accessibility={accessibility} onDragStart={({ active }) => setDragging(active.id)} onDragEnd={onDragEnd} onDragCancel={onDragCancel}>
      <div className="grid-header" role="row" style={{ width: totalWidth }}>
        <div className="cell rownum" />
        {fields.map((f, index) => (
          <HeaderCell
            key={f.id}
            field={f}
            primary={f.id === sheet.primaryFieldId}
            width={widths[index]!}
            sort={sortOf(f)}
            dropSide={from < 0 ? undefined : index < from ? 'before' : index > from ? 'after' : undefined}
            onSort={(shift) => actions.sort(nextSort(sort, f.id, shift))}
            onResizeStart={(e) => actions.resizeStart(f, e)}
          >
            <HeaderMenu ws={workspaceId} sheet={sheet} field={f} canDesign={canDesign} onSort={actions.sort} onHide={() => actions.hide(f)} onMove={(by) => actions.reorder(shiftColumn(order, f.id, by))} />
          </HeaderCell>
        ))}
        {canDesign && (
          <div className="cell header add-field">
            <button type="button" className="header-button" aria-label={t('schema.addField')} onClick={() => setAdding(true)}>
              +
            </button>
          </div>
        )}
      </div>
      {adding && <FieldDialog ws={workspaceId} sheet={sheet} onClose={() => setAdding(false)} />}
    </DndContext>
  );
});

interface CellProps {
  field: Field;
  primary: boolean;
  width: number;
  sort: 'asc' | 'desc' | undefined;
  /** While another column is dragged: the side of this one it would land on. */
  dropSide: 'before' | 'after' | undefined;
  onSort(shift: boolean): void;
  onResizeStart(event: ReactPointerEvent): void;
  children: React.ReactNode;
}

/**
 * One column header and a place to drop another column. The pointer drags it from anywhere on it (after 6 px, so a
 * click still sorts); the keyboard picks it up from its grip only (Space on the name still sorts).
 */
function HeaderCell({ field, primary, width, sort, dropSide, onSort, onResizeStart, children }: CellProps) {
  const { t } = useI18n();
  const drag = useDraggable({ id: field.id, disabled: primary });
  const drop = useDroppable({ id: field.id });
  const shift = drag.transform ? `translate3d(${drag.transform.x}px, 0, 0)` : undefined;
  const classes = ['cell', 'header', drag.isDragging ? 'dragging' : '', drop.isOver && dropSide ? `drop-${dropSide}` : ''].filter(Boolean).join(' ');
  return (
    <div
      ref={(node) => {
        drag.setNodeRef(node);
        drop.setNodeRef(node);
      }}
      role="columnheader"
      aria-sort={sort === 'asc' ? 'ascending' : sort === 'desc' ? 'descending' : 'none'}
      data-field={field.name}
      className={classes}
      style={{ width, transform: shift }}
      {...drag.listeners}
    >
      {!primary && (
        <button type="button" ref={drag.setActivatorNodeRef} className="column-grip" {...drag.attributes} aria-label={t('grid.moveColumn', { name: field.name })} />
      )}
      <button type="button" className="header-button" title={field.error ?? field.description} onClick={(e) => onSort(e.shiftKey)}>
        {field.error ? '⚠ ' : ''}
        {field.name} {sort === 'asc' ? '▲' : sort === 'desc' ? '▼' : ''}
        {field.locked && (
          <LockIcon label={t('team.readOnlyField')} />
        )}
      </button>
      {children}
      <span
        className="resize-handle"
        role="separator"
        aria-orientation="vertical"
        aria-label={t('grid.columnWidth', { name: field.name })}
        onPointerDown={(e) => {
          e.stopPropagation();
          onResizeStart(e);
        }}
      />
    </div>
  );
}
