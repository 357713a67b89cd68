export interface ConversationTurn {
  role: 'user' | 'assistant';
  content: string;
}

/** `workspaceId` undefined: a run outside any workspace (the `kai` CLI), whose sessions belong to no workspace. */
export interface MemoryScope {
  workspaceId?: string;
  sessionId: string;
}

/** The node of a run that records turns. Its own turns are left out of what it loads, so a retry sees what the first attempt saw. */
export interface MemoryWriter {
  runId: string;
  nodeId: string;
}

export interface MemoryWindow {
  /** The newest turns, at most the window asked for, oldest first. */
  turns: ConversationTurn[];
  /** The newest stored summary of older turns. */
  summary?: string;
  /** Turns older than the window that the summary does not cover yet, oldest first; empty unless asked for. */
  unsummarised: ConversationTurn[];
  /** Marks the newest of `unsummarised`: pass it to `saveSummary` with the summary that covers them. */
  unsummarisedThrough?: number;
}

/** Conversation history kept in Postgres, keyed by a session id that the workflow's inputs supply. */
export interface ConversationMemory {
  load(scope: MemoryScope, options: { window: number; writer: MemoryWriter; withUnsummarised?: boolean }): Promise<MemoryWindow>;
  /** Records the turns a node produced; a retried attempt of the same node in the same run replaces its turns. */
  append(scope: MemoryScope, writer: MemoryWriter, turns: ConversationTurn[]): Promise<void>;
  /** Stores a summary covering the session's turns up to `throughTurn` (a load's `unsummarisedThrough`). */
  saveSummary(scope: MemoryScope, summary: string, throughTurn: number): Promise<void>;
}
