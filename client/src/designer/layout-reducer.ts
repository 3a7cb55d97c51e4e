import type { FieldElement, FormElement, FormLayout, FormSection, FormTab, RelatedElement } from '../../../schema-engine/forms/layout.js';
import type { NewFieldInput } from '../api/forms.js';
import { allElements, allIds, copyLayout, findColumn, findElement, findRow, findSection, findTab, freshId, newRow, placedFields } from './layout-tree.js';

import { MAX_COLUMNS, MAX_ELEMENTS, MAX_SECTIONS, MAX_TABS } from '../../../schema-engine/forms/limits.js';

export { MAX_COLUMNS, MAX_ELEMENTS, MAX_SECTIONS, MAX_TABS };
/** Undo steps kept. */
export const HISTORY_LIMIT = 100;

/** What the palette drops: an element without its id (the reducer gives it one). */
export type NewElement =
  | { kind: 'field'; field: string }
  | { kind: 'related'; field: string }
  | { kind: 'heading'; text: string }
  | { kind: 'paragraph'; text: string }
  | { kind: 'divider' };

/** Where an element goes: into a column at an index, as a new row, as a new section, or at the end of a tab. */
export type Place =
  | { at: 'column'; column: string; index: number }
  | { at: 'row'; section: string; index: number }
  | { at: 'section'; tab: string; index: number }
  | { at: 'tab'; tab: string };

/** Properties set on an element; `undefined` removes one. */
export type ElementPatch = Partial<Omit<FieldElement, 'id' | 'kind' | 'field'>> & Partial<Pick<RelatedElement, 'columns'>> & { text?: string };
export type SectionPatch = Partial<Omit<FormSection, 'id' | 'rows'>>;
export type TabPatch = Partial<Omit<FormTab, 'id' | 'sections'>>;

export type LayoutAction =
  | { type: 'insert'; element: NewElement; place: Place; newField?: NewFieldInput }
  | { type: 'move'; id: string; place: Place }
  | { type: 'moveSection'; id: string; tab: string; index: number }
  | { type: 'moveTab'; id: string; index: number }
  | { type: 'addRow'; section: string; columns?: number }
  | { type: 'addSection'; tab: string; index?: number }
  | { type: 'addTab'; title: string }
  | { type: 'addColumn'; row: string }
  | { type: 'removeColumn'; column: string }
  | { type: 'remove'; id: string }
  /** Edits with the same `coalesce` key in a row (typing a label) are one undo step. */
  | { type: 'updateElement'; id: string; patch: ElementPatch; coalesce?: string }
  | { type: 'updateSection'; id: string; patch: SectionPatch; coalesce?: string }
  | { type: 'updateTab'; id: string; patch: TabPatch; coalesce?: string }
  | { type: 'select'; id: string | null }
  | { type: 'undo' }
  | { type: 'redo' }
  /** A layout from the server: a fresh start, without history. */
  | { type: 'load'; layout: FormLayout };

/** What undo and redo step through: the layout and the new fields it places. */
export interface DesignerDoc {
  layout: FormLayout;
  newFields: readonly NewFieldInput[];
}

export interface DesignerState {
  doc: DesignerDoc;
  past: readonly DesignerDoc[];
  future: readonly DesignerDoc[];
  /** The element, section or tab whose properties are shown. */
  selected: string | null;
  coalesce: string | null;
}

export const initialState = (layout: FormLayout): DesignerState => ({ doc: { layout, newFields: [] }, past: [], future: [], selected: null, coalesce: null });

const clamp = (n: number, max: number) => Math.max(0, Math.min(n, max));

function commit(state: DesignerState, layout: FormLayout, opts: { newFields?: readonly NewFieldInput[]; selected?: string | null; coalesce?: string } = {}): DesignerState {
  const doc = { layout, newFields: opts.newFields ?? state.doc.newFields };
  if (JSON.stringify(doc) === JSON.stringify(state.doc)) return state;
  const merge = opts.coalesce !== undefined && opts.coalesce === state.coalesce;
  return {
    doc,
    past: merge ? state.past : [...state.past, state.doc].slice(-HISTORY_LIMIT),
    future: [],
    selected: opts.selected === undefined ? state.selected : opts.selected,
    coalesce: opts.coalesce ?? null,
  };
}

