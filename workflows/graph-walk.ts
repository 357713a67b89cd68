import { ActivityFailure, ApplicationFailure, CancellationScope, condition, isCancellation, proxyActivities, sleep } from '@temporalio/workflow';
import { RetryState } from '@temporalio/common';
import { evaluateRules } from '../engine/conditions';
import { durationToMs, type Duration } from '../engine/duration';
import type { NodeFailureDetails, NodeTask, NodeTaskInput } from '../engine/node-task';
import { holdsStoredOutput } from '../engine/output-ref';
import type { ExecutionPlan, PlannedEdge, PlannedNode, PlannedTaskNode, RunMetadata } from '../engine/plan';
import { PURE_OUTPUT_INLINE_MAX, pureNodeFunctions } from '../engine/pure-nodes';
import type { ApprovalDecision, NodeError, NodeState, ReusedOutcome, RunResult } from '../engine/run-state';
import { resolveTemplates, type PathSegment, type TemplateScope } from '../engine/templates';
import { runForEach } from './for-each';
import { runAgent } from './run-agent';
import type { RunJournal } from './run-journal';
import { runChildWorkflow } from './run-workflow';

interface NodeOutcome {
  output: unknown;
  /** Output handle taken; undefined means every outgoing edge carries the output. */
  branch?: string;
  attempts?: number;
  /** Computed by the workflow itself, with no activity: listed in the run's current details. */
  computed?: true;
}

export interface GraphWalk {
  plan: ExecutionPlan;
  inputs: Record<string, unknown>;
  meta: RunMetadata;
  /** Outcomes of nodes upstream of a re-run's starting node, taken from the earlier run instead of running again. */
  reuse?: Record<string, ReusedOutcome>;
  journal: RunJournal;
  /** Approval decisions, filled by the run's update handler. */
  decisions: Map<string, ApprovalDecision>;
  /**
   * Put before node ids in activity ids and child run ids: a For Each chunk walks the called plan once per item in
   * one run, and each item's activities need ids of their own.
   */
  callPrefix?: string;
  /** Told each node computed in the workflow (a Markdown list line), for the run's current details. */
  onComputed?: (line: string) => void;
  /**
   * Compute the nodes the workflow computes itself as soon as they are ready, in plan order, instead of each in a
   * promise of its own: far faster for a plan of pure nodes (the SDK records a stack trace per promise), but the order
   * of the commands differs, so only runs recorded this way from their start (For Each chunks) may use it.
   */
  computeInline?: boolean;
}

/**
 * Walks a planned graph to its end. A node starts as soon as every edge into it is decided, so independent branches
 * run in parallel; an edge is dead when its source was skipped or took another branch, and a node whose every
 * incoming edge is dead is skipped. Fails with `NodeFailed` when a node fails (and does not continue on error).
 */
