import type { Graph } from './graph';

/** A source the reply cites: one retrieved chunk, as Retrieval QA lists it. */
export interface Citation {
  n: number;
  text: string;
  source?: string;
  chunkId?: string;
}

export interface ChatReply {
  text: string;
  citations: Citation[];
}

/** A chat message's run is running, answered it, or ended without an answer. */
export const CHAT_MESSAGE_STATUSES = ['running', 'answered', 'failed'] as const;
export type ChatMessageStatus = (typeof CHAT_MESSAGE_STATUSES)[number];

export const CHAT_TRIGGER_TYPE = 'chat-trigger';

/** The graph's Chat trigger node, if it has one. */
export function chatTriggerOf(graph: Graph): Graph['nodes'][number] | undefined {
  return graph.nodes.find((node) => node.type === CHAT_TRIGGER_TYPE);
}

/**
 * The node whose streamed tokens are the reply: the one the Chat trigger names, else the one feeding an End node
 * (an LLM Chat, Agent or Retrieval QA in front of the End node is the usual shape), else none.
 */
export function answerNodeOf(graph: Graph): string | undefined {
  const named = chatTriggerOf(graph)?.data.config.answerNode;
  if (typeof named === 'string') return named;
  const ends = new Set(graph.nodes.filter((node) => node.type === 'end').map((node) => node.id));
  return graph.edges.find((edge) => ends.has(edge.target))?.source;
}

/**
 * The reply in a run's result (what its End node received): a string as it is; an object's `answer` (Agent,
 * Retrieval QA) or `text` (LLM Chat), with its `citations` when it lists them, else its `documents` (a Retriever's
 * matches, passed on by the End node) numbered as sources; anything else as JSON.
 */
export function chatReplyOf(output: unknown): ChatReply {
  if (typeof output === 'string') return { text: output, citations: [] };
  if (typeof output !== 'object' || output === null) return { text: output === undefined ? '' : JSON.stringify(output), citations: [] };
  const fields = output as Record<string, unknown>;
  const text = typeof fields.answer === 'string' ? fields.answer : typeof fields.text === 'string' ? fields.text : JSON.stringify(output);
  if (Array.isArray(fields.citations)) return { text, citations: fields.citations.flatMap(citationOf) };
  return { text, citations: Array.isArray(fields.documents) ? fields.documents.flatMap(citationOfDocument) : [] };
}

/** A Retriever's document `{ id, text, metadata: { source } }` as the source numbered by its place in the list. */
function citationOfDocument(value: unknown, index: number): Citation[] {
  if (typeof value !== 'object' || value === null) return [];
  const { id, text, metadata } = value as Record<string, unknown>;
  if (typeof text !== 'string') return [];
  const source = typeof metadata === 'object' && metadata !== null ? (metadata as Record<string, unknown>).source : undefined;
  return [{ n: index + 1, text, ...(typeof source === 'string' ? { source } : {}), ...(typeof id === 'string' ? { chunkId: id } : {}) }];
}

function citationOf(value: unknown): Citation[] {
  if (typeof value !== 'object' || value === null) return [];
  const { n, text, source, chunkId } = value as Record<string, unknown>;
  if (typeof n !== 'number' || typeof text !== 'string') return [];
  return [{ n, text, ...(typeof source === 'string' ? { source } : {}), ...(typeof chunkId === 'string' ? { chunkId } : {}) }];
}
