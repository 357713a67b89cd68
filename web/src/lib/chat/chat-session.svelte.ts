import { readEvents } from '../api/run-stream';
import { session } from '../session.svelte';
import { applyChatEvent, newTurn, type ChatTurn } from './chat-transcript';

/**
 * A chat with one workflow from the canvas: the session is created with the first message, each message's answer
 * streams into its turn (see chat-transcript.ts), and `draft` chooses whether messages run the draft or the latest
 * published version. The conversation memory lives on the server under the session id, across both.
 */
export class ChatSession {
  turns = $state.raw<ChatTurn[]>([]);
  draft = $state(false);
  sending = $state(false);
  private sessionId: string | null = null;
  private readonly stopper = new AbortController();

  constructor(
    private readonly workflowId: string,
    published: boolean,
  ) {
    this.draft = !published;
  }

  async send(question: string): Promise<void> {
    this.sending = true;
    const index = this.turns.length;
    this.turns = [...this.turns, newTurn(question)];
    try {
      this.sessionId ??= (await session.chat.createSession(this.workflowId)).id;
      const response = await session.chat.send(this.workflowId, this.sessionId, { message: question }, this.draft, this.stopper.signal);
      const answered = await readEvents(response, this.stopper.signal, (event) => this.update(index, (turn) => applyChatEvent(turn, event)), (type) => type === 'answer');
      if (!answered && !this.stopper.signal.aborted) throw new Error('the connection closed before the answer came; the run goes on and its reply will be in the session’s history');
    } catch (error) {
      this.update(index, (turn) => ({ ...turn, status: 'failed', error: error instanceof Error ? error.message : String(error) }));
    } finally {
      this.sending = false;
    }
  }

  /** Stops listening (leaving the editor); runs already started still answer into the session's history. */
  stop(): void {
    this.stopper.abort();
  }

  private update(index: number, change: (turn: ChatTurn) => ChatTurn): void {
    this.turns = this.turns.map((turn, at) => (at === index ? change(turn) : turn));
  }
}
