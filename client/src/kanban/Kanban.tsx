import { DndContext, KeyboardSensor, PointerSensor, useDraggable, useDroppable, useSensor, useSensors, type DragEndEvent } from '@dnd-kit/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo } from 'react';
import { Link } from 'wouter';
import { api, ApiError } from '../api/http.js';
import { sheetPath, useRecordPages, useUpdateRecord, type ListParams } from '../api/queries.js';
import type { Choice, Field, RecordJson, Sheet } from '../api/types.js';
import { useToast } from '../app/toasts.js';
import { CellValue } from '../fields/Cell.js';
import { formatScalar } from '../fields/format.js';
import { useI18n } from '../i18n/i18n.js';

interface Props {
  workspaceId: string;
  sheet: Sheet;
  groupBy: Field;
  sumField?: Field | undefined;
  cardFields: Field[];
  params: ListParams;
}

interface GroupCount {
  value: string | null;
  count: number;
  sum?: number;
}

const NONE = '\u0000none';

/**
 * A column per choice of a single select; dragging a card (mouse, touch or keyboard: space, arrows, space) to another
 * column sets the value. Each column shows its count and the sum of a number field (pipeline value per stage),
 * counted by the server over every matching record, not only the loaded ones.
 */
export function Kanban({ workspaceId, sheet, groupBy, sumField, cardFields, params }: Props) {
  const { t, locale } = useI18n();
  const toast = useToast();
  const client = useQueryClient();
  const pages = useRecordPages(workspaceId, sheet.id, params, 500);
  const records = useMemo<RecordJson[]>(() => pages.data?.pages.flatMap((p) => p.records) ?? [], [pages.data]);
  const choices = (groupBy.options.choices as Choice[]) ?? [];
  const groupsKey = ['groups', workspaceId, sheet.id, groupBy.id, sumField?.id, params];
  const groups = useQuery({
    queryKey: groupsKey,
    queryFn: () => {
      const q = new URLSearchParams({ field: groupBy.id, ...(sumField ? { sum: sumField.id } : {}), ...(params.search ? { search: params.search } : {}) });
      if (params.filter) q.set('filter', JSON.stringify(params.filter));
      return api<{ groups: GroupCount[] }>('GET', `${sheetPath(workspaceId, sheet.id)}/groups?${q}`);
    },
  });
  const update = useUpdateRecord(workspaceId, sheet.id);
  const sensors = useSensors(useSensor(PointerSensor, { activationConstraint: { distance: 5 } }), useSensor(KeyboardSensor));

  const onDragEnd = async ({ active, over }: DragEndEvent) => {
    if (!over) return;
    const record = records.find((r) => r.id === active.id);
    const target = over.id === NONE ? null : String(over.id);
    if (!record || (record.fields[groupBy.name] ?? null) === target) return;
    try {
      await update.mutateAsync({ id: record.id, fields: { [groupBy.name]: target }, version: record.version });
      void client.invalidateQueries({ queryKey: ['groups', workspaceId, sheet.id] });
    } catch (error) {
      toast(error instanceof ApiError ? error.message : t('toast.error'), 'error');
    }
  };

  // A role that may not change the grouping field (or no record at all) sees the board without dragging.
  const fixed = sheet.noUpdate === true || groupBy.locked === true;
  const columns: { key: string; name: string | null; choice?: Choice }[] = [...choices.map((c) => ({ key: c.name, name: c.name, choice: c })), { key: NONE, name: null }];
  const summary = (name: string | null) => groups.data?.groups.find((g) => g.value === name);
  return (
    <DndContext sensors={sensors} onDragEnd={onDragEnd}>
      <div className="kanban">
        {columns.map((column) => {
          const cards = records.filter((r) => ((r.fields[groupBy.name] as string | undefined) ?? null) === column.name);
          const total = summary(column.name);
          if (column.name === null && !cards.length && !total?.count) return null;
          return (
            <KanbanColumn key={column.key} id={column.key} title={column.name ?? t('kanban.none', { field: groupBy.name })} color={column.choice?.color}>
              <p className="column-summary">
                {t('kanban.count', { count: total?.count ?? cards.length })}
                {sumField && total?.sum !== undefined && <strong> · {formatScalar(sumField.type, sumField.options, total.sum, locale)}</strong>}
              </p>
              {cards.map((record) => (
                <Card key={record.id} record={record} workspaceId={workspaceId} sheet={sheet} fields={cardFields} fixed={fixed} />
              ))}
            </KanbanColumn>
          );
        })}
      </div>
    </DndContext>
  );
}

function KanbanColumn({ id, title, color, children }: { id: string; title: string; color?: string | undefined; children: React.ReactNode }) {
  const { setNodeRef, isOver } = useDroppable({ id });
  return (
    <section ref={setNodeRef} className={`kanban-column${isOver ? ' over' : ''}`} aria-label={title} data-column={title}>
      <h2>
        <span className={`chip chip-${color ?? 'gray'}`}>{title}</span>
      </h2>
      {children}
    </section>
  );
}

function Card({ record, workspaceId, sheet, fields, fixed }: { record: RecordJson; workspaceId: string; sheet: Sheet; fields: Field[]; fixed: boolean }) {
  const { t } = useI18n();
  const { attributes, listeners, setNodeRef, transform, isDragging } = useDraggable({ id: record.id, disabled: fixed });
  const primary = sheet.fields.find((f) => f.id === sheet.primaryFieldId);
  const title = primary ? String(record.fields[primary.name] ?? record.id) : record.id;
  return (
    <article
      ref={setNodeRef}
      className={`kanban-card${isDragging ? ' dragging' : ''}`}
      style={transform ? { transform: `translate(${transform.x}px, ${transform.y}px)` } : undefined}
      data-record={record.id}
      {...listeners}
      {...attributes}
      aria-label={title}
    >
      <div className="card-head">
        <span className="card-title">{title}</span>
        <Link href={`/w/${workspaceId}/s/${sheet.id}/r/${record.id}`} className="card-open" aria-label={`${t('kanban.open')} ${title}`} onPointerDown={(e) => e.stopPropagation()} onKeyDown={(e) => e.stopPropagation()}>
          ↗
        </Link>
      </div>
      {fields
        .filter((f) => f.id !== sheet.primaryFieldId && record.fields[f.name] !== undefined)
        .map((f) => (
          <div key={f.id} className="card-field">
            <span className="muted">{f.name}</span> <CellValue field={f} value={record.fields[f.name]} />
          </div>
        ))}
    </article>
  );
}
