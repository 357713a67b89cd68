import { loadConfig } from '../../../platform/config';
import { startRun } from '../../../platform/start-run';
import { connectToTemporal, webUiLink } from '../connect';
import { describeRunFailure, followRun } from '../follow-run';
import { planGraphFile } from '../graph-file';
import { parseInputsOption } from '../json-option';
import { parseCommand } from '../parse-command';
import { createProgressReporter } from '../run-progress';

/** Validates before connecting, so an invalid graph never reaches Temporal; then follows the run to its result. */
export async function runCommand(args: string[]): Promise<number> {
  const {
    positionals: [file],
    values,
  } = parseCommand(args, { input: { type: 'string' } }, ['graph.json']);
  const inputs = parseInputsOption(values.input);
  const { graph, plan } = await planGraphFile(file);
  const { temporal } = loadConfig();
  const client = await connectToTemporal(temporal);
  try {
    const handle = await startRun(client, { graph, inputs, meta: { trigger: 'cli' }, taskQueue: temporal.taskQueue, activityRoutes: temporal.activityRoutes });
    const runId = handle.workflowId;
    console.log(`started run ${runId} (${plan.nodes.length} nodes, task queue ${temporal.taskQueue})`);
    const link = webUiLink(temporal, runId);
    if (link) console.log(`Temporal Web UI: ${link}`);
    console.log('Ctrl-C stops following; the run carries on in Temporal.');

    const progress = createProgressReporter(plan, runId);
    const outcome = await followRun(handle, (state) => progress(state).forEach((line) => console.log(line)));
    if (!outcome.succeeded) {
      console.error(`run ${runId} failed: ${describeRunFailure(outcome.error)}`);
      return 1;
    }
    console.log(`run ${runId} succeeded; result:`);
    console.log(JSON.stringify(outcome.result.output, null, 2));
    return 0;
  } finally {
    await client.connection.close();
  }
}