/** Puts an element at a place (in a copy being edited); false when the place does not exist or is full. */
function put(layout: FormLayout, taken: Set<string>, place: Place, element: FormElement): boolean {
  switch (place.at) {
    case 'column': {
      const column = findColumn(layout, place.column)?.node;
      if (!column) return false;
      column.elements.splice(clamp(place.index, column.elements.length), 0, element);
      return true;
    }
    case 'row': {
      const section = findSection(layout, place.section)?.node;
      if (!section) return false;
      section.rows.splice(clamp(place.index, section.rows.length), 0, newRow(taken, [element]));
      return true;
    }
    case 'section':
    case 'tab': {
      const tab = findTab(layout, place.tab)?.node;
      if (!tab) return false;
      const last = tab.sections.at(-1);
      if (place.at === 'tab' && last) {
        last.rows.push(newRow(taken, [element]));
        return true;
      }
      if (tab.sections.length >= MAX_SECTIONS) return false;
      const index = place.at === 'section' ? clamp(place.index, tab.sections.length) : tab.sections.length;
      tab.sections.splice(index, 0, { id: freshId(taken, 'sec'), rows: [newRow(taken, [element])] });
      return true;
    }
  }
}

/** A row left with one empty column after its element moved away goes too. */
function dropEmptyRow(layout: FormLayout, rowId: string): void {
  const found = findRow(layout, rowId);
  if (!found || found.node.columns.length !== 1 || found.node.columns[0]!.elements.length) return;
  layout.tabs[found.path.tab]!.sections[found.path.section]!.rows.splice(found.path.row, 1);
}

function setProps(target: object, patch: object): void {
  const record = target as Record<string, unknown>;
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) delete record[key];
    else record[key] = value;
  }
}

/** Moving the only element of a row to a new row right beside it changes nothing. */
function sameRowMove(layout: FormLayout, id: string, place: Place): boolean {
  const at = findElement(layout, id)?.path;
  if (!at || place.at !== 'row') return false;
  const section = layout.tabs[at.tab]!.sections[at.section]!;
  const row = section.rows[at.row]!;
  const alone = row.columns.length === 1 && row.columns[0]!.elements.length === 1;
  return alone && section.id === place.section && (place.index === at.row || place.index === at.row + 1);
}

function insert(state: DesignerState, action: Extract<LayoutAction, { type: 'insert' }>): DesignerState {
  const { layout: before, newFields } = state.doc;
  if (allElements(before).length >= MAX_ELEMENTS) return state;
  if ('field' in action.element && placedFields(before).includes(action.element.field)) return state;
  const layout = copyLayout(before);
  const taken = allIds(layout);
  const element = { ...action.element, id: freshId(taken, 'el') } as FormElement;
  if (!put(layout, taken, action.place, element)) return state;
  const added = action.newField ? [...newFields.filter((f) => f.ref !== action.newField!.ref), action.newField] : newFields;
  return commit(state, layout, { newFields: added, selected: element.id });
}

function move(state: DesignerState, action: Extract<LayoutAction, { type: 'move' }>): DesignerState {
  const layout = copyLayout(state.doc.layout);
  const found = findElement(layout, action.id);
  if (!found || sameRowMove(layout, action.id, action.place)) return state;
  const { tab, section, row, column } = found.path;
  const rowNode = layout.tabs[tab]!.sections[section]!.rows[row]!;
  const source = rowNode.columns[column]!;
  // The copy goes in first and the original leaves after, so indices into the same column stay right.
  if (!put(layout, allIds(layout), action.place, { ...found.node })) return state;
  source.elements.splice(source.elements.indexOf(found.node), 1);
  dropEmptyRow(layout, rowNode.id);
  return commit(state, layout, { selected: action.id });
}

function moveIn<T>(list: T[], item: T, target: T[], index: number): void {
  target.splice(clamp(index, target.length), 0, { ...item });
  list.splice(list.indexOf(item), 1);
}

function remove(state: DesignerState, id: string): DesignerState {
  const layout = copyLayout(state.doc.layout);
  const element = findElement(layout, id);
  const row = findRow(layout, id);
  const section = findSection(layout, id);
  const tab = findTab(layout, id);
  if (element) {
    const { tab: t, section: s, row: r, column: c, index } = element.path;
    const rowNode = layout.tabs[t]!.sections[s]!.rows[r]!;
    rowNode.columns[c]!.elements.splice(index, 1);
    dropEmptyRow(layout, rowNode.id);
  } else if (row) layout.tabs[row.path.tab]!.sections[row.path.section]!.rows.splice(row.path.row, 1);
  else if (section) layout.tabs[section.path.tab]!.sections.splice(section.path.section, 1);
  else if (tab && layout.tabs.length > 1) layout.tabs.splice(tab.path, 1);
  else return state;
  return commit(state, layout, { selected: state.selected === id ? null : state.selected });
}