export async function walkGraph({ plan, inputs, meta, reuse = {}, journal, decisions, callPrefix = '', onComputed, computeInline = false }: GraphWalk): Promise<RunResult> {
  const scopeNodes: TemplateScope['nodes'] = {};
  const edgeLive = new Map<string, boolean>();
  const edgesInto = groupEdges(plan.edges, 'target');
  const edgesFrom = groupEdges(plan.edges, 'source');
  const endNodeIds: string[] = [];
  const endResponses: Record<string, RunResult['response']> = {};
  const work = new CancellationScope();
  let failure: { node: PlannedNode; error: NodeError } | undefined;

  const incomingValues = (node: PlannedNode): Record<string, unknown> => {
    const byHandle: Record<string, unknown[]> = {};
    for (const edge of edgesInto.get(node.id) ?? []) {
      if (edgeLive.get(edge.id)) (byHandle[edge.targetHandle] ??= []).push(scopeNodes[edge.source].output);
    }
    return Object.fromEntries(Object.entries(byHandle).map(([handle, values]) => [handle, values.length === 1 ? values[0] : values]));
  };

  const scopeOf = (incoming: Record<string, unknown>): TemplateScope => ({ input: inputs, nodes: scopeNodes, incoming });
  // A templated field resolves to whatever it reads or computes; the code using the value checks it (durations,
  // rules…). `field` is where the value sits, named by an expression's error.
  const resolverFor = (scope: TemplateScope) => <T>(value: T, field: PathSegment[]): T => resolveTemplates(value, scope, field) as T;
  const taskInput = (node: PlannedTaskNode, scope: TemplateScope): NodeTaskInput => ({
    node: { id: node.id, type: node.type, version: node.version, label: node.label },
    config: resolverFor(scope)(node.config, ['config']),
    incoming: scope.incoming,
    workspaceId: meta?.workspaceId,
  });

  /** The outcome of a node the workflow computes on the spot; undefined when it needs an activity, a timer or a child. */
  const computeNow = (node: PlannedNode, scope: TemplateScope): NodeOutcome | undefined => {
    const resolve = resolverFor(scope);
    const { incoming } = scope;
    switch (node.kind) {
      case 'start':
        return { output: inputs, computed: true };
      case 'end': {
        endNodeIds.push(node.id);
        if (node.config.response !== undefined) endResponses[node.id] = resolve(node.config.response, ['config', 'response']);
        return { output: node.config.value === undefined ? incoming.in : resolve(node.config.value, ['config', 'value']), computed: true };
      }
      case 'condition': {
        const rules = resolve(node.config.rules, ['config', 'rules']);
        // Plans made before strict numbers lack onTypeMismatch (the planner fills every default the schema has now);
        // their runs took the text-order branch and must replay taking it again. A plan field, unlike patched(),
        // costs the run no marker and no search-attribute update.
        const strictNumbers = node.config.onTypeMismatch !== undefined;
        const passed = evaluateRules(rules, node.config.combine === 'any' ? 'any' : 'all', { strictNumbers, onTypeMismatch: node.config.onTypeMismatch === 'error' ? 'error' : 'false' });
        return { output: incoming.in, branch: passed ? 'true' : 'false', computed: true };
      }
      case 'task':
        return node.pure ? computePure(node, taskInput(node, scope), scope) : undefined;
      default:
        return undefined;
    }
  };

  const perform = async (node: PlannedNode, incoming: Record<string, unknown>): Promise<NodeOutcome> => {
    const scope = scopeOf(incoming);
    const now = computeNow(node, scope);
    if (now) return now;
    const resolve = resolverFor(scope);
    switch (node.kind) {
      case 'start':
      case 'end':
      case 'condition':
        throw new Error(`${node.kind} nodes are always computed on the spot`);
      case 'delay':
        journal.waiting(node.id);
        await sleep(durationToMs(resolve(node.config.duration, ['config', 'duration'])));
        return { output: incoming.in };
      case 'approval':
        return awaitApproval(node, resolve(node.config.message, ['config', 'message']), resolve(node.config.timeout, ['config', 'timeout']));
      case 'task':
        return runActivity(node, taskInput(node, scope));
      case 'agent':
        return work.run(() => runAgent({ node, config: resolve(node.config, ['config']), incoming, resolve, journal, meta }));
      case 'subworkflow': {
        const config = resolve(node.config, ['config']);
        journal.io[node.id] = { input: { config, incoming } };
        const child = await work.run(() => runChildWorkflow({ node, activity: node.activity, config, meta, callId: `${callPrefix}${node.id}` }));
        return { output: child };
      }
      case 'for-each': {
        const config = resolve(node.config, ['config']);
        journal.io[node.id] = { input: { config, incoming } };
        const loop = await work.run(() =>
          runForEach({ node, config, items: config.items === undefined ? incoming.in : config.items, meta, callId: `${callPrefix}${node.id}`, onStart: (progress) => journal.forEachStarted(node.id, progress) }),
        );
        return { output: loop };
      }
    }
  };

  /**
   * A pure node's output, computed here with no activity (a crash can only make a replay compute it again); undefined
   * when only its activity can: its input holds stored outputs, or its output is too large to carry in the run.
   */
  const computePure = (node: PlannedTaskNode, input: NodeTaskInput, scope: TemplateScope): NodeOutcome | undefined => {
    const compute = pureNodeFunctions[node.activity.activityType];
    if (!compute || holdsStoredOutput(input.config) || holdsStoredOutput(input.incoming)) return undefined;
    journal.io[node.id] = { input: { config: input.config, incoming: input.incoming } };
    const output = compute(input.config, input.incoming, scope);
    if ((JSON.stringify(output) ?? '').length > PURE_OUTPUT_INLINE_MAX) return undefined;
    return { output, attempts: 1, computed: true };
  };

  const awaitApproval = async (node: PlannedNode, message: string | undefined, timeout: Duration | undefined): Promise<NodeOutcome> => {
    journal.waiting(node.id, message);
    const decided = timeout === undefined ? (await condition(() => decisions.has(node.id)), true) : await condition(() => decisions.has(node.id), durationToMs(timeout));
    const decision = decisions.get(node.id);
    if (!decided || !decision) return { output: { approved: false, timedOut: true }, branch: 'timeout' };
    const { approved, data, comment, by } = decision;
    return { output: { approved, timedOut: false, data, comment, by }, branch: approved ? 'approved' : 'rejected' };
  };

  const runActivity = async (node: PlannedTaskNode, input: NodeTaskInput): Promise<NodeOutcome> => {
    const { activityType, retry, timeouts } = node.activity;
    journal.io[node.id] = { input: { config: input.config, incoming: input.incoming } };
    const activities = proxyActivities<Record<string, NodeTask>>({
      activityId: `${callPrefix}${node.id}`,
      summary: node.label,
      taskQueue: node.activity.taskQueue,
      startToCloseTimeout: timeouts.startToClose,
      scheduleToCloseTimeout: timeouts.scheduleToClose,
      heartbeatTimeout: timeouts.heartbeat,
      retry,
    });
    const result = await work.run(() => activities[activityType](input));
    return { output: result.output, attempts: result.attempt };
  };

  /** Marks the node settled and decides its outgoing edges: live on the taken branch (or all), dead otherwise. */
  const decideEdges = (node: PlannedNode, output: unknown, branch?: string) => {
    scopeNodes[node.id] = { output };
    for (const edge of edgesFrom.get(node.id) ?? []) edgeLive.set(edge.id, branch === undefined || edge.sourceHandle === branch);
  };

  const settle = (node: PlannedNode, outcome: NodeOutcome) => {
    if (outcome.computed) onComputed?.(`- ${node.label} (\`${node.id}\`)${outcome.branch ? ` → ${outcome.branch}` : ''}`);
    journal.succeeded(node.id, outcome);
    decideEdges(node, outcome.output, outcome.branch);
  };

  const fail = (node: PlannedNode, error: unknown) => {
    if (failure) return;
    const nodeError = describeError(error);
    const attempts = attemptsOf(error, node, journal.nodes[node.id].attempts);
    if (node.continueOnError && !isCancellation(error)) {
      journal.failed(node.id, nodeError, attempts, { error: nodeError });
      decideEdges(node, { error: nodeError });
    } else {
      // Before any failure, a cancellation comes from the run being cancelled: the node did not fail, it was cut off.
      if (isCancellation(error)) journal.cancelled(node.id, attempts);
      else journal.failed(node.id, nodeError, attempts);
      failure = { node, error: nodeError };
      work.cancel();
    }
  };

  const runNode = async (node: PlannedNode) => {
    try {
      settle(node, await perform(node, incomingValues(node)));
    } catch (error) {
      fail(node, error);
    }
    startReadyNodes();
  };

  /** Settles the node now when the workflow computes it, with no promise at all; false when it must be awaited. */
  const settledNow = (node: PlannedNode): boolean => {
    try {
      const outcome = computeNow(node, scopeOf(incomingValues(node)));
      if (!outcome) return false;
      settle(node, outcome);
    } catch (error) {
      fail(node, error);
    }
    return true;
  };

  const startReadyNodes = () => {
    for (let progressed = true; progressed && !failure; ) {
      progressed = false;
      for (const node of plan.nodes) {
        const edges = edgesInto.get(node.id) ?? [];
        if (journal.nodes[node.id].status !== 'pending' || edges.some((e) => !edgeLive.has(e.id))) continue;
        const reused = reuse[node.id];
        if (reused && !reused.skipped) {
          journal.succeeded(node.id, { output: reused.output, branch: reused.branch, reusedFrom: meta?.rerunOf });
          decideEdges(node, reused.output, reused.branch);
          progressed = true;
        } else if ((edges.length > 0 && edges.every((e) => !edgeLive.get(e.id))) || reused?.skipped) {
          journal.skipped(node.id);
          decideEdges(node, undefined, '');
          progressed = true;
        } else {
          journal.started(node.id);
          if (computeInline && settledNow(node)) progressed = true;
          else void runNode(node);
        }
      }
    }
  };

  const ended = () => failure !== undefined || plan.nodes.every((n) => isSettled(journal.nodes[n.id]));
  startReadyNodes();
  if (!ended()) await condition(ended);
  if (failure) {
    const { node, error } = failure;
    journal.finished('failed', error);
    throw ApplicationFailure.create({
      message: `node "${node.label}" (${node.id}) failed: ${error.message}`,
      type: 'NodeFailed',
      nonRetryable: true,
      details: [{ nodeId: node.id, error }],
    });
  }
  journal.finished('succeeded');
  const output = endNodeIds.length <= 1 ? (endNodeIds.length === 1 ? scopeNodes[endNodeIds[0]].output : null) : Object.fromEntries(endNodeIds.map((id) => [id, scopeNodes[id].output]));
  const response = endNodeIds.map((id) => endResponses[id]).find((r) => r !== undefined);
  return response === undefined ? { output, endNodeIds } : { output, endNodeIds, response };
}

