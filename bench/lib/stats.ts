/** Order statistics of a sample of measurements (milliseconds, usually). */
export interface Summary {
  count: number;
  min: number;
  median: number;
  p90: number;
  max: number;
}

/**
 * The p-th percentile (0–100) of sorted values, interpolating linearly between the two nearest ranks, so the
 * median of an even-sized sample is the mean of its middle pair (the same rule as numpy's default).
 */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new RangeError('percentile of an empty sample');
  if (p < 0 || p > 100) throw new RangeError(`percentile ${p} is outside 0–100`);
  const rank = (p / 100) * (sorted.length - 1);
  const below = Math.floor(rank);
  const above = Math.ceil(rank);
  return sorted[below] + (sorted[above] - sorted[below]) * (rank - below);
}

export function summarize(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    count: sorted.length,
    min: percentile(sorted, 0),
    median: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    max: percentile(sorted, 100),
  };
}
