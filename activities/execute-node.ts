import type { Socket } from 'node:net';
import { ApplicationFailure, Context } from '@temporalio/activity';
import type { z } from 'zod';
import type { NodeFailureDetails, NodeTaskInput, NodeTaskResult } from '../engine/node-task';
import { dereference } from './dereference';
import type { CredentialResolver, ResolvedCredential } from './credential-kinds';
import type { TaskNodeDefinition } from './node-definition';
import type { NodeServices } from './node-services';
import { announceRetry } from './retry-announcement';
import type { NodeAttemptEnded, NodeEventSink } from './services/node-event-sink';
import { keepPayloadSmall, storeOutput, type OutputStore } from './output-store';
import { scrubError, secretTextsOf } from './scrub-secrets';

export interface NodeExecutionDeps {
  outputs: OutputStore;
  credentials: CredentialResolver;
  /** Outputs larger than this (JSON bytes) are stored outside Temporal and passed by reference. */
  inlineOutputLimitBytes: number;
  /** `fetch` under the worker's outbound policy; nodes get nothing else to reach the network with. */
  fetch: typeof fetch;
  /** TCP sockets under the same policy, for nodes that speak another protocol (Database Query). */
  socket: () => Socket;
  services: NodeServices;
  /** Told how each attempt ended (worker metrics); activities stay free of any metrics library. */
  observe?: (observation: NodeAttemptObservation) => void;
}

export interface NodeAttemptObservation {
  type: string;
  status: 'succeeded' | 'failed';
  attempt: number;
  durationMs: number;
}

/** Runs one node attempt inside its activity: load references, check config, run, keep the result payload small. */
export async function executeNode(
  definition: TaskNodeDefinition,
  input: NodeTaskInput,
  deps: NodeExecutionDeps,
): Promise<NodeTaskResult> {
  const context = Context.current();
  const { attempt, activityId } = context.info;
  const execution = context.info.workflowExecution ?? { workflowId: 'standalone', runId: activityId };
  const stopHeartbeats = heartbeatWhileRunning(context);
  const key = { workspaceId: input.workspaceId, workflowId: execution.workflowId, runId: execution.runId, nodeId: input.node.id, attempt };
  const started = performance.now();
  let status: NodeAttemptObservation['status'] = 'failed';
  let failure: Error | undefined;
  let credential: ResolvedCredential | undefined;
  try {
    const { config, incoming } = (await dereference({ config: input.config, incoming: input.incoming }, deps.outputs, input.workspaceId)) as Pick<NodeTaskInput, 'config' | 'incoming'>;
    const parsedConfig = parseConfig(definition, config);
    credential = await loadCredential(definition, parsedConfig, input.workspaceId, deps.credentials);
    const output = await definition.run({
      config: parsedConfig,
      credential,
      incoming,
      node: { id: input.node.id, type: input.node.type, label: input.node.label },
      attempt,
      signal: context.cancellationSignal,
      fetch: deps.fetch,
      socket: deps.socket,
      services: deps.services,
      toolArguments: input.toolArguments === undefined ? undefined : parseToolArguments(definition, input.toolArguments),
      run: { workflowId: execution.workflowId, runId: execution.runId, workspaceId: input.workspaceId },
      store: (name, value) => storeOutput(value, { ...key, nodeId: `${key.nodeId}.${name}` }, deps.outputs),
    });
    const result = { output: await keepPayloadSmall(output, key, deps.outputs, deps.inlineOutputLimitBytes), attempt };
    status = 'succeeded';
    return result;
  } catch (error) {
    // The one way a node's failure leaves the worker: into the run's error, Temporal's history and the worker log.
    failure = scrubError(withAttempt(error, attempt), secretTextsOf(credential));
    await announceRetry(deps.services.events, execution, input.node.id, context.info, failure).catch(() => undefined);
    throw failure;
  } finally {
    stopHeartbeats();
    const durationMs = performance.now() - started;
    deps.observe?.({ type: input.node.type, status, attempt, durationMs });
    const ended = { status, durationMs, error: failure ? errorOf(failure) : null };
    await recordAttempt(deps.services.events, { run: execution, nodeId: input.node.id, attempt, ended }).catch((error: unknown) =>
      context.log.warn('could not record how the node attempt ended', { nodeId: input.node.id, attempt, error: String(error) }),
    );
  }
}

