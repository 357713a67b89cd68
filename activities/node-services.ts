import type { ConversationMemory } from './services/conversation-memory';
import type { NodeEventSink } from './services/node-event-sink';
import type { VectorStore } from './services/vector-store';
import type { WorkflowPlanSource } from './services/workflow-plan-source';

/**
 * What nodes reach beyond their own config: each service is backed by the database in a real worker and absent in
 * a worker without one (the `kai` CLI), where a node needing it fails with a message that says so.
 */
export interface NodeServices {
  memory?: ConversationMemory;
  vectors?: VectorStore;
  /** Live events (LLM tokens, agent steps) for the run's event stream; never part of the workflow history. */
  events?: NodeEventSink;
  /** Published workflows, planned for a "run another workflow" call. */
  workflows?: WorkflowPlanSource;
}
