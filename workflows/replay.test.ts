import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { Worker, type ReplayResult } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { quietRuntime, testEnv } from '../test/temporal-harness';
import { bundleWorkflows } from '../worker/bundle-workflows';

const HISTORIES_DIR = path.join(__dirname, 'histories');

/** Every recorded history (see scripts/record-histories.ts), named after its file. */
async function recordedHistories() {
  const files = (await readdir(HISTORIES_DIR)).filter((file) => file.endsWith('.json')).sort();
  return Promise.all(
    files.map(async (file) => ({
      // The id it was recorded under: a For Each's chunk run ids derive from it.
      workflowId: `history-${path.basename(file, '.json')}`,
      history: historyFromJSON(JSON.parse(await readFile(path.join(HISTORIES_DIR, file), 'utf8'))),
    })),
  );
}

async function replayAll(codePath: string): Promise<ReplayResult[]> {
  // The second test provokes a non-determinism failure per history, which the SDK would log as a warning each.
  quietRuntime('ERROR');
  const results: ReplayResult[] = [];
  for await (const result of Worker.runReplayHistories({ workflowBundle: { codePath } }, await recordedHistories())) results.push(result);
  return results;
}

test('every recorded history replays against the current interpreter', async () => {
  const results = await replayAll(testEnv().bundlePath);
  expect(results.length).toBeGreaterThanOrEqual(9);
  const failures = results.filter((r) => r.error).map((r) => `${r.workflowId}: ${r.error?.name}: ${r.error?.message}`);
  expect(failures).toEqual([]);
});

test('the recordings cover both ways a Set runs: as the activity older plans schedule, and computed by the workflow', async () => {
  const histories = new Map((await recordedHistories()).map(({ workflowId, history }) => [workflowId, history]));
  const scheduled = (name: string) => (histories.get(`history-${name}`)?.events ?? []).flatMap((event) => event.activityTaskScheduledEventAttributes?.activityType?.name ?? []);
  expect(scheduled('linear-http-set-templates')).toEqual(['http-request@1', 'set@1']);
  expect(scheduled('pure-nodes-in-workflow')).toEqual([]);
  expect(histories.get('history-pure-nodes-in-workflow')?.events?.length).toBeGreaterThan(0);
});

test('an unpatched change to the interpreter fails replay with a DeterminismViolationError', async () => {
  const bundle = await bundleWorkflows(
    path.join(testEnv().dir, 'non-deterministic-workflow-bundle.js'),
    require.resolve('../test/fixtures/non-deterministic-workflows'),
  );
  const results = await replayAll(bundle);
  expect(results.length).toBeGreaterThanOrEqual(9);
  const notCaught = results.filter((r) => !(r.error instanceof DeterminismViolationError)).map((r) => `${r.workflowId}: ${r.error ?? 'replayed cleanly'}`);
  expect(notCaught).toEqual([]);
}, 120_000);
