import type { ChatMessageDto } from '$contract/chat';
import type { StreamedEvent } from '../api/run-stream';

/** A tool the answering Agent called, as its `agent.step` events list it. */
export interface ChatToolCall {
  id: string;
  name: string;
}

export type ChatCitation = ChatMessageDto['citations'][number];

/** One question and its answer as the panel shows it, filled in by the message's event stream. */
export interface ChatTurn {
  question: string;
  /** The answer so far: the answer node's tokens while it streams, the recorded reply once answered. */
  answer: string;
  /** How many tokens arrived before the reply did (0 when the answer came whole). */
  streamedTokens: number;
  status: 'sending' | 'running' | 'answered' | 'failed';
  runId: string | null;
  answerNode: string | null;
  toolCalls: ChatToolCall[];
  citations: ChatCitation[];
  error: string | null;
}

export function newTurn(question: string): ChatTurn {
  return { question, answer: '', streamedTokens: 0, status: 'sending', runId: null, answerNode: null, toolCalls: [], citations: [], error: null };
}

/**
 * The turn after one event of its message's stream: `chat.message` names the run and the answer node, that node's
 * `llm.token`s grow the answer (`llm.reset` drops a failed attempt's), its `agent.step`s list tool calls, and
 * `answer` replaces all with the reply as the session's history keeps it. Other events (the run's own) change nothing.
 */
export function applyChatEvent(turn: ChatTurn, event: StreamedEvent): ChatTurn {
  const payload = event.payload;
  if (event.type === 'chat.message') {
    return { ...turn, status: 'running', runId: stringOr(payload.runId, null), answerNode: stringOr(payload.answerNode, null) };
  }
  if (event.type === 'answer') {
    const answered = payload as Partial<ChatMessageDto>;
    const failed = answered.status === 'failed';
    return {
      ...turn,
      status: failed ? 'failed' : 'answered',
      answer: answered.reply ?? turn.answer,
      citations: answered.citations ?? [],
      runId: answered.runId ?? turn.runId,
      error: failed ? (answered.error ?? 'the run ended without an answer') : null,
    };
  }
  if (event.type !== 'node.live' || payload.nodeId !== turn.answerNode) return turn;
  const data = (payload.data ?? {}) as Record<string, unknown>;
  if (payload.type === 'llm.token') return { ...turn, answer: turn.answer + stringOr(data.text, ''), streamedTokens: turn.streamedTokens + 1 };
  if (payload.type === 'llm.reset') return { ...turn, answer: '', streamedTokens: 0 };
  if (payload.type === 'agent.step' && Array.isArray(data.toolCalls)) {
    // An Agent streams every model call: text before a tool call is its thinking, not the answer.
    const calls = data.toolCalls.flatMap((call: { id?: unknown; name?: unknown }) => (typeof call.name === 'string' ? [{ id: stringOr(call.id, call.name), name: call.name }] : []));
    return calls.length > 0 ? { ...turn, answer: '', toolCalls: [...turn.toolCalls, ...calls] } : turn;
  }
  return turn;
}

function stringOr<T>(value: unknown, fallback: T): string | T {
  return typeof value === 'string' ? value : fallback;
}