/** A layout edit; anything impossible (a fifth column, a field placed twice, an unknown id) changes nothing. */
export function designerReducer(state: DesignerState, action: LayoutAction): DesignerState {
  const before = state.doc.layout;
  const edit = (fn: (layout: FormLayout, taken: Set<string>) => boolean | string | void, opts?: { coalesce?: string }) => {
    const layout = copyLayout(before);
    const result = fn(layout, allIds(layout));
    if (result === false) return state;
    return commit(state, layout, { ...(typeof result === 'string' ? { selected: result } : {}), ...opts });
  };
  switch (action.type) {
    case 'insert':
      return insert(state, action);
    case 'move':
      return move(state, action);
    case 'moveSection':
      return edit((layout) => {
        const from = findSection(layout, action.id);
        const to = findTab(layout, action.tab);
        if (!from || !to) return false;
        const source = layout.tabs[from.path.tab]!.sections;
        if (source !== to.node.sections && to.node.sections.length >= MAX_SECTIONS) return false;
        moveIn(source, from.node, to.node.sections, action.index);
        return action.id;
      });
    case 'moveTab':
      return edit((layout) => {
        const from = findTab(layout, action.id);
        if (!from) return false;
        moveIn(layout.tabs, from.node, layout.tabs, action.index);
        return action.id;
      });
    case 'addRow':
      return edit((layout, taken) => {
        const section = findSection(layout, action.section)?.node;
        if (!section) return false;
        section.rows.push(newRow(taken, [], Math.min(action.columns ?? 1, MAX_COLUMNS)));
      });
    case 'addSection':
      return edit((layout, taken) => {
        const tab = findTab(layout, action.tab)?.node;
        if (!tab || tab.sections.length >= MAX_SECTIONS) return false;
        const id = freshId(taken, 'sec');
        tab.sections.splice(clamp(action.index ?? tab.sections.length, tab.sections.length), 0, { id, rows: [newRow(taken)] });
        return id;
      });
    case 'addTab':
      return edit((layout, taken) => {
        if (layout.tabs.length >= MAX_TABS) return false;
        const id = freshId(taken, 'tab');
        layout.tabs.push({ id, title: action.title, sections: [{ id: freshId(taken, 'sec'), rows: [newRow(taken)] }] });
        return id;
      });
    case 'addColumn':
      return edit((layout, taken) => {
        const row = findRow(layout, action.row)?.node;
        if (!row || row.columns.length >= MAX_COLUMNS) return false;
        row.columns.push({ id: freshId(taken, 'col'), elements: [] });
      });
    case 'removeColumn':
      return edit((layout) => {
        const found = findColumn(layout, action.column);
        if (!found) return false;
        const row = layout.tabs[found.path.tab]!.sections[found.path.section]!.rows[found.path.row]!;
        if (row.columns.length <= 1) return false;
        // Its elements join the column beside it rather than leaving the form.
        const neighbour = row.columns[found.path.column === 0 ? 1 : found.path.column - 1]!;
        neighbour.elements.push(...found.node.elements);
        row.columns.splice(found.path.column, 1);
      });
    case 'remove':
      return remove(state, action.id);
    case 'updateElement':
      return edit((layout) => {
        const element = findElement(layout, action.id)?.node;
        if (!element) return false;
        setProps(element, action.patch);
      }, action.coalesce !== undefined ? { coalesce: action.coalesce } : {});
    case 'updateSection':
      return edit((layout) => {
        const section = findSection(layout, action.id)?.node;
        if (!section) return false;
        setProps(section, action.patch);
      }, action.coalesce !== undefined ? { coalesce: action.coalesce } : {});
    case 'updateTab':
      return edit((layout) => {
        const tab = findTab(layout, action.id)?.node;
        if (!tab) return false;
        setProps(tab, action.patch);
      }, action.coalesce !== undefined ? { coalesce: action.coalesce } : {});
    case 'select':
      return state.selected === action.id && state.coalesce === null ? state : { ...state, selected: action.id, coalesce: null };
    case 'undo':
    case 'redo': {
      const undo = action.type === 'undo';
      const target = (undo ? state.past : state.future)[undo ? state.past.length - 1 : 0];
      if (!target) return state;
      const ids = allIds(target.layout);
      return {
        doc: target,
        past: undo ? state.past.slice(0, -1) : [...state.past, state.doc],
        future: undo ? [state.doc, ...state.future] : state.future.slice(1),
        selected: state.selected && ids.has(state.selected) ? state.selected : null,
        coalesce: null,
      };
    }
    case 'load':
      return { ...initialState(action.layout), selected: state.selected && allIds(action.layout).has(state.selected) ? state.selected : null };
  }
}

/** The new fields a save must create: those the layout still places. */
export const pendingFields = (doc: DesignerDoc): NewFieldInput[] => {
  const placed = new Set(placedFields(doc.layout));
  return doc.newFields.filter((f) => placed.has(f.ref));
};
