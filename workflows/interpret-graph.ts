import { setCurrentDetails, setHandler } from '@temporalio/workflow';
import type { InterpretGraphInput } from '../engine/plan';
import type { ApprovalDecision, RunResult } from '../engine/run-state';
import { runForEachChunk } from './for-each-chunk';
import { walkGraph } from './graph-walk';
import { decideApprovalUpdate, nodeIoQuery, runEventsQuery, runStateQuery } from './messages';
import { RunJournal } from './run-journal';

/**
 * The one workflow: interprets a planned graph (see graph-walk.ts), or, for a For Each node, one chunk of its calls.
 *
 * Anything that changes the commands this produces for a given history must go behind `patched()`; the recorded
 * histories in workflows/histories are replayed in CI to catch a change that does not.
 */
export async function interpretGraph(input: InterpretGraphInput): Promise<RunResult> {
  if (input.forEachChunk) return runForEachChunk(input.plan, input.meta, input.forEachChunk);
  const { plan, inputs, meta, reuse } = input;
  const journal = new RunJournal(plan.nodes.map((n) => n.id));
  const decisions = new Map<string, ApprovalDecision>();

  setHandler(runStateQuery, () => journal.state());
  setHandler(runEventsQuery, (afterSeq) => journal.eventsAfter(Number(afterSeq) || 0));
  setHandler(nodeIoQuery, () => journal.io);
  setHandler(
    decideApprovalUpdate,
    (decision) => {
      decisions.set(decision.nodeId, decision);
      return { nodeId: decision.nodeId, approved: decision.approved };
    },
    {
      validator: (decision) => {
        const node = plan.nodes.find((n) => n.id === decision?.nodeId);
        if (!node || node.kind !== 'approval') throw new Error(`no Approval node "${decision?.nodeId}" in this run`);
        const { status } = journal.nodes[node.id];
        if (status !== 'waiting' || decisions.has(node.id)) {
          throw new Error(`Approval node "${node.id}" is not waiting for a decision (it is ${status})`);
        }
        if (typeof decision.approved !== 'boolean') throw new Error('approved must be true or false');
      },
    },
  );

  const computedHere: string[] = [];
  // Temporal Web UI shows a run's current details; its history holds no event for work done in the workflow, so the
  // nodes computed here are listed there instead (a query answer, no cost to the server).
  const onComputed = (line: string) => {
    computedHere.push(line);
    setCurrentDetails(`**Computed in the workflow, no activity** (${computedHere.length}):\n${computedHere.join('\n')}`);
  };
  return walkGraph({ plan, inputs, meta, reuse, journal, decisions, onComputed });
}
