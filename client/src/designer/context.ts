import { createContext, useContext, type Dispatch } from 'react';
import type { Field, Sheet } from '../api/types.js';
import type { DragItem } from './dnd-model.js';
import type { DesignerState, LayoutAction } from './layout-reducer.js';

/** What every part of the designer reads: the sheet, its fields (new ones by ref too), the layout state. */
export interface DesignerContextValue {
  ws: string;
  sheet: Sheet;
  /** The sheet's fields by id, and fields still to be created by their `new:` ref. */
  fields: ReadonlyMap<string, Field>;
  state: DesignerState;
  dispatch: Dispatch<LayoutAction>;
  /** What is being dragged now, if anything (drop slots light up for it). */
  dragging: DragItem | null;
  activeTab: string;
  setActiveTab(id: string): void;
}

export const DesignerContext = createContext<DesignerContextValue | null>(null);

export function useDesigner(): DesignerContextValue {
  const value = useContext(DesignerContext);
  if (!value) throw new Error('useDesigner outside the designer');
  return value;
}
