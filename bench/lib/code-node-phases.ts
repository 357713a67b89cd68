import { codeNode, runCode } from '../../activities/nodes/code';
import { round, type Metric } from './results';
import { percentile } from './stats';

export const CODE_WARMUP_CALLS = 20;
export const CODE_PER_CALL_LABEL = 'per call (fresh QuickJS runtime + a one-line function, on a sandbox thread)';

/**
 * The Code node's overhead as its activity pays it: each call gets a fresh QuickJS runtime and context on a sandbox
 * thread, runs `return $input.n * 2;`, and sends the result back. The first call also starts the thread and loads
 * the WebAssembly module, so it is reported apart; every answer is checked.
 */
export async function measureCodeNode(calls: number): Promise<{ metrics: Metric[]; perCallMs: number[] }> {
  const config = codeNode.config.parse({ code: 'return $input.n * 2;' });
  const call = async (n: number): Promise<number> => {
    const started = performance.now();
    const { result } = await runCode(config, { n }, 'Code');
    if (result !== n * 2) throw new Error(`the Code node answered ${JSON.stringify(result)} for ${n}, not ${n * 2}`);
    return performance.now() - started;
  };
  const firstMs = await call(0);
  for (let i = 1; i <= CODE_WARMUP_CALLS; i++) await call(i);
  const perCallMs: number[] = [];
  for (let i = 0; i < calls; i++) perCallMs.push(await call(i));
  const sorted = [...perCallMs].sort((a, b) => a - b);
  return {
    metrics: [
      { metric: 'first call (starts the sandbox thread, loads QuickJS)', value: round(firstMs), unit: 'ms' },
      { metric: `${CODE_PER_CALL_LABEL}, ${calls} calls: median`, value: round(percentile(sorted, 50), 2), unit: 'ms' },
      { metric: `${CODE_PER_CALL_LABEL}, ${calls} calls: p95`, value: round(percentile(sorted, 95), 2), unit: 'ms' },
    ],
    perCallMs,
  };
}
