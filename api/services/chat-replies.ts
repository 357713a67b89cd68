import type { EntityManager } from '@mikro-orm/postgresql';
import { ChatMessage, Run } from '../../db/entities';
import { chatReplyOf } from '../../engine/chat-reply';
import type { RunResult } from '../../engine/run-state';
import type { ChatMessageDto } from '../../contract/chat';
import type { ApiServices } from '../services';
import { refreshRuns } from './run-refresh';
import { WorkspaceOutputs } from './run-outputs';

/** What a finished run tells about the message it answers. */
export interface ClosedRun {
  status: Run['status'];
  /** What the End node received. */
  result?: Pick<RunResult, 'output'> | null;
  error?: string | null;
  endedAt?: Date | string | null;
}

/** How long reading a session waits for Temporal to say how its unanswered messages' runs went. */
const REFRESH_MS = 2_000;

/**
 * Writes the reply of a message whose run has closed: the text and citations its End node received (an output stored
 * outside Temporal for its size is loaded first), or why there is none. Only a message still `running` is changed,
 * so the stream that watched the run and a later read of the session may both try.
 */
export async function recordReply(em: EntityManager, workspaceId: string, messageId: string, run: ClosedRun): Promise<void> {
  if (run.status === 'running') return;
  const answeredAt = run.endedAt ? new Date(run.endedAt) : new Date();
  if (run.status !== 'succeeded' || !run.result) {
    const error = run.error ?? `the run ended ${run.status} without an answer`;
    await em.nativeUpdate(ChatMessage, { id: messageId, status: 'running' }, { status: 'failed', error, answeredAt });
    return;
  }
  const { value, unresolved } = await new WorkspaceOutputs(em, workspaceId).resolve(run.result.output);
  const reply = chatReplyOf(value);
  await em.nativeUpdate(ChatMessage, { id: messageId, status: 'running' }, { status: 'answered', reply: reply.text, citations: reply.citations, error: unresolved, answeredAt });
}

/**
 * Brings the unanswered messages of a history up to date from their runs: the API that streamed a reply may have
 * stopped before writing it, so the run, not that process, is what a session's history is settled from.
 */
export async function settleUnanswered(em: EntityManager, services: ApiServices, workspaceId: string, messages: ChatMessage[]): Promise<boolean> {
  const pending = messages.filter((message) => message.status === 'running');
  if (pending.length === 0) return false;
  const runs = await em.find(Run, { id: pending.map((message) => message.runId), workspace: workspaceId });
  await refreshRuns({ em, client: services.temporal.client, logger: services.logger, deadline: Date.now() + REFRESH_MS }, runs);
  const byId = new Map(runs.map((run) => [run.id, run]));
  let changed = false;
  for (const message of pending) {
    const run = byId.get(message.runId);
    const closed: ClosedRun = run ?? { status: 'failed', result: null, error: 'the run is gone (deleted after its retention)', endedAt: null };
    if (closed.status === 'running') continue;
    await recordReply(em, workspaceId, message.id, closed);
    changed = true;
  }
  return changed;
}

export function toChatMessageDto(message: ChatMessage): ChatMessageDto {
  return {
    id: message.id,
    runId: message.runId,
    message: message.message,
    attachments: message.attachmentNames,
    status: message.status,
    reply: message.reply ?? null,
    citations: message.citations ?? [],
    error: message.error ?? null,
    createdAt: message.createdAt.toISOString(),
    answeredAt: message.answeredAt?.toISOString() ?? null,
  };
}
