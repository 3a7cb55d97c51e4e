import type { Announcements } from '@dnd-kit/core';
import type { FormElement, FormLayout } from '../../../schema-engine/forms/layout.js';
import type { Field } from '../api/types.js';
import { clientType } from '../field-types/index.js';
import type { MessageKey } from '../i18n/en.js';
import type { DragItem, DropTarget } from './dnd-model.js';
import { itemOf, targetOf } from './dnd.js';
import { findColumn, findElement, findSection, findTab } from './layout-tree.js';

export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

export const typeName = (type: string, t: Translate) => t(clientType(type).nameKey);

/** How an element is called on the canvas and to screen readers. */
export function elementName(element: FormElement, fields: ReadonlyMap<string, Field>, t: Translate): string {
  switch (element.kind) {
    case 'field':
      return element.label || fields.get(element.field)?.name || element.field;
    case 'related':
      return element.label || t('designer.relatedOf', { name: fields.get(element.field)?.name ?? element.field });
    case 'heading':
      return element.text || t('designer.heading');
    case 'paragraph':
      return element.text ? element.text.slice(0, 40) : t('designer.paragraph');
    case 'divider':
      return t('designer.divider');
  }
}

export function sectionName(layout: FormLayout, id: string, t: Translate): string {
  const found = findSection(layout, id);
  if (!found) return id;
  return found.node.title || t('designer.untitledSection', { n: found.path.section + 1 });
}

const tabName = (layout: FormLayout, id: string) => findTab(layout, id)?.node.title || id;

export function itemName(item: DragItem, layout: FormLayout, fields: ReadonlyMap<string, Field>, t: Translate): string {
  switch (item.type) {
    case 'palette':
      return 'field' in item.element
        ? item.element.kind === 'related'
          ? t('designer.relatedOf', { name: fields.get(item.element.field)?.name ?? '' })
          : (fields.get(item.element.field)?.name ?? '')
        : t(`designer.${item.element.kind}`);
    case 'newField':
      return t('designer.newFieldOf', { type: typeName(item.fieldType, t) });
    case 'element': {
      const element = findElement(layout, item.id)?.node;
      return element ? elementName(element, fields, t) : item.id;
    }
    case 'section':
      return sectionName(layout, item.id, t);
    case 'tab':
      return t('designer.tabNamed', { name: tabName(layout, item.id) });
  }
}

export function targetName(target: DropTarget, layout: FormLayout, t: Translate): string {
  if (target.type === 'tabSlot') return t('designer.at.tabSlot', { n: target.index + 1 });
  if (target.type === 'sectionSlot') return t('designer.at.sectionSlot', { n: target.index + 1, tab: tabName(layout, target.tab) });
  const p = target.place;
  switch (p.at) {
    case 'column': {
      const found = findColumn(layout, p.column);
      if (!found) return '';
      const section = layout.tabs[found.path.tab]!.sections[found.path.section]!;
      return t('designer.at.column', { n: p.index + 1, column: found.path.column + 1, row: found.path.row + 1, section: sectionName(layout, section.id, t) });
    }
    case 'row':
      return t('designer.at.row', { n: p.index + 1, section: sectionName(layout, p.section, t) });
    case 'section':
      return t('designer.at.section', { tab: tabName(layout, p.tab) });
    case 'tab':
      return t('designer.at.tab', { tab: tabName(layout, p.tab) });
  }
}

/** What screen readers hear while dragging, in the UI's language. */
export function announcements(get: () => { layout: FormLayout; fields: ReadonlyMap<string, Field> }, t: Translate): Announcements {
  const names = (active: Parameters<Announcements['onDragStart']>[0]['active'], over: Parameters<Announcements['onDragOver']>[0]['over']) => {
    const { layout, fields } = get();
    const item = itemOf(active);
    const target = targetOf(over);
    return { item: item ? itemName(item, layout, fields, t) : '', place: target ? targetName(target, layout, t) : '' };
  };
  return {
    onDragStart: ({ active }) => t('designer.announce.start', { item: names(active, null).item }),
    onDragOver: ({ active, over }) => {
      const n = names(active, over);
      return over ? t('designer.announce.over', n) : t('designer.announce.nowhere', n);
    },
    onDragEnd: ({ active, over }) => {
      const n = names(active, over);
      return over ? t('designer.announce.end', n) : t('designer.announce.cancel', n);
    },
    onDragCancel: ({ active }) => t('designer.announce.cancel', { item: names(active, null).item }),
  };
}