function isSettled(state: NodeState): boolean {
  return state.status === 'succeeded' || state.status === 'failed' || state.status === 'skipped';
}

function groupEdges(edges: PlannedEdge[], by: 'source' | 'target'): Map<string, PlannedEdge[]> {
  const groups = new Map<string, PlannedEdge[]>();
  for (const edge of edges) groups.set(edge[by], [...(groups.get(edge[by]) ?? []), edge]);
  return groups;
}

export function describeError(error: unknown): NodeError {
  const cause = error instanceof ActivityFailure && error.cause ? error.cause : error;
  if (cause instanceof ApplicationFailure) return { message: cause.message, type: cause.type ?? undefined };
  if (cause instanceof Error) return { message: cause.message, type: cause.name };
  return { message: String(cause) };
}

function attemptsOf(error: unknown, node: PlannedNode, known: number): number {
  if (!(error instanceof ActivityFailure)) return known;
  const details = error.cause instanceof ApplicationFailure ? (error.cause.details?.[0] as NodeFailureDetails | undefined) : undefined;
  if (details?.attempt) return details.attempt;
  if (error.retryState === RetryState.MAXIMUM_ATTEMPTS_REACHED && 'activity' in node) return node.activity.retry.maximumAttempts;
  return Math.max(known, 1);
}
