import { ruleHolds } from '../rules/operations.js';
import type { FormLayout } from './layout.js';
import { placedElements } from './walk.js';

/**
 * What a form shows and asks for, given a record's values (keyed by field id, as rules read them). Pure, so the
 * browser (live, as the user types) and the server (on submit) decide the same way.
 */
export interface FormState {
  /** Ids of the tabs, sections and elements shown. */
  visible: ReadonlySet<string>;
  /** Fields the form lets the user write: shown, not read-only (a related list writes its link field). */
  writable: ReadonlySet<string>;
  /** Fields the form must not write: on it, but hidden by a condition. */
  hiddenByCondition: ReadonlySet<string>;
  /** Shown fields that must not be left empty. */
  required: ReadonlySet<string>;
}

/** A condition that cannot be evaluated does not hold (a broken rule never reveals or demands anything). */
function holds(condition: unknown, values: Record<string, unknown>): boolean {
  try {
    return ruleHolds(condition, values);
  } catch {
    return false;
  }
}

const shows = (visibleWhen: unknown, values: Record<string, unknown>) => visibleWhen === undefined || visibleWhen === null || holds(visibleWhen, values);

export function evaluateForm(layout: FormLayout, values: Record<string, unknown>): FormState {
  const visible = new Set<string>();
  const writable = new Set<string>();
  const hiddenByCondition = new Set<string>();
  const required = new Set<string>();
  const tabShown = new Map<string, boolean>();
  const sectionShown = new Map<string, boolean>();
  for (const { tab, section, element } of placedElements(layout)) {
    if (!tabShown.has(tab.id)) tabShown.set(tab.id, shows(tab.visibleWhen, values));
    if (!sectionShown.has(section.id)) sectionShown.set(section.id, tabShown.get(tab.id)! && shows(section.visibleWhen, values));
    const shown = sectionShown.get(section.id)! && shows(element.visibleWhen, values);
    if (element.kind !== 'field' && element.kind !== 'related') {
      if (shown) visible.add(element.id);
      continue;
    }
    if (!shown) {
      hiddenByCondition.add(element.field);
      continue;
    }
    if (element.kind === 'field' && element.hidden) continue;
    visible.add(element.id);
    if (!element.readOnly) writable.add(element.field);
    if (element.kind === 'field' && (element.required || (element.requiredWhen !== undefined && holds(element.requiredWhen, values)))) required.add(element.field);
  }
  for (const [id, shown] of [...tabShown, ...sectionShown]) if (shown) visible.add(id);
  return { visible, writable, hiddenByCondition, required };
}
