import { compareMetrics } from './compare-metrics';

test('metrics pair by name, with the delta and its percentage of the base value', () => {
  const base = [
    { metric: 'latency median', value: 1000, unit: 'ms' },
    { metric: 'throughput', value: 20, unit: 'runs/s' },
  ];
  const next = [
    { metric: 'throughput', value: 25, unit: 'runs/s' },
    { metric: 'latency median', value: 950, unit: 'ms' },
  ];
  expect(compareMetrics(base, next)).toEqual([
    { metric: 'latency median', unit: 'ms', base: 1000, next: 950, delta: -50, deltaPercent: -5 },
    { metric: 'throughput', unit: 'runs/s', base: 20, next: 25, delta: 5, deltaPercent: 25 },
  ]);
});

test('a metric in one file only is listed without a delta; a zero base has no percentage', () => {
  const rows = compareMetrics(
    [{ metric: 'gone', value: 3, unit: 'ms' }, { metric: 're-executed', value: 0, unit: 'nodes' }],
    [{ metric: 're-executed', value: 2, unit: 'nodes' }, { metric: 'new', value: 7, unit: 'ms' }],
  );
  expect(rows).toEqual([
    { metric: 'gone', unit: 'ms', base: 3 },
    { metric: 're-executed', unit: 'nodes', base: 0, next: 2, delta: 2, deltaPercent: undefined },
    { metric: 'new', unit: 'ms', next: 7 },
  ]);
});
