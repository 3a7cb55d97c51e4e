/** `sort` with one field's key set (click) or added/flipped beside the others (shift-click), as "-Amount,Name". */
export function nextSort(sort: string, fieldId: string, keep: boolean): string {
  const keys = sort ? sort.split(',') : [];
  const at = keys.findIndex((k) => k.replace(/^-/, '') === fieldId);
  const current = at < 0 ? undefined : keys[at]!.startsWith('-') ? 'desc' : 'asc';
  const next = current === 'asc' ? `-${fieldId}` : current === 'desc' ? '' : fieldId;
  if (!keep) return next;
  const rest = keys.filter((_, i) => i !== at);
  if (!next) return rest.join(',');
  if (at < 0) return [...rest, next].join(',');
  rest.splice(at, 0, next);
  return rest.join(',');
}
