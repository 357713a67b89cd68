import { CODE_PER_CALL_LABEL } from './code-node-phases';
import { LATENCY_LABEL } from './engine-phases';
import { targetRows } from './fast-path-targets';
import { TTFT_OVERHEAD_LABEL } from './ttft-phase';

test('each measured figure is judged against its bound, in the direction the target asks', () => {
  const rows = targetRows([
    { metric: `engine · ${LATENCY_LABEL}: median`, value: 41, unit: 'ms' },
    { metric: 'webhooks · sync webhook, 10 connections × 20 s: answered', value: 52, unit: 'req/s' },
    { metric: 'webhooks · sync webhook, 50 connections × 5 s: p99', value: 600, unit: 'ms' },
    { metric: 'npm start: peak RSS, whole tree, during the sync webhook load', value: 918, unit: 'MiB' },
    { metric: `code node · ${CODE_PER_CALL_LABEL}, 200 calls: median`, value: 1.2, unit: 'ms' },
    { metric: `llm · ${TTFT_OVERHEAD_LABEL}: p50`, value: 216, unit: 'ms' },
    { metric: `llm · ${TTFT_OVERHEAD_LABEL}: p90`, value: 100, unit: 'ms' },
  ]);
  expect(rows).toEqual([
    ['10 Set, REST start with wait, median', '41 ms', '≤ 50 ms', 'met'],
    ['sync webhook, 10 connections: req/s', '52 req/s', '≥ 130 req/s', 'not met'],
    ['sync webhook, 50 connections: p99', '600 ms', '≤ 600 ms', 'met'],
    ['peak RSS during the webhook load', '918 MiB', '≤ 800 MiB', 'not met'],
    ['Code node per call, median', '1.2 ms', '≤ 10 ms', 'met'],
    ['time to first token over the model’s own, p50 (issue 16)', '216 ms', '≤ 150 ms', 'not met'],
  ]);
});
