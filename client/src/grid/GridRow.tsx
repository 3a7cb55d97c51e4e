import { memo } from 'react';
import { Link } from 'wouter';
import type { Field, LinkRef, RecordJson } from '../api/types.js';
import { GridCell } from './GridCell.js';

/** What every row does with its cells, the same functions for all rows (so a row that did not change skips rendering). */
export interface RowActions {
  activate(row: number, col: number): void;
  startEdit(row: number, col: number): void;
  commit(record: RecordJson, field: Field, value: unknown): void;
  cancel(): void;
  openLink(field: Field, link: LinkRef): void;
}

interface Props {
  workspaceId: string;
  sheetId: string;
  record: RecordJson;
  index: number;
  /** The row's offset from the top, px. */
  start: number;
  height: number;
  fields: Field[];
  widths: number[];
  /** The active cell's column when it is in this row. */
  activeCol: number | null;
  editing: boolean;
  actions: RowActions;
}

/**
 * One record's row of the virtualized grid. The grid keys rows by their place in its window, so scrolling hands a row
 * element the record now in its place (its text changes, no element is created or removed). Memoized: a render that
 * does not change the row's record, place or columns (a page arriving, the active cell moving elsewhere) skips it.
 */
export const GridRow = memo(function GridRow({ workspaceId, sheetId, record, index, start, height, fields, widths, activeCol, editing, actions }: Props) {
  return (
    <div role="row" className="grid-row" style={{ height, transform: `translateY(${start}px)` }} aria-rowindex={index + 1}>
      <div className="cell rownum">
        <Link href={`/w/${workspaceId}/s/${sheetId}/r/${record.id}`} aria-label={`open ${record.id}`}>
          {index + 1}
        </Link>
      </div>
      {fields.map((f, col) => (
        <GridCell
          key={f.id}
          field={f}
          record={record}
          workspaceId={workspaceId}
          width={widths[col]!}
          active={activeCol === col}
          editing={activeCol === col && editing}
          onActivate={() => actions.activate(index, col)}
          onStartEdit={() => actions.startEdit(index, col)}
          onCommit={(value) => actions.commit(record, f, value)}
          onCancel={actions.cancel}
          onOpenLink={f.type === 'link' ? (link) => actions.openLink(f, link) : undefined}
        />
      ))}
    </div>
  );
});
