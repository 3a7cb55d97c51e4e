import type { FormColumn, FormElement, FormLayout, FormRow, FormSection, FormTab } from '../../../schema-engine/forms/layout.js';

/** Where a column sits in a layout, by index. */
export interface ColumnPath {
  tab: number;
  section: number;
  row: number;
  column: number;
}

/** Where an element sits in a layout, by index. */
export interface ElementPath extends ColumnPath {
  index: number;
}

export interface Located<T, P> {
  node: T;
  path: P;
}

function* columnsOf(layout: FormLayout): Generator<Located<FormColumn, ColumnPath> & { rowNode: FormRow; sectionNode: FormSection; tabNode: FormTab }> {
  for (const [tab, tabNode] of layout.tabs.entries())
    for (const [section, sectionNode] of tabNode.sections.entries())
      for (const [row, rowNode] of sectionNode.rows.entries())
        for (const [column, node] of rowNode.columns.entries()) yield { node, path: { tab, section, row, column }, rowNode, sectionNode, tabNode };
}

export function findElement(layout: FormLayout, id: string): Located<FormElement, ElementPath> | undefined {
  for (const { node, path } of columnsOf(layout)) {
    const index = node.elements.findIndex((e) => e.id === id);
    if (index >= 0) return { node: node.elements[index]!, path: { ...path, index } };
  }
  return undefined;
}

export function findColumn(layout: FormLayout, id: string): Located<FormColumn, ColumnPath> | undefined {
  for (const { node, path } of columnsOf(layout)) if (node.id === id) return { node, path };
  return undefined;
}

export function findRow(layout: FormLayout, id: string): Located<FormRow, Omit<ColumnPath, 'column'>> | undefined {
  for (const [tab, t] of layout.tabs.entries())
    for (const [section, s] of t.sections.entries()) {
      const row = s.rows.findIndex((r) => r.id === id);
      if (row >= 0) return { node: s.rows[row]!, path: { tab, section, row } };
    }
  return undefined;
}

export function findSection(layout: FormLayout, id: string): Located<FormSection, { tab: number; section: number }> | undefined {
  for (const [tab, t] of layout.tabs.entries()) {
    const section = t.sections.findIndex((s) => s.id === id);
    if (section >= 0) return { node: t.sections[section]!, path: { tab, section } };
  }
  return undefined;
}

export function findTab(layout: FormLayout, id: string): Located<FormTab, number> | undefined {
  const index = layout.tabs.findIndex((t) => t.id === id);
  return index >= 0 ? { node: layout.tabs[index]!, path: index } : undefined;
}

/** The tab and section an element, row or column sits in (the tab of a section, a tab itself). */
export function ownerTab(layout: FormLayout, id: string): FormTab | undefined {
  const path = findElement(layout, id)?.path ?? findColumn(layout, id)?.path ?? findRow(layout, id)?.path ?? findSection(layout, id)?.path;
  return path ? layout.tabs[path.tab] : findTab(layout, id)?.node;
}

export function allElements(layout: FormLayout): FormElement[] {
  return [...columnsOf(layout)].flatMap((c) => c.node.elements);
}

/** Every id in use: tabs, sections, rows, columns, elements (they share one namespace). */
export function allIds(layout: FormLayout): Set<string> {
  const ids = new Set<string>();
  for (const tab of layout.tabs) {
    ids.add(tab.id);
    for (const section of tab.sections) {
      ids.add(section.id);
      for (const row of section.rows) {
        ids.add(row.id);
        for (const column of row.columns) {
          ids.add(column.id);
          for (const element of column.elements) ids.add(element.id);
        }
      }
    }
  }
  return ids;
}

/** Fields (by id or new-field ref) the layout places, in its order. */
export function placedFields(layout: FormLayout): string[] {
  return allElements(layout).flatMap((e) => ('field' in e ? [e.field] : []));
}

/** A new id with a readable prefix (`sec3`), not taken yet; it is added to `taken`. Deterministic, so pure. */
export function freshId(taken: Set<string>, prefix: string): string {
  let n = 1;
  while (taken.has(`${prefix}${n}`)) n++;
  const id = `${prefix}${n}`;
  taken.add(id);
  return id;
}

/** A deep copy to edit in place: reducers copy, change the copy, and answer it. */
export const copyLayout = (layout: FormLayout): FormLayout => structuredClone(layout);

/** A one-column row holding the given elements. */
export function newRow(taken: Set<string>, elements: FormElement[] = [], columns = 1): FormRow {
  return {
    id: freshId(taken, 'row'),
    columns: Array.from({ length: Math.max(1, columns) }, (_, i) => ({ id: freshId(taken, 'col'), elements: i === 0 ? elements : [] })),
  };
}

/** JSON with object keys sorted, so two layouts compare equal whatever order their properties were written in. */
function stable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stable);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => [k, stable(v)]));
  return value;
}

export const sameLayout = (a: FormLayout, b: FormLayout) => JSON.stringify(stable(a)) === JSON.stringify(stable(b));
