/** One page of a cursor-paginated list, as the API's list endpoints (workflows, runs) return it. */
export interface CursorPage<T> {
  items: T[];
  /** Passed back as `cursor` for the page after this one; null on the last page. */
  nextCursor: string | null;
}

/**
 * The list a page shows after loading: with `after` (the list shown now, on "Load more") the next page is fetched
 * from its cursor and appended; without it (a first load, or the filters changed) the first page replaces it all.
 * The result's `nextCursor` is the last page's, so "Load more" disappears once the server has no more.
 */
export async function loadPage<T>(after: CursorPage<T> | null, fetchPage: (cursor: string | undefined) => Promise<CursorPage<T>>): Promise<CursorPage<T>> {
  if (!after) return fetchPage(undefined);
  const next = await fetchPage(after.nextCursor ?? undefined);
  return { items: [...after.items, ...next.items], nextCursor: next.nextCursor };
}
