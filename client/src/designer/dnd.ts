import { closestCenter, useDraggable, useDroppable, type Active, type CollisionDetection, type DroppableContainer, type KeyboardCoordinateGetter, type Over } from '@dnd-kit/core';
import { accepts, dragId, dropId, type DragItem, type DropTarget } from './dnd-model.js';

/** A pointer farther than this from every drop slot drops nothing. */
const REACH = 56;

export const itemOf = (active: Active | null | undefined): DragItem | undefined => active?.data.current?.item as DragItem | undefined;
export const targetOf = (over: Over | DroppableContainer | null | undefined): DropTarget | undefined => over?.data.current?.target as DropTarget | undefined;

export const useDesignerDraggable = (item: DragItem, disabled = false) => useDraggable({ id: dragId(item), data: { item }, disabled });
export const useDesignerDroppable = (target: DropTarget, disabled = false) => useDroppable({ id: dropId(target), data: { target }, disabled });

/**
 * The drop slot nearest the pointer among those that take what is dragged (so a thin line between two fields is
 * easy to hit); with the keyboard (no pointer), the slot whose center the dragged item was moved onto.
 */
export const designerCollisions: CollisionDetection = (args) => {
  const item = itemOf(args.active);
  const containers = args.droppableContainers.filter((c) => {
    const target = targetOf(c);
    return item !== undefined && target !== undefined && accepts(item, target);
  });
  const pointer = args.pointerCoordinates;
  if (!pointer) return closestCenter({ ...args, droppableContainers: containers });
  const scored = containers.flatMap((container) => {
    const rect = args.droppableRects.get(container.id);
    if (!rect) return [];
    const dx = Math.max(rect.left - pointer.x, 0, pointer.x - rect.right);
    const dy = Math.max(rect.top - pointer.y, 0, pointer.y - rect.bottom);
    const value = Math.hypot(dx, dy);
    return value <= REACH ? [{ id: container.id, data: { droppableContainer: container, value } }] : [];
  });
  return scored.sort((a, b) => a.data.value - b.data.value);
};

/**
 * Arrow keys move a keyboard drag from one drop slot to the next in reading order (down/right forward, up/left
 * back), by putting the dragged item's center on the slot's center.
 */
export function slotCoordinates(order: () => string[]): KeyboardCoordinateGetter {
  return (event, { context, currentCoordinates }) => {
    const forward = event.code === 'ArrowDown' || event.code === 'ArrowRight';
    const back = event.code === 'ArrowUp' || event.code === 'ArrowLeft';
    if (!forward && !back) return undefined;
    event.preventDefault();
    const { droppableRects, over, collisionRect } = context;
    const ids = order().filter((id) => droppableRects.has(id));
    if (!ids.length || !collisionRect) return currentCoordinates;
    const at = over ? ids.indexOf(String(over.id)) : -1;
    const next = at === -1 ? (forward ? 0 : ids.length - 1) : Math.max(0, Math.min(ids.length - 1, at + (forward ? 1 : -1)));
    const rect = droppableRects.get(ids[next]!)!;
    return { x: rect.left + rect.width / 2 - collisionRect.width / 2, y: rect.top + rect.height / 2 - collisionRect.height / 2 };
  };
}

export { dropId };
