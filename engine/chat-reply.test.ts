import { graphSchema, type GraphInput } from './graph';
import { answerNodeOf, chatReplyOf, chatTriggerOf } from './chat-reply';

const graph = (input: GraphInput) => graphSchema.parse(input);
const node = (id: string, type: string, config: Record<string, unknown> = {}) => ({ id, type, version: 1, data: { config } });
const edge = (source: string, target: string) => ({ id: `${source}-${target}`, source, target, sourceHandle: 'out', targetHandle: 'in' });

describe('answerNodeOf', () => {
  test('is the node feeding the End node unless the Chat trigger names one', () => {
    const nodes = [node('chat', 'chat-trigger'), node('rewrite', 'llm-chat'), node('qa', 'retrieval-qa'), node('end', 'end')];
    const edges = [edge('chat', 'rewrite'), edge('rewrite', 'qa'), edge('qa', 'end')];
    expect(answerNodeOf(graph({ nodes, edges }))).toBe('qa');
    const named = [node('chat', 'chat-trigger', { answerNode: 'rewrite' }), ...nodes.slice(1)];
    expect(answerNodeOf(graph({ nodes: named, edges }))).toBe('rewrite');
  });

  test('is undefined without an End node fed by anything', () => {
    expect(answerNodeOf(graph({ nodes: [node('chat', 'chat-trigger'), node('end', 'end')], edges: [] }))).toBeUndefined();
    expect(chatTriggerOf(graph({ nodes: [node('start', 'start')], edges: [] }))).toBeUndefined();
  });
});

describe('chatReplyOf', () => {
  test('reads the answer, text or string a run ended with', () => {
    expect(chatReplyOf('plain')).toEqual({ text: 'plain', citations: [] });
    expect(chatReplyOf({ text: 'from LLM Chat', usage: {} })).toEqual({ text: 'from LLM Chat', citations: [] });
    expect(chatReplyOf({ answer: 'from an Agent', text: 'ignored' }).text).toBe('from an Agent');
    expect(chatReplyOf({ other: 1 }).text).toBe('{"other":1}');
    expect(chatReplyOf(null).text).toBe('null');
  });

  test('keeps well-formed citations and drops the rest', () => {
    const reply = chatReplyOf({
      answer: 'Refunds take 5 days [1].',
      citations: [{ n: 1, id: 'x', chunkId: 'policy.txt#0', source: 'policy.txt', text: 'Refunds take 5 days.' }, { n: 'two' }, 'junk'],
    });
    expect(reply.citations).toEqual([{ n: 1, chunkId: 'policy.txt#0', source: 'policy.txt', text: 'Refunds take 5 days.' }]);
  });

  test("cites a Retriever's documents passed on beside the text, numbered in order", () => {
    const reply = chatReplyOf({
      text: 'Bertha [1].',
      documents: [{ id: 'c1', text: 'Bertha is the espresso machine.', metadata: { source: 'cafe.txt', score: 0.9 } }, { id: 'c2', text: 'Open daily.', metadata: {} }, 'junk'],
    });
    expect(reply.citations).toEqual([
      { n: 1, text: 'Bertha is the espresso machine.', source: 'cafe.txt', chunkId: 'c1' },
      { n: 2, text: 'Open daily.', chunkId: 'c2' },
    ]);
  });
});
