import { WorkflowUpdateFailedError } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import type { ApprovalDecision } from '../../../engine/run-state';
import { loadConfig } from '../../../platform/config';
import type { RunHandle } from '../../../platform/start-run';
import { decideApprovalUpdate } from '../../../workflows/messages';
import { CliError, messageOf } from '../cli-error';
import { connectToTemporal } from '../connect';
import { parseJsonOption } from '../json-option';
import { parseCommand } from '../parse-command';

/** `approve` and `reject`: one Workflow Update, which the run refuses unless that Approval node is waiting. */
export function decideCommand(approved: boolean): (args: string[]) => Promise<number> {
  return async (args) => {
    const {
      positionals: [runId, nodeId],
      values,
    } = parseCommand(args, { data: { type: 'string' }, comment: { type: 'string' }, by: { type: 'string' } }, ['runId', 'nodeId']);
    const decision: ApprovalDecision = { nodeId, approved, data: parseJsonOption('data', values.data), comment: values.comment, by: values.by };
    const { temporal } = loadConfig();
    const client = await connectToTemporal(temporal);
    try {
      const handle: RunHandle = client.workflow.getHandle(runId);
      await handle.executeUpdate(decideApprovalUpdate, { args: [decision] }).catch((error: unknown) => {
        throw explainRefusal(error, runId, temporal.namespace);
      });
      console.log(`${approved ? 'approved' : 'rejected'} node ${nodeId} of run ${runId}`);
      return 0;
    } finally {
      await client.connection.close();
    }
  };
}

function explainRefusal(error: unknown, runId: string, namespace: string): unknown {
  if (error instanceof WorkflowUpdateFailedError) {
    return new CliError(`refused: ${error.cause ? messageOf(error.cause) : error.message}`, 1, { cause: error });
  }
  if (error instanceof WorkflowNotFoundError) {
    return new CliError(`refused: no open run "${runId}" in namespace "${namespace}" (${error.message})`, 1, { cause: error });
  }
  return error;
}
