import type { StreamedEvent } from '../api/run-stream';
import { applyChatEvent, newTurn, type ChatTurn } from './chat-transcript';

const event = (type: string, payload: Record<string, unknown>): StreamedEvent => ({ id: null, type, payload });
const live = (nodeId: string, type: string, data: Record<string, unknown>) => event('node.live', { nodeId, attempt: 1, type, data });
const replay = (question: string, events: StreamedEvent[]): ChatTurn[] => {
  const seen: ChatTurn[] = [];
  events.reduce((turn, next) => {
    const after = applyChatEvent(turn, next);
    seen.push(after);
    return after;
  }, newTurn(question));
  return seen;
};

/** The stream of an LLM Chat answer as the chat API sends it (chat-routes.test.ts), trimmed to the kinds of event. */
const llmAnswer = [
  event('chat.message', { type: 'chat.message', id: 'm1', runId: 'run-1', sessionId: 's1', message: 'Who is Bertha?', status: 'running', answerNode: 'llm' }),
  event('run.started', { type: 'run.started' }),
  event('node.succeeded', { type: 'node.succeeded', nodeId: 'retriever' }),
  live('other', 'llm.token', { index: 0, text: 'ignored ' }),
  live('llm', 'llm.token', { index: 0, text: 'The ' }),
  live('llm', 'llm.token', { index: 1, text: 'espresso ' }),
  live('llm', 'llm.token', { index: 2, text: 'machine.' }),
  event('node.succeeded', { type: 'node.succeeded', nodeId: 'llm' }),
  event('run.succeeded', { type: 'run.succeeded' }),
  event('answer', { type: 'answer', id: 'm1', runId: 'run-1', status: 'answered', reply: 'The espresso machine. [1]', citations: [{ n: 1, text: 'Bertha is the espresso machine.', source: 'cafe.txt' }], error: null }),
];

test('an LLM answer grows token by token from the answer node only, then becomes the recorded reply with its citations', () => {
  const turns = replay('Who is Bertha?', llmAnswer);
  expect(turns[0]).toMatchObject({ status: 'running', runId: 'run-1', answerNode: 'llm', answer: '' });
  expect(turns.map((turn) => turn.answer).slice(3, 7)).toEqual(['', 'The ', 'The espresso ', 'The espresso machine.']);
  expect(turns.at(-1)).toEqual({
    question: 'Who is Bertha?',
    answer: 'The espresso machine. [1]',
    streamedTokens: 3,
    status: 'answered',
    runId: 'run-1',
    answerNode: 'llm',
    toolCalls: [],
    citations: [{ n: 1, text: 'Bertha is the espresso machine.', source: 'cafe.txt' }],
    error: null,
  });
});

test("a retried attempt's tokens start over, and an Agent's tool calls are listed while the text before them is dropped", () => {
  const turn = replay('Weather?', [
    event('chat.message', { runId: 'run-2', answerNode: 'agent' }),
    live('agent', 'llm.token', { text: 'Let me look', iteration: 1 }),
    live('agent', 'agent.step', { iteration: 1, content: 'Let me look', toolCalls: [{ id: 'c1', name: 'weather', arguments: { city: 'Oslo' } }] }),
    live('agent', 'llm.token', { text: 'Half', iteration: 2 }),
    live('agent', 'llm.reset', { attempt: 2 }),
    live('agent', 'llm.token', { text: 'Sunny.', iteration: 2 }),
    live('agent', 'agent.step', { iteration: 2, content: 'Sunny.', toolCalls: [] }),
  ]).at(-1);
  expect(turn).toMatchObject({ answer: 'Sunny.', toolCalls: [{ id: 'c1', name: 'weather' }], status: 'running' });
});

test('a run that ended without an answer fails the turn with its reason', () => {
  const turn = replay('Hi', [event('chat.message', { runId: 'run-3', answerNode: null }), event('answer', { status: 'failed', reply: null, citations: [], error: 'LLM Chat: 401', runId: 'run-3' })]).at(-1);
  expect(turn).toMatchObject({ status: 'failed', error: 'LLM Chat: 401', answer: '', runId: 'run-3' });
});
