import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { ApprovalDecision, RunState } from '../engine/run-state';

/** Live per-node state of a run; what the CLI, the API and the canvas overlay poll. */
export const runStateQuery = defineQuery<RunState>('runState');

/** Approves or rejects a waiting Approval node; refused unless that node is waiting. */
export const decideApprovalUpdate = defineUpdate<{ nodeId: string; approved: boolean }, [ApprovalDecision]>('decideApproval');
