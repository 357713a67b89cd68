import type { EntityManager } from '@mikro-orm/core';
import type { ConversationMemory, ConversationTurn as Turn, MemoryScope, MemoryWindow, MemoryWriter } from '../activities/services/conversation-memory';
import { ConversationSummary, ConversationTurn } from './entities';

/** Conversation memory in `conversation_turns` and `conversation_summaries`; each call works in its own fork. */
export class DbConversationMemory implements ConversationMemory {
  constructor(private readonly em: EntityManager) {}

  async load(scope: MemoryScope, options: { window: number; writer: MemoryWriter; withUnsummarised?: boolean }): Promise<MemoryWindow> {
    const em = this.em.fork();
    const session = sessionOf(scope);
    // Another run's turns, or this run's other nodes': never the writer's own, which a retry is about to replace.
    const notWriter = { $not: { runId: options.writer.runId, nodeId: options.writer.nodeId } };
    const newest = await em.find(ConversationTurn, { ...session, ...notWriter }, { orderBy: { id: 'desc' }, limit: options.window, fields: ['id', 'role', 'content'] });
    const turns = newest.reverse();
    const summary = await em.findOne(ConversationSummary, session, { orderBy: { id: 'desc' }, fields: ['summary', 'throughTurnId'] });
    const windowStart = turns[0]?.id;
    const unsummarised =
      options.withUnsummarised && windowStart !== undefined
        ? await em.find(
            ConversationTurn,
            { ...session, ...notWriter, id: { $lt: windowStart, $gt: summary?.throughTurnId ?? 0 } },
            { orderBy: { id: 'asc' }, fields: ['id', 'role', 'content'] },
          )
        : [];
    return {
      turns: turns.map(plainTurn),
      summary: summary?.summary,
      unsummarised: unsummarised.map(plainTurn),
      unsummarisedThrough: unsummarised.at(-1)?.id,
    };
  }

  async append(scope: MemoryScope, writer: MemoryWriter, turns: Turn[]): Promise<void> {
    await this.em.fork().transactional(async (em) => {
      await em.nativeDelete(ConversationTurn, { ...sessionOf(scope), runId: writer.runId, nodeId: writer.nodeId });
      if (turns.length === 0) return;
      await em.insertMany(
        ConversationTurn,
        turns.map((turn) => ({ ...sessionOf(scope), runId: writer.runId, nodeId: writer.nodeId, role: turn.role, content: turn.content, createdAt: new Date() })),
      );
    });
  }

  async saveSummary(scope: MemoryScope, summary: string, throughTurn: number): Promise<void> {
    await this.em.fork().insert(ConversationSummary, { ...sessionOf(scope), summary, throughTurnId: throughTurn, createdAt: new Date() });
  }
}

function sessionOf(scope: MemoryScope) {
  return { workspace: scope.workspaceId ?? null, sessionId: scope.sessionId };
}

function plainTurn(row: { role: Turn['role']; content: string }): Turn {
  return { role: row.role, content: row.content };
}
