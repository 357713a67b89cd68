import { ActivityFailure, ApplicationFailure, isCancellation, proxyActivities } from '@temporalio/workflow';
import type { AgentModelInput, AgentModelResult, AgentToolCall, AgentTranscriptMessage } from '../activities/llm/agent-model';
import type { TokenUsage } from '../activities/llm/token-usage';
import { durationToMs, isDuration, type Duration } from '../engine/duration';
import type { NodeTask } from '../engine/node-task';
import type { PlannedActivity, PlannedNodeOf, PlannedTool, RunMetadata } from '../engine/plan';
import type { NodeError } from '../engine/run-state';
import type { PathSegment } from '../engine/templates';
import type { RunJournal } from './run-journal';
import { runChildWorkflow } from './run-workflow';

export interface AgentRun {
  node: PlannedNodeOf<'agent'>;
  /** The Agent's config, templates resolved. */
  config: Record<string, unknown>;
  incoming: Record<string, unknown>;
  /** Resolves a tool's templates in the Agent's scope (its tools are not steps of the flow themselves). */
  resolve: (value: unknown, field: PathSegment[]) => unknown;
  journal: RunJournal;
  meta: RunMetadata;
}

interface AgentStep {
  iteration: number;
  toolCalls: { tool: string; arguments: Record<string, unknown>; result?: unknown; error?: string }[];
}

export interface AgentOutput {
  answer: string;
  steps: AgentStep[];
  usage: TokenUsage;
  iterations: number;
}

/** An agent that gave up: everything but the answer. */
export type AgentProgress = Omit<AgentOutput, 'answer'>;

/** Event summaries are for a step list on the canvas, not a transcript: long text is cut. */
const SUMMARY_MAX_CHARS = 300;

/**
 * The ReAct loop, run by the workflow so every model call and every tool call is an activity of its own (own retry
 * policy, visible in Temporal Web UI and in the run's events). The model is asked; if it calls tools they run (in
 * parallel) and their results, or their errors, go back to it; the loop ends with an answer, or fails after
 * `maxIterations` model calls or when the time budget (workflow time) runs out.
 */
export async function runAgent({ node, config, incoming, resolve, journal, meta }: AgentRun): Promise<{ output: AgentOutput }> {
  const { tools } = node;
  const { maxIterations, timeBudgetMs } = loopBounds(config);
  const deadline = Date.now() + timeBudgetMs;
  const transcript: AgentTranscriptMessage[] = [];
  const steps: AgentStep[] = [];
  const usage: TokenUsage = { inputTokens: 0, outputTokens: 0, totalTokens: 0 };
  const callsPerTool = new Map<string, number>();
  journal.io[node.id] = { input: { config, incoming } };
  journal.toolsRegistered(tools.map((tool) => tool.id));

  const remainingBudget = (iteration: number): number => {
    const remaining = deadline - Date.now();
    if (remaining <= 0) throw budgetExceeded(config.timeBudget, iteration);
    return remaining;
  };

  const askModel = async (iteration: number): Promise<AgentModelResult> => {
    const { activity } = node;
    const models = proxyActivities<Record<string, (input: AgentModelInput) => Promise<AgentModelResult>>>(
      activityOptions(activity, `${node.id}.model.${iteration}`, `${node.label} · model call ${iteration}`, remainingBudget(iteration)),
    );
    const toolSchemas = tools.map((tool) => ({ name: tool.toolName, description: tool.description, parameters: tool.argumentsSchema }));
    try {
      return await models[activity.activityType]({ agent: { id: node.id, label: node.label }, workspaceId: meta.workspaceId, config, transcript, tools: toolSchemas, iteration });
    } catch (error) {
      if (!isCancellation(error) && Date.now() >= deadline) throw budgetExceeded(config.timeBudget, iteration);
      throw error;
    }
  };

  const callTool = async (call: AgentToolCall, iteration: number): Promise<{ message: AgentTranscriptMessage; call: AgentStep['toolCalls'][number] }> => {
    const tool = tools.find((candidate) => candidate.toolName === call.name);
    const failed = (error: string) => ({ message: { role: 'tool' as const, toolCallId: call.id, error }, call: { tool: call.name, arguments: call.arguments, error } });
    if (!tool) return failed(`there is no tool named "${call.name}"; the tools are: ${tools.map((t) => t.toolName).join(', ') || 'none'}`);
    const n = (callsPerTool.get(tool.id) ?? 0) + 1;
    callsPerTool.set(tool.id, n);
    const ended = { agentId: node.id, toolId: tool.id, iteration };
    journal.toolCallStarted(tool.id);
    try {
      const { output, attempts } = await runTool(tool, call, `${node.id}.${tool.id}.${n}`, remainingBudget(iteration));
      journal.toolCallEnded({ ...ended, attempts, summary: `${tool.toolName}(${brief(call.arguments)}) → ${brief(output)}`, io: { input: call.arguments, output } });
      return { message: { role: 'tool', toolCallId: call.id, output }, call: { tool: tool.toolName, arguments: call.arguments, result: output } };
    } catch (error) {
      if (isCancellation(error)) throw error;
      const nodeError = failureOf(error);
      journal.toolCallEnded({ ...ended, attempts: 0, summary: `${tool.toolName}(${brief(call.arguments)}) failed: ${brief(nodeError.message)}`, io: { input: call.arguments }, error: nodeError });
      return failed(nodeError.message);
    }
  };

  const runTool = async (tool: PlannedTool, call: AgentToolCall, callId: string, budgetMs: number): Promise<{ output: unknown; attempts: number }> => {
    const config = resolve(tool.config, ['tools', tool.id]) as Record<string, unknown>;
    if (tool.kind === 'subworkflow') {
      const child = await runChildWorkflow({ node: tool, activity: tool.activity, config, toolArguments: call.arguments, meta, callId, budgetMs });
      return { output: child, attempts: 1 };
    }
    const nodeTasks = proxyActivities<Record<string, NodeTask>>(activityOptions(tool.activity, callId, `${node.label} → ${tool.label}`, budgetMs));
    const result = await nodeTasks[tool.activity.activityType]({
      node: { id: tool.id, type: tool.type, version: tool.version, label: tool.label },
      config,
      incoming: {},
      workspaceId: meta.workspaceId,
      toolArguments: call.arguments,
    });
    return { output: result.output, attempts: result.attempt };
  };

  try {
    for (let iteration = 1; iteration <= maxIterations; iteration++) {
      const reply = await askModel(iteration);
      const counted = recordedUsage(reply.usage);
      usage.inputTokens += counted.inputTokens;
      usage.outputTokens += counted.outputTokens;
      usage.totalTokens += counted.totalTokens;
      const { content, toolCalls } = reply.message;
      journal.agentModelAnswered(node.id, iteration, toolCalls.length > 0 ? `calls ${toolCalls.map((call) => call.name).join(', ')}` : brief(content));
      if (toolCalls.length === 0) return { output: { answer: content, steps, usage, iterations: iteration } };
      // The last iteration's tool calls would need another model call to be answered: there is none left.
      if (iteration === maxIterations) break;
      transcript.push({ role: 'assistant', content, toolCalls });
      const results = await Promise.all(toolCalls.map((call) => callTool(call, iteration)));
      transcript.push(...results.map((result) => result.message));
      steps.push({ iteration, toolCalls: results.map((result) => result.call) });
    }
  } finally {
    journal.toolsUnused(tools.map((tool) => tool.id));
  }
  // What the agent did is kept: the node's output and the failure's details show the steps it took and what they cost.
  const progress: AgentProgress = { steps, usage, iterations: maxIterations };
  journal.io[node.id] = { ...journal.io[node.id], output: progress };
  throw ApplicationFailure.create({
    message: `stopped after ${maxIterations} iterations without a final answer; the steps so far are in the node's output`,
    type: 'AgentMaxIterations',
    nonRetryable: true,
    details: [progress],
  });
}

