import type { Socket } from 'node:net';
import type { z } from 'zod';
import type { OutputRef } from '../engine/output-ref';
import type { RetryPolicyConfig, TimeoutsConfig } from '../engine/graph';
import type { NodeKind } from '../engine/plan';
import type { CredentialKind, ResolvedCredential } from './credential-kinds';
import type { NodeServices } from './node-services';

/** A node type's default retry policy always bounds its attempts. */
export type DefaultRetryPolicy = RetryPolicyConfig & { maximumAttempts: number };

export type NodeCategory = 'trigger' | 'flow' | 'data' | 'network' | 'ai' | 'documents' | 'vectors';

export interface HandleSpec {
  id: string;
  label: string;
  /**
   * `tool`: an input that only nodes able to act as tools may connect to (an Agent's tools); `memory`: one that only
   * memory nodes may connect to (an LLM's conversation memory). Such inputs are attachments, not steps of the flow,
   * and an edge that names no input handle never goes to one.
   */
  accepts?: 'tool' | 'memory';
  /** At most this many edges may end at the handle. */
  maxConnections?: number;
}

export interface NodeRunContext<Config> {
  /** Config with templates resolved, stored outputs loaded and the node type's schema applied. */
  config: Config;
  /** Values arriving on edges, keyed by target handle (an array when several active edges share a handle). */
  incoming: Record<string, unknown>;
  node: { id: string; type: string; label: string };
  /** The credential named by `config.credentialId`, loaded and decrypted for this attempt only. */
  credential?: ResolvedCredential;
  attempt: number;
  /** Aborted when Temporal cancels the activity (run cancelled, or the worker shutting down). */
  signal: AbortSignal;
  /**
   * The only way a node reaches the network: `fetch` with the worker's outbound policy applied (private, loopback,
   * link-local and metadata addresses refused after DNS resolution and after every redirect, unless allowlisted).
   */
  fetch: typeof fetch;
  /** A TCP socket under the same policy (pg's `stream`): its `connect(port, host)` reaches vetted addresses only. */
  socket: () => Socket;
  services: NodeServices;
  /** Set when an Agent calls this node as a tool: the arguments the model chose, checked against `tool.arguments`. */
  toolArguments?: Record<string, unknown>;
  /**
   * Stores a value outside Temporal and returns a reference to it: documents and embeddings travel as references,
   * which the next node's activity loads back transparently (from its config or incoming values).
   */
  store(name: string, value: unknown): Promise<OutputRef>;
  /** The run this attempt belongs to, for services keyed by run (memory turns, live events). */
  run: { workflowId: string; runId: string; workspaceId?: string };
}

/** How an Agent presents a node to the model when the node is connected to the Agent's `tools` handle. */
export interface ToolSpec {
  description: string;
  /** The arguments the model fills in; the node reads them from `toolArguments`. */
  arguments: z.ZodObject;
}

interface NodeDefinitionBase<Schema extends z.ZodType> {
  type: string;
  version: number;
  category: NodeCategory;
  label: string;
  /** Other words people search the palette with ("if" for Condition, "loop" for For Each); also in the catalogue. */
  keywords?: string[];
  description: string;
  config: Schema;
  /** Describes what the node outputs (catalogue, docs, template suggestions on the canvas). */
  output: z.ZodType;
  inputs: HandleSpec[];
  outputs: HandleSpec[];
  /** Present when the node can be an Agent's tool. */
  tool?: ToolSpec;
  /** Kinds of credential the node accepts in `config.credentialId` (a task node's is loaded before it runs). */
  credentialKinds?: CredentialKind[];
  /**
   * Deterministic: the output depends on the resolved config and incoming values alone (no I/O, no clock, no
   * randomness). A pure task node is computed by the interpreter with the function engine/pure-nodes.ts holds for
   * its `type@version` (its `run` calls the same one), and runs as its activity only for input the workflow cannot
   * read (stored outputs) or output too large to carry; the control kinds are carried out by the workflow anyway.
   */
  pure?: true;
}

/** A node that runs as a Temporal activity with its own retry policy and timeouts. */
export interface TaskNodeDefinition<Schema extends z.ZodType = z.ZodType> extends NodeDefinitionBase<Schema> {
  kind: 'task';
  retry: DefaultRetryPolicy;
  timeouts: TimeoutsConfig;
  run(context: NodeRunContext<z.output<Schema>>): Promise<unknown>;
}

/** A node the interpreter workflow carries out itself (branching, durable timers, updates, the graph's ends). */
export interface ControlNodeDefinition<Schema extends z.ZodType = z.ZodType> extends NodeDefinitionBase<Schema> {
  kind: Exclude<NodeKind, 'task'>;
}

/** The conversation memory a memory node gives the LLM node it is attached to (see llm/memory-messages.ts). */
export interface MemorySpec {
  kind: 'buffer' | 'token-buffer' | 'summary';
}

/**
 * A config-only node: it never runs. Attached to an LLM Chat's or Agent's Memory handle, its config becomes that
 * node's memory setting when the graph is planned.
 */
export interface MemoryNodeDefinition<Schema extends z.ZodType = z.ZodType> extends NodeDefinitionBase<Schema> {
  kind: 'memory';
  memory: MemorySpec;
}

export type NodeDefinition = TaskNodeDefinition | ControlNodeDefinition | MemoryNodeDefinition;

export function defineTaskNode<Schema extends z.ZodType>(
  definition: Omit<TaskNodeDefinition<Schema>, 'kind'>,
): TaskNodeDefinition<Schema> {
  return { kind: 'task', ...definition };
}

export function defineControlNode<Schema extends z.ZodType>(
  definition: ControlNodeDefinition<Schema>,
): ControlNodeDefinition<Schema> {
  return definition;
}

/** Applied where a node type sets nothing else: bounded attempts, so no node retries forever by default. */
export const DEFAULT_RETRY: DefaultRetryPolicy = {
  maximumAttempts: 3,
  initialInterval: '1s',
  backoffCoefficient: 2,
  maximumInterval: '30s',
};
