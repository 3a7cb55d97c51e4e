import type { ReactNode } from 'react';
import { useDesigner } from './context.js';
import { accepts, type DropTarget } from './dnd-model.js';
import { useDesignerDroppable } from './dnd.js';

/**
 * A place something can be dropped: a gap between fields, rows, sections or tabs that shows a line when the dragged
 * item is over it. It lights up only for drags it takes, and is always there (nothing jumps when a drag starts).
 */
export function Slot({ target, className = '', children }: { target: DropTarget; className?: string; children?: ReactNode }) {
  const { dragging } = useDesigner();
  const { setNodeRef, isOver } = useDesignerDroppable(target);
  const live = dragging !== null && accepts(dragging, target);
  return (
    <div ref={setNodeRef} className={`designer-slot ${className}${live ? ' live' : ''}${isOver && live ? ' over' : ''}`} aria-hidden={children ? undefined : true}>
      {children}
    </div>
  );
}
