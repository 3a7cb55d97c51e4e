import type { FormElement, FormLayout, FormSection, FormTab } from './layout.js';

// Walks over layouts, apart from the zod schemas so the browser bundle needs no zod.

/** Every element of a layout with where it sits (its tab and section decide its visibility too). */
export interface PlacedElement {
  tab: FormTab;
  section: FormSection;
  element: FormElement;
}

export function placedElements(layout: FormLayout): PlacedElement[] {
  return layout.tabs.flatMap((tab) =>
    tab.sections.flatMap((section) => section.rows.flatMap((row) => row.columns.flatMap((column) => column.elements.map((element) => ({ tab, section, element }))))),
  );
}

/** The same layout with only the elements `keep` answers yes for. */
export function filterElements(layout: FormLayout, keep: (element: FormElement) => boolean): FormLayout {
  return {
    tabs: layout.tabs.map((tab) => ({
      ...tab,
      sections: tab.sections.map((section) => ({
        ...section,
        rows: section.rows.map((row) => ({ ...row, columns: row.columns.map((column) => ({ ...column, elements: column.elements.filter(keep) })) })),
      })),
    })),
  };
}