/**
 * Tells the run's live events how an attempt ended, when that adds to what the node's state says: a failed attempt
 * (the state keeps only the last error), or the attempt that ended a retried node. A node's one successful attempt,
 * by far the commonest, writes nothing. Stored before the activity completes, so a finished run lists every attempt.
 */
async function recordAttempt(
  events: NodeEventSink | undefined,
  { run, nodeId, attempt, ended }: { run: { workflowId: string; runId: string }; nodeId: string; attempt: number; ended: NodeAttemptEnded },
): Promise<void> {
  if (!events || (ended.status === 'succeeded' && attempt === 1)) return;
  events.publish(run, { nodeId, attempt, type: 'node.attempt', data: ended });
  await events.flush();
}

function errorOf(failure: Error): NodeAttemptEnded['error'] {
  return { message: failure.message, ...(failure instanceof ApplicationFailure && failure.type ? { type: failure.type } : {}) };
}

function parseConfig(definition: TaskNodeDefinition, config: unknown): z.output<TaskNodeDefinition['config']> {
  const parsed = definition.config.safeParse(config);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `config.${issue.path.join('.') || '(root)'}: ${issue.message}`);
  throw ApplicationFailure.create({ message: `invalid config after templates were resolved: ${problems.join('; ')}`, type: 'InvalidNodeConfig', nonRetryable: true });
}

/** A model's tool call may carry anything; the node sees only arguments its tool spec accepts. */
function parseToolArguments(definition: TaskNodeDefinition, args: Record<string, unknown>): Record<string, unknown> {
  if (!definition.tool) {
    throw ApplicationFailure.create({ message: `${definition.label} cannot be used as a tool`, type: 'InvalidToolCall', nonRetryable: true });
  }
  const parsed = definition.tool.arguments.safeParse(args);
  if (parsed.success) return parsed.data as Record<string, unknown>;
  const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(arguments)'}: ${issue.message}`);
  throw ApplicationFailure.create({ message: `invalid tool arguments: ${problems.join('; ')}`, type: 'InvalidToolCall', nonRetryable: true });
}

async function loadCredential(definition: TaskNodeDefinition, config: unknown, workspaceId: string | undefined, credentials: CredentialResolver): Promise<ResolvedCredential | undefined> {
  const credentialId = (config as { credentialId?: unknown }).credentialId;
  if (typeof credentialId !== 'string' || credentialId === '') return undefined;
  const credential = await credentials.resolve(workspaceId, credentialId);
  if (!definition.credentialKinds?.includes(credential.kind)) {
    throw ApplicationFailure.create({
      message: `credential ${credentialId} is a ${credential.kind} credential; ${definition.label} accepts ${definition.credentialKinds?.join(', ') || 'none'}`,
      type: 'InvalidCredential',
      nonRetryable: true,
    });
  }
  return credential;
}

/**
 * With a heartbeat timeout set, a node that stops heartbeating (its worker died) is retried within that timeout
 * instead of waiting out its whole start-to-close timeout.
 */
function heartbeatWhileRunning(context: Context): () => void {
  const timeout = context.info.heartbeatTimeoutMs;
  if (!timeout) return () => undefined;
  const timer = setInterval(() => context.heartbeat(), Math.max(100, Math.floor(timeout / 3)));
  return () => clearInterval(timer);
}

/** Keeps the failure's type, retryability and cause, adding the attempt number for the run's node state. */
function withAttempt(error: unknown, attempt: number): ApplicationFailure {
  const cause = error instanceof Error ? error : new Error(String(error));
  const application = error instanceof ApplicationFailure ? error : undefined;
  const details: NodeFailureDetails = { attempt, details: application?.details ?? undefined };
  return ApplicationFailure.create({
    message: cause.message,
    type: application?.type ?? cause.name,
    nonRetryable: application?.nonRetryable ?? false,
    nextRetryDelay: application?.nextRetryDelay ?? undefined,
    details: [details],
    cause: application ? (application.cause ?? undefined) : cause,
  });
}
