import { DbConversationMemory } from '../../db/conversation-memory';
import { createTestDatabase, type TestDatabase } from '../../db/test-database';
import type { GraphInput } from '../../engine/graph';
import { graphEdge as edge, graphNode as node } from '../../test/graph-builders';
import { startOpenAiCompatibleServer, type OpenAiCompatibleServer } from '../../test/openai-compatible-server';
import { createTemporalHarness, type TemporalHarness } from '../../test/temporal-harness';
import type { CredentialResolver } from '../credential-kinds';

/** The memory nodes against a local OpenAI-compatible server and the real conversation tables. */

let db: TestDatabase;
let provider: OpenAiCompatibleServer;
let temporal: TemporalHarness;

beforeAll(async () => {
  [db, provider] = await Promise.all([createTestDatabase(), startOpenAiCompatibleServer({ apiKey: 'sk-local' })]);
  const credentials: CredentialResolver = { resolve: async () => ({ id: 'llm', name: 'Local model', kind: 'openai', data: { apiKey: 'sk-local', baseUrl: provider.baseUrl } }) };
  temporal = await createTemporalHarness({ credentials, services: { memory: new DbConversationMemory(db.orm.em) } });
}, 60_000);
afterAll(async () => {
  await temporal?.close();
  await Promise.all([provider?.close(), db?.close()]);
});

/** Start → LLM node (its own setting: none, or a stale buffer) ← memory node, → End; the session comes from the inputs. */
function withMemory(llmType: 'llm-chat' | 'agent', memoryType: string, memoryConfig: Record<string, unknown>): GraphInput {
  return {
    nodes: [
      node('start', 'start'),
      node('llm', llmType, { credentialId: 'llm', model: 'm', prompt: '{{ input.say }}', memory: { kind: 'buffer', sessionId: 'ignored', window: 10 } }),
      node('memory', memoryType, { sessionId: 'chat-{{ input.user }}', ...memoryConfig }),
      node('end', 'end'),
    ],
    edges: [edge('start', 'llm'), edge('memory', 'llm', 'memory', 'memory'), edge('llm', 'end')],
  };
}

async function say(graph: GraphInput, user: string, text: string, ...replies: string[]) {
  provider.enqueueChat(...replies.map((content) => ({ content })));
  await temporal.run(graph, { user, say: text });
  return provider.chatRequests().at(-1)!.messages.map((message) => `${message.role}: ${message.content}`);
}

test('Buffer Window Memory sends the session’s last turns, wins over the node’s own setting, and keeps sessions apart', async () => {
  const graph = withMemory('llm-chat', 'memory-buffer-window', { window: 2 });
  await say(graph, 'ada', 'I am Ada.', 'Hello Ada.');
  await say(graph, 'ada', 'I like tea.', 'Tea it is.');
  expect(await say(graph, 'ada', 'Who am I?', 'A tea drinker.')).toEqual(['user: I like tea.', 'assistant: Tea it is.', 'user: Who am I?']);
  expect(await say(graph, 'bob', 'Who am I?', 'No idea.')).toEqual(['user: Who am I?']);
  // The node's own setting (session "ignored") was never written: the memory node won.
  expect(await say(withMemory('llm-chat', 'memory-buffer-window', { sessionId: 'ignored' }), 'x', 'Anyone?', 'Nobody.')).toEqual(['user: Anyone?']);
});

test('Token Buffer Memory sends the newest turns that fit its token budget', async () => {
  const graph = withMemory('llm-chat', 'memory-token-buffer', { maxTokens: 6 });
  await say(graph, 'cy', 'one two three four five six seven', 'ok');
  await say(graph, 'cy', 'short', 'fine');
  // "fine", "short" and "ok" cost a token each; the seven-word turn before them would break the budget of 6.
  expect(await say(graph, 'cy', 'next', 'done')).toEqual(['assistant: ok', 'user: short', 'assistant: fine', 'user: next']);
});

test('Summary Memory folds older turns into a summary, for an Agent as for LLM Chat', async () => {
  const graph = withMemory('agent', 'memory-summary', { window: 2 });
  await say(graph, 'di', 'I am Di.', 'Hi Di.');
  await say(graph, 'di', 'I build bridges.', 'Nice.');
  const messages = await say(graph, 'di', 'What do I do?', 'Di is an engineer who builds bridges.', 'You build bridges.');
  expect(messages[0]).toMatch(/^system: .*\n\nSummary of the earlier conversation:\nDi is an engineer who builds bridges\.$/s);
  expect(messages.slice(1)).toEqual(['user: I build bridges.', 'assistant: Nice.', 'user: What do I do?']);
});
