import type { Metric } from './results';

/** One target of the fast-path issue: the metric it judges (by name pattern) and the bound it must meet. */
interface Target {
  figure: string;
  metric: RegExp;
  bound: number;
  /** `max`: the value must not exceed the bound; `min`: it must reach it. */
  kind: 'max' | 'min';
}

/** The targets of the fast-path issue (issue 13), the authoring issue (issue 14) and streaming (issue 16), on a 2-core machine. */
const TARGETS: Target[] = [
  { figure: '10 Set, REST start with wait, median', metric: /^engine · chain of 10 Set.*: median$/, bound: 50, kind: 'max' },
  { figure: 'sync webhook, 10 connections: req/s', metric: /^webhooks · sync webhook, 10 connections × \d+ s: answered$/, bound: 130, kind: 'min' },
  { figure: 'sync webhook, 10 connections: p50', metric: /^webhooks · sync webhook, 10 connections × \d+ s: p50$/, bound: 50, kind: 'max' },
  { figure: 'sync webhook, 10 connections: p99', metric: /^webhooks · sync webhook, 10 connections × \d+ s: p99$/, bound: 120, kind: 'max' },
  { figure: 'sync webhook, 50 connections: req/s', metric: /^webhooks · sync webhook, 50 connections × \d+ s: answered$/, bound: 130, kind: 'min' },
  { figure: 'sync webhook, 50 connections: p99', metric: /^webhooks · sync webhook, 50 connections × \d+ s: p99$/, bound: 600, kind: 'max' },
  { figure: '100 runs of 3 Set at once', metric: /^engine · 100 runs of Start → 3 Set → End, all at once: throughput$/, bound: 200, kind: 'min' },
  { figure: '100 runs of 3 HTTP Request at once', metric: /^engine · 100 runs of Start → 3 HTTP Request → End, all at once: throughput$/, bound: 60, kind: 'min' },
  { figure: 'For Each over 1,000 trivial items (issue 14)', metric: /^engine · For Each over 1000 trivial items.*: median$/, bound: 5000, kind: 'max' },
  { figure: 'idle RSS, whole tree', metric: /^npm start: idle RSS, whole tree$/, bound: 550, kind: 'max' },
  { figure: 'peak RSS during the webhook load', metric: /^npm start: peak RSS, whole tree/, bound: 800, kind: 'max' },
  { figure: 'Code node per call, median', metric: /^code node · per call .*: median$/, bound: 10, kind: 'max' },
  { figure: 'time to first token over the model’s own, p50 (issue 16)', metric: /^llm · stack overhead .*: p50$/, bound: 150, kind: 'max' },
];

/** Rows of figure, measured value, target and whether it is met, for the targets whose metric was measured. */
export function targetRows(metrics: Metric[]): string[][] {
  return TARGETS.flatMap((target) => {
    const measured = metrics.find((metric) => target.metric.test(metric.metric));
    if (!measured) return [];
    const met = target.kind === 'max' ? measured.value <= target.bound : measured.value >= target.bound;
    return [[target.figure, `${measured.value} ${measured.unit}`, `${target.kind === 'max' ? '≤' : '≥'} ${target.bound} ${measured.unit}`, met ? 'met' : 'not met']];
  });
}
