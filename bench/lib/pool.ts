/**
 * Calls `task(0)` … `task(count - 1)` with at most `limit` calls in flight and resolves with their results in
 * index order, or rejects with the first failure. With `limit >= count` every task starts at once.
 */
export async function runPooled<T>(count: number, limit: number, task: (index: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(count);
  let next = 0;
  const lane = async () => {
    while (next < count) {
      const index = next++;
      results[index] = await task(index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, count) }, lane));
  return results;
}
