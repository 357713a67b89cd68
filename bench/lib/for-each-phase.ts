import type { RunRecordDto } from '../../contract/runs';
import type { GraphInput } from '../../engine/graph';
import { summarize } from './stats';
import { round, type Metric } from './results';

export const FOR_EACH_ITEMS = 1_000;
export const FOR_EACH_CONCURRENCY = 10;
const TIMED_RUNS = 3;

/** What the phase needs of the API: a REST session, or the benchmark's own API process. */
export interface ForEachApi {
  publishWorkflow(graph: GraphInput): Promise<string>;
  runAndWait(workflowId: string, inputs: Record<string, unknown>): Promise<RunRecordDto>;
}

/** The trivial item: Start → Set { item, index } → End. */
const itemGraph: GraphInput = {
  nodes: [
    { id: 'start', type: 'start', version: 1 },
    { id: 'shape', type: 'set', version: 1, data: { config: { values: { item: '{{ input.item }}', index: '{{ input.index }}' } } } },
    { id: 'end', type: 'end', version: 1 },
  ],
  edges: [
    { id: 'start-shape', source: 'start', target: 'shape' },
    { id: 'shape-end', source: 'shape', target: 'end' },
  ],
};

function loopGraph(itemWorkflowId: string): GraphInput {
  return {
    nodes: [
      { id: 'start', type: 'start', version: 1 },
      { id: 'loop', type: 'for-each', version: 1, data: { config: { workflowId: itemWorkflowId, items: '{{ input.list }}', concurrency: FOR_EACH_CONCURRENCY } } },
      { id: 'end', type: 'end', version: 1, data: { config: { value: { succeeded: '{{ nodes.loop.output.succeeded }}', failed: '{{ nodes.loop.output.failed }}' } } } },
    ],
    edges: [
      { id: 'start-loop', source: 'start', target: 'loop' },
      { id: 'loop-end', source: 'loop', target: 'end' },
    ],
  };
}

/**
 * A For Each over 1,000 trivial items with concurrency 10, started over REST with wait: one warm-up, then the
 * median of 3 timed runs. Every run must report 1,000 succeeded items. Returns the parent workflow's id with the
 * metrics, so the caller can check its runs (the chunk runs are tagged with the item workflow's id).
 */
export async function measureForEach(api: ForEachApi, progress: (line: string) => void): Promise<{ metrics: Metric[]; workflowId: string; runs: number }> {
  const itemWorkflowId = await api.publishWorkflow(itemGraph);
  const workflowId = await api.publishWorkflow(loopGraph(itemWorkflowId));
  const list = Array.from({ length: FOR_EACH_ITEMS }, (_, i) => i);
  const runOnce = async () => {
    const started = performance.now();
    const run = await api.runAndWait(workflowId, { list });
    const ms = performance.now() - started;
    const output = run.result?.output as { succeeded?: number; failed?: number } | undefined;
    if (output?.succeeded !== FOR_EACH_ITEMS || output.failed !== 0) throw new Error(`For Each run ${run.id} ended with ${JSON.stringify(output)}`);
    return ms;
  };
  progress(`for each: ${FOR_EACH_ITEMS} trivial items, concurrency ${FOR_EACH_CONCURRENCY}, 1 warm-up and ${TIMED_RUNS} timed runs`);
  await runOnce();
  const samples: number[] = [];
  for (let i = 0; i < TIMED_RUNS; i++) samples.push(await runOnce());
  return {
    metrics: [{ metric: `For Each over ${FOR_EACH_ITEMS} trivial items, concurrency ${FOR_EACH_CONCURRENCY}, REST start with wait: median`, value: round(summarize(samples).median), unit: 'ms' }],
    workflowId,
    runs: TIMED_RUNS + 1,
  };
}
