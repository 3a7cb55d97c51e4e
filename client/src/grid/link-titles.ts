import { api } from '../api/http.js';
import { listUrl } from '../api/queries.js';
import type { Field, Page, Sheet } from '../api/types.js';

/** What a title found in the linked sheet: one record, none, or several (a title that names no single record). */
export type TitleMatch = { id: string } | { problem: 'notLink' | 'ambiguousLink' };

/**
 * Finds pasted titles among the linked sheet's records by its primary field (an exact match), asking the API once per
 * title per paste: `cache` is shared by the paste's cells.
 */
export function linkFinder(ws: string, sheets: readonly Sheet[], cache: Map<string, Promise<TitleMatch>>) {
  const find = (target: Sheet, title: string): Promise<TitleMatch> => {
    const key = `${target.id}\u0000${title}`;
    let found = cache.get(key);
    if (!found) {
      const primary = target.fields.find((f) => f.id === target.primaryFieldId);
      found = primary
        ? api<Page>('GET', listUrl(ws, target.id, { filter: { '==': [{ var: primary.name }, title] } }, 2)).then(
            (page): TitleMatch => (page.records.length === 1 ? { id: page.records[0]!.id } : { problem: page.records.length ? 'ambiguousLink' : 'notLink' }),
            (): TitleMatch => ({ problem: 'notLink' }),
          )
        : Promise.resolve<TitleMatch>({ problem: 'notLink' });
      cache.set(key, found);
    }
    return found;
  };

  /** The ids of the records the titles name (the whole text as one title first, then its comma-separated parts). */
  return async (field: Field, titles: readonly string[], whole: string): Promise<{ ids: string[] } | { problem: 'notLink' | 'ambiguousLink'; sheet: string }> => {
    const target = sheets.find((s) => s.id === field.options.sheet);
    if (!target) return { problem: 'notLink', sheet: '' };
    if (titles.length > 1) {
      const one = await find(target, whole);
      if ('id' in one) return { ids: [one.id] };
    }
    const matches = await Promise.all(titles.map((title) => find(target, title)));
    const bad = matches.find((m): m is { problem: 'notLink' | 'ambiguousLink' } => 'problem' in m);
    return bad ? { ...bad, sheet: target.name } : { ids: [...new Set(matches.map((m) => (m as { id: string }).id))] };
  };
}
