import { graphEdge as edge, graphNode as node } from '../test/graph-builders';
import { planRun, validateGraph } from '../activities/plan-run';

const llm = (memory?: Record<string, unknown>) => node('llm', 'llm-chat', { credentialId: 'c', prompt: '{{ input.q }}', ...(memory ? { memory } : {}) });

test("a memory node attached to an LLM's Memory input becomes its memory setting, and is no step of the flow", () => {
  const plan = planRun({
    nodes: [node('start', 'start'), llm({ kind: 'buffer', sessionId: 'old', window: 3 }), node('mem', 'memory-token-buffer', { sessionId: '{{ input.session }}' }), node('end', 'end')],
    // Edges saved before the Memory input existed name no handle: they still go to the plain input.
    edges: [edge('start', 'llm'), edge('mem', 'llm', 'memory', 'memory'), edge('llm', 'end')],
  });
  expect(plan.nodes.map((n) => n.id)).toEqual(['start', 'llm', 'end']);
  expect((plan.nodes[1].config as Record<string, unknown>).memory).toEqual({ kind: 'token-buffer', sessionId: '{{ input.session }}', maxTokens: 2000 });
  expect(plan.edges.map((e) => `${e.source}->${e.target}:${e.targetHandle}`)).toEqual(['start->llm:in', 'llm->end:in']);
});

test('an Agent takes a memory node too; a summary memory keeps its window', () => {
  const plan = planRun({
    nodes: [node('start', 'start'), node('agent', 'agent', { credentialId: 'c', prompt: 'hi' }), node('mem', 'memory-summary', { sessionId: 's', window: 4 }), node('end', 'end')],
    edges: [edge('start', 'agent'), edge('mem', 'agent', 'memory', 'memory'), edge('agent', 'end')],
  });
  expect((plan.nodes[1].config as Record<string, unknown>).memory).toEqual({ kind: 'summary', sessionId: 's', window: 4 });
});

test('only memory nodes go into a Memory input, one at most, and a memory node goes nowhere else', () => {
  const problems = validateGraph({
    nodes: [
      node('start', 'start'),
      llm(),
      node('set', 'set', { values: {} }),
      node('m1', 'memory-buffer-window', { sessionId: 'a' }),
      node('m2', 'memory-buffer-window', { sessionId: 'b' }),
      node('m3', 'memory-summary', { sessionId: '{{ nodes.later.output }}' }),
      node('later', 'set', { values: {} }),
      node('end', 'end'),
    ],
    edges: [
      edge('start', 'llm'),
      edge('start', 'set'),
      edge('set', 'llm', 'out', 'memory'),
      edge('m1', 'llm', 'memory', 'memory'),
      edge('m2', 'llm', 'memory', 'memory'),
      edge('m3', 'end', 'memory', 'in'),
      edge('llm', 'later'),
      edge('later', 'end'),
    ],
  });
  const messages = problems.map((problem) => problem.message);
  expect(messages).toEqual(
    expect.arrayContaining([
      'only memory nodes connect to the Memory input of "llm"; node "set" (Set) is not one',
      'the Memory input of "llm" takes 1 connection, it has 3',
      'node "m3" (Summary Memory) is a memory node: connect it to an LLM Chat\'s or Agent\'s Memory input',
    ]),
  );
});

test("a memory node's templates read what is upstream of its LLM node, and its config is checked", () => {
  const graph = (sessionId: unknown) => ({
    nodes: [node('start', 'start'), llm(), node('mem', 'memory-buffer-window', { sessionId }), node('after', 'set', { values: {} })],
    edges: [edge('start', 'llm'), edge('mem', 'llm', 'memory', 'memory'), edge('llm', 'after')],
  });
  expect(validateGraph(graph('{{ nodes.start.output.session }}'))).toEqual([]);
  expect(validateGraph(graph('{{ nodes.after.output }}')).map((p) => p.message)).toEqual(['template "{{ nodes.after.output }}" reads node "after", which is not upstream of "mem"']);
  expect(validateGraph(graph('')).map((p) => p.path)).toEqual(['nodes.mem.data.config.sessionId']);
});
