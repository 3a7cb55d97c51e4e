import type { FormLayout } from '../../../schema-engine/forms/layout.js';
import type { NewElement, Place } from './layout-reducer.js';

/** What is being dragged: a palette entry, a new field type, or something already on the canvas. */
export type DragItem =
  | { type: 'palette'; element: NewElement }
  | { type: 'newField'; fieldType: string }
  | { type: 'element'; id: string }
  | { type: 'section'; id: string }
  | { type: 'tab'; id: string };

/** Where it can land: a place for an element, a gap between sections, or a gap between tabs. */
export type DropTarget = { type: 'place'; place: Place } | { type: 'sectionSlot'; tab: string; index: number } | { type: 'tabSlot'; index: number };

export function dragId(item: DragItem): string {
  switch (item.type) {
    case 'palette':
      return 'field' in item.element ? `p:${item.element.kind}:${item.element.field}` : `p:${item.element.kind}`;
    case 'newField':
      return `p:new:${item.fieldType}`;
    default:
      return `${item.type}:${item.id}`;
  }
}

export function dropId(target: DropTarget): string {
  if (target.type === 'sectionSlot') return `d:ss:${target.tab}:${target.index}`;
  if (target.type === 'tabSlot') return `d:ts:${target.index}`;
  const p = target.place;
  switch (p.at) {
    case 'column':
      return `d:c:${p.column}:${p.index}`;
    case 'row':
      return `d:r:${p.section}:${p.index}`;
    case 'section':
      return `d:s:${p.tab}:${p.index}`;
    case 'tab':
      return `d:t:${p.tab}`;
  }
}

/** Whether a dragged item can land on a target: elements on places, sections between sections, tabs between tabs. */
export function accepts(item: DragItem, target: DropTarget): boolean {
  if (item.type === 'section') return target.type === 'sectionSlot';
  if (item.type === 'tab') return target.type === 'tabSlot';
  return target.type === 'place';
}

/** The targets a drag of this kind can reach on the canvas, in reading order (the keyboard steps through them). */
export function orderedTargets(layout: FormLayout, activeTab: string, item: DragItem): DropTarget[] {
  if (item.type === 'tab') return layout.tabs.map((_, i) => i).concat(layout.tabs.length).map((index) => ({ type: 'tabSlot', index }));
  const tab = layout.tabs.find((t) => t.id === activeTab) ?? layout.tabs[0];
  if (!tab) return [];
  if (item.type === 'section') return tab.sections.map((_, i) => i).concat(tab.sections.length).map((index) => ({ type: 'sectionSlot', tab: tab.id, index }));
  const places: Place[] = layout.tabs.filter((t) => t.id !== tab.id).map((t) => ({ at: 'tab', tab: t.id }));
  for (const section of tab.sections) {
    for (const [r, row] of section.rows.entries()) {
      places.push({ at: 'row', section: section.id, index: r });
      for (const column of row.columns) for (let i = 0; i <= column.elements.length; i++) places.push({ at: 'column', column: column.id, index: i });
    }
    places.push({ at: 'row', section: section.id, index: section.rows.length });
  }
  places.push({ at: 'section', tab: tab.id, index: tab.sections.length });
  return places.map((place) => ({ type: 'place', place }));
}

/** Dropping an item on a target, as a reducer action (undefined: nothing happens). */
export function dropAction(item: DragItem, target: DropTarget):
  | { type: 'insert'; element: NewElement; place: Place }
  | { type: 'move'; id: string; place: Place }
  | { type: 'moveSection'; id: string; tab: string; index: number }
  | { type: 'moveTab'; id: string; index: number }
  | { type: 'newField'; fieldType: string; place: Place }
  | undefined {
  if (!accepts(item, target)) return undefined;
  if (target.type === 'sectionSlot') return item.type === 'section' ? { type: 'moveSection', id: item.id, tab: target.tab, index: target.index } : undefined;
  if (target.type === 'tabSlot') return item.type === 'tab' ? { type: 'moveTab', id: item.id, index: target.index } : undefined;
  switch (item.type) {
    case 'palette':
      return { type: 'insert', element: item.element, place: target.place };
    case 'newField':
      return { type: 'newField', fieldType: item.fieldType, place: target.place };
    case 'element':
      return { type: 'move', id: item.id, place: target.place };
    default:
      return undefined;
  }
}
