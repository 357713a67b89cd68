import type { z } from 'zod';
import type { RetryPolicyConfig, TimeoutsConfig } from '../engine/graph';
import type { NodeKind } from '../engine/plan';
import type { CredentialKind, ResolvedCredential } from './credential-kinds';

/** A node type's default retry policy always bounds its attempts. */
export type DefaultRetryPolicy = RetryPolicyConfig & { maximumAttempts: number };

export type NodeCategory = 'trigger' | 'flow' | 'data' | 'network';

export interface HandleSpec {
  id: string;
  label: string;
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
}

interface NodeDefinitionBase<Schema extends z.ZodType> {
  type: string;
  version: number;
  category: NodeCategory;
  label: string;
  description: string;
  config: Schema;
  /** Describes what the node outputs (catalogue, docs, template suggestions on the canvas). */
  output: z.ZodType;
  inputs: HandleSpec[];
  outputs: HandleSpec[];
}

/** A node that runs as a Temporal activity with its own retry policy and timeouts. */
export interface TaskNodeDefinition<Schema extends z.ZodType = z.ZodType> extends NodeDefinitionBase<Schema> {
  kind: 'task';
  /** Kinds of credential the node accepts in `config.credentialId`. */
  credentialKinds?: CredentialKind[];
  retry: DefaultRetryPolicy;
  timeouts: TimeoutsConfig;
  run(context: NodeRunContext<z.output<Schema>>): Promise<unknown>;
}

/** A node the interpreter workflow carries out itself (branching, durable timers, updates, the graph's ends). */
export interface ControlNodeDefinition<Schema extends z.ZodType = z.ZodType> extends NodeDefinitionBase<Schema> {
  kind: Exclude<NodeKind, 'task'>;
}

export type NodeDefinition = TaskNodeDefinition | ControlNodeDefinition;

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

export function activityTypeOf(definition: Pick<NodeDefinition, 'type' | 'version'>): string {
  return `${definition.type}@${definition.version}`;
}

/** Applied where a node type sets nothing else: bounded attempts, so no node retries forever by default. */
export const DEFAULT_RETRY: DefaultRetryPolicy = {
  maximumAttempts: 3,
  initialInterval: '1s',
  backoffCoefficient: 2,
  maximumInterval: '30s',
};
