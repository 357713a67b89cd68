import type { Client, WorkflowExecutionDescription } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import { decodeFromPayloadsAtIndex } from '@temporalio/common/lib/internal-non-workflow';
import type { ExecutionPlan, InterpretGraphInput } from '../../../engine/plan';
import type { RunState } from '../../../engine/run-state';
import { loadConfig } from '../../../platform/config';
import type { RunHandle } from '../../../platform/start-run';
import { runStateQuery } from '../../../workflows/messages';
import { CliError, messageOf } from '../cli-error';
import { connectToTemporal } from '../connect';
import { awaitOutcome, describeRunFailure } from '../follow-run';
import { parseCommand } from '../parse-command';
import { describeNodeState } from '../run-progress';

/** A closed run is answered by a worker replaying it; without one the node states are left out, not waited for. */
const QUERY_DEADLINE_MS = 5000;

export async function statusCommand(args: string[]): Promise<number> {
  const {
    positionals: [runId],
  } = parseCommand(args, {}, ['runId']);
  const { temporal } = loadConfig();
  const client = await connectToTemporal(temporal);
  try {
    const handle: RunHandle = client.workflow.getHandle(runId);
    const description = await describeRun(handle, runId, temporal.namespace);
    const closed = description.closeTime ? `, closed ${description.closeTime.toISOString()}` : '';
    console.log(`run ${runId}: ${description.status.name} (started ${description.startTime.toISOString()}${closed})`);

    const [plan, state] = await Promise.all([readRunPlan(client, handle), queryState(client, handle)]);
    if (state.known) {
      for (const node of plan.nodes) describeNodeState(node, state.value.nodes[node.id], runId).forEach((line) => console.log(line));
    } else {
      console.log(`  node states unavailable: ${state.reason} (is a worker polling task queue ${description.taskQueue}?)`);
    }

    if (description.status.name === 'RUNNING') return 0;
    const outcome = await awaitOutcome(handle);
    if (outcome.succeeded) console.log(`result:\n${JSON.stringify(outcome.result.output, null, 2)}`);
    else console.log(`failure: ${describeRunFailure(outcome.error)}`);
    return 0;
  } finally {
    await client.connection.close();
  }
}

async function describeRun(handle: RunHandle, runId: string, namespace: string): Promise<WorkflowExecutionDescription> {
  const description = await handle.describe().catch((error: unknown) => {
    if (error instanceof WorkflowNotFoundError) throw new CliError(`no run "${runId}" in namespace "${namespace}"`, 1, { cause: error });
    throw error;
  });
  if (description.type !== 'interpretGraph') {
    throw new CliError(`"${runId}" is a ${description.type} workflow, not a graph run`, 1);
  }
  return description;
}

/** The plan the run was started with is its first history event's input: labels and kinds come from there. */
async function readRunPlan(client: Client, handle: RunHandle): Promise<ExecutionPlan> {
  const history = await handle.fetchHistory();
  const payloads = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads;
  const input = await decodeFromPayloadsAtIndex<InterpretGraphInput>(client.options.loadedDataConverter, 0, payloads);
  return input.plan;
}

async function queryState(client: Client, handle: RunHandle): Promise<{ known: true; value: RunState } | { known: false; reason: string }> {
  try {
    return { known: true, value: await client.withDeadline(Date.now() + QUERY_DEADLINE_MS, () => handle.query(runStateQuery)) };
  } catch (error) {
    return { known: false, reason: messageOf(error) };
  }
}
