import { loadPage, type CursorPage } from './cursor-pages';

describe('loadPage', () => {
  const pages: Record<string, CursorPage<number>> = { first: { items: [1, 2], nextCursor: 'c2' }, c2: { items: [3], nextCursor: null } };
  const asked: (string | undefined)[] = [];
  const fetchPage = async (cursor: string | undefined) => {
    asked.push(cursor);
    return pages[cursor ?? 'first'];
  };

  beforeEach(() => (asked.length = 0));

  it('fetches the first page without a cursor when nothing is shown yet', async () => {
    expect(await loadPage(null, fetchPage)).toEqual({ items: [1, 2], nextCursor: 'c2' });
    expect(asked).toEqual([undefined]);
  });

  it('appends the next page from the shown list cursor and takes the new cursor', async () => {
    const shown = await loadPage(null, fetchPage);
    expect(await loadPage(shown, fetchPage)).toEqual({ items: [1, 2, 3], nextCursor: null });
    expect(asked).toEqual([undefined, 'c2']);
    expect(shown.items).toEqual([1, 2]);
  });
});
