/** Ids in paths are checked for shape before any lookup. */
export const isCatalogIdLike = (value: string) => /^[a-z]{3}[a-z0-9]{12}$/.test(value);
