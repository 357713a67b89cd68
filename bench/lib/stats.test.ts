import { percentile, summarize } from './stats';

test('the median of an even-sized sample is the mean of its middle pair, whatever the input order', () => {
  expect(summarize([40, 10, 30, 20])).toEqual({ count: 4, min: 10, median: 25, p90: 37, max: 40 });
});

test('percentiles interpolate between neighbouring ranks', () => {
  const oneToTwenty = Array.from({ length: 20 }, (_, i) => i + 1);
  expect(percentile(oneToTwenty, 50)).toBe(10.5);
  expect(percentile(oneToTwenty, 90)).toBeCloseTo(18.1, 10);
  expect(percentile([7], 90)).toBe(7);
});

test('an empty sample or an out-of-range percentile is refused', () => {
  expect(() => summarize([])).toThrow(RangeError);
  expect(() => percentile([1, 2], 101)).toThrow(RangeError);
});
