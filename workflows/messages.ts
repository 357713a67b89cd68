import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { ApprovalDecision, NodeIo, RunEvent, RunState } from '../engine/run-state';

/** Live per-node state of a run; what the CLI, the API and the canvas overlay poll. */
export const runStateQuery = defineQuery<RunState>('runState');

/** The run's events numbered from 1; pass the last seq seen to get only newer ones. */
export const runEventsQuery = defineQuery<RunEvent[], [afterSeq: number]>('runEvents');

/** Each node's resolved input and its output (stored outputs stay references). */
export const nodeIoQuery = defineQuery<Record<string, NodeIo>>('nodeIo');

/** Approves or rejects a waiting Approval node; refused unless that node is waiting. */
export const decideApprovalUpdate = defineUpdate<{ nodeId: string; approved: boolean }, [ApprovalDecision]>('decideApproval');