/** Read by the workflow before any activity runs, so a template that produced a bad value fails the node clearly. */
function loopBounds(config: Record<string, unknown>): { maxIterations: number; timeBudgetMs: number } {
  const maxIterations = config.maxIterations;
  if (typeof maxIterations !== 'number' || !Number.isInteger(maxIterations) || maxIterations < 1) {
    throw ApplicationFailure.create({ message: 'config.maxIterations must be a whole number of at least 1', type: 'InvalidNodeConfig', nonRetryable: true });
  }
  if (!isDuration(config.timeBudget)) {
    throw ApplicationFailure.create({ message: 'config.timeBudget must be milliseconds or a duration such as "5m"', type: 'InvalidNodeConfig', nonRetryable: true });
  }
  return { maxIterations, timeBudgetMs: durationToMs(config.timeBudget as Duration) };
}

function activityOptions(activity: PlannedActivity, activityId: string, summary: string, budgetMs: number) {
  const { retry, timeouts } = activity;
  return {
    activityId,
    summary,
    taskQueue: activity.taskQueue,
    startToCloseTimeout: timeouts.startToClose,
    // What is left of the agent's budget bounds every attempt and retry of the call.
    scheduleToCloseTimeout: Math.min(timeouts.scheduleToClose ?? budgetMs, budgetMs),
    heartbeatTimeout: timeouts.heartbeat,
    retry,
  };
}

function budgetExceeded(budget: unknown, iteration: number): ApplicationFailure {
  return ApplicationFailure.create({ message: `time budget of ${String(budget)} ran out during iteration ${iteration} without a final answer`, type: 'AgentTimeBudgetExceeded', nonRetryable: true });
}

/** What the model is told about a failed tool: the failure itself, not the activity wrapper around it. */
function failureOf(error: unknown): NodeError {
  const cause = error instanceof ActivityFailure && error.cause ? error.cause : error;
  if (cause instanceof ApplicationFailure) return { message: cause.message, type: cause.type ?? undefined };
  if (cause instanceof Error) return { message: cause.message, type: cause.name };
  return { message: String(cause) };
}

function brief(value: unknown): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
  return text.length <= SUMMARY_MAX_CHARS ? text : `${text.slice(0, SUMMARY_MAX_CHARS)}…`;
}

/**
 * Model replies recorded before usage had one shape named its fields promptTokens/completionTokens/totalTokens; a
 * run in flight across that upgrade replays them, and must still add them up.
 */
function recordedUsage(usage: TokenUsage | { promptTokens: number; completionTokens: number; totalTokens: number }): TokenUsage {
  if ('inputTokens' in usage) return usage;
  return { inputTokens: usage.promptTokens, outputTokens: usage.completionTokens, totalTokens: usage.totalTokens };
}
