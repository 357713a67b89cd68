import { round, type Metric } from './results';

/** One metric of two results files side by side; a metric found in only one file has no delta. */
export interface MetricDelta {
  metric: string;
  unit: string;
  base?: number;
  next?: number;
  delta?: number;
  /** The delta as a percentage of the base value; undefined when the base is 0. */
  deltaPercent?: number;
}

/** Pairs metrics by name, in the base file's order, then the ones only the new file has. */
export function compareMetrics(base: readonly Metric[], next: readonly Metric[]): MetricDelta[] {
  const nextByName = new Map(next.map((metric) => [metric.metric, metric]));
  const baseNames = new Set(base.map((metric) => metric.metric));
  const paired = base.map((before): MetricDelta => {
    const after = nextByName.get(before.metric);
    if (!after) return { metric: before.metric, unit: before.unit, base: before.value };
    const delta = round(after.value - before.value, 3);
    const deltaPercent = before.value === 0 ? undefined : round((delta / before.value) * 100);
    return { metric: before.metric, unit: before.unit, base: before.value, next: after.value, delta, deltaPercent };
  });
  const added = next.filter((metric) => !baseNames.has(metric.metric)).map((after): MetricDelta => ({ metric: after.metric, unit: after.unit, next: after.value }));
  return [...paired, ...added];
}
