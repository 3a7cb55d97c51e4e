import type { KeyboardCoordinateGetter } from '@dnd-kit/core';

/**
 * The view's column order with one column moved onto another's place (dropped on a column to its right, it goes after
 * it; to its left, before it). The first column (the primary field) never moves and nothing goes before it.
 */
export function moveColumn(order: readonly string[], id: string, onto: string): string[] {
  const from = order.indexOf(id);
  const to = Math.max(1, order.indexOf(onto));
  if (from < 1 || order.indexOf(onto) < 0 || from === to) return [...order];
  const next = order.filter((x) => x !== id);
  next.splice(to, 0, id);
  return next;
}

/** A column moved by a number of places (the header menu's "move left/right"), kept after the primary field. */
export function shiftColumn(order: readonly string[], id: string, by: number): string[] {
  const from = order.indexOf(id);
  if (from < 1) return [...order];
  const onto = order[Math.max(1, Math.min(order.length - 1, from + by))]!;
  return moveColumn(order, id, onto);
}

/** Where a keyboard drag is headed: kept by the arrow keys themselves, as dnd-kit's `over` follows a render later. */
export interface KeyboardTarget {
  current: string | null;
}

/**
 * Left and right arrows move a keyboard drag from column to column: the dragged header's center goes onto the next
 * column's center in the view's order, which becomes `target` (other keys do nothing).
 */
export function columnCoordinates(order: () => readonly string[], target: KeyboardTarget): KeyboardCoordinateGetter {
  return (event, { context, currentCoordinates }) => {
    const step = event.code === 'ArrowRight' ? 1 : event.code === 'ArrowLeft' ? -1 : 0;
    if (!step) return undefined;
    event.preventDefault();
    const { droppableRects, active, collisionRect } = context;
    const ids = order().filter((id) => droppableRects.has(id));
    const at = ids.indexOf(target.current ?? String(active?.id ?? ''));
    if (at < 0 || !collisionRect) return currentCoordinates;
    const next = ids[Math.max(0, Math.min(ids.length - 1, at + step))]!;
    target.current = next;
    const rect = droppableRects.get(next)!;
    return { x: rect.left + rect.width / 2 - collisionRect.width / 2, y: currentCoordinates.y };
  };
}
