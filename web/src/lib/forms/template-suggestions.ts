import type { Catalogue, GraphEdge } from '../graph/canvas-types';
import type { JsonSchema } from './schema-fields';

export interface TemplateSuggestion {
  /** What is inserted, e.g. `{{ nodes.fetch.output.body }}`, or `$nodes.fetch.output.body` in a JSONata field. */
  template: string;
  /** Where it comes from, e.g. `Fetch → body`. */
  hint: string;
}

interface SuggestionSource {
  nodeId: string;
  nodes: readonly { id: string; type: string; label?: string }[];
  edges: readonly Pick<GraphEdge, 'source' | 'target'>[];
  catalogue: Catalogue;
  /** `expression` for a field that is JSONata itself (a Transform's), which reads `$input` and `$nodes`, not `{{ }}`. */
  syntax?: 'template' | 'expression';
}

/**
 * What a template field of `nodeId` may read: the run's input, and the output (and its top-level fields, from the
 * type's output schema) of every node upstream of it: the engine refuses templates reading any other node.
 */
export function templateSuggestions({ nodeId, nodes, edges, catalogue, syntax = 'template' }: SuggestionSource): TemplateSuggestion[] {
  const reference = (path: string) => (syntax === 'expression' ? `$${path}` : `{{ ${path} }}`);
  const suggestions: TemplateSuggestion[] = [{ template: reference('input'), hint: 'the run input' }];
  const byId = new Map(nodes.map((node) => [node.id, node]));
  for (const upstreamId of upstreamOf(nodeId, edges)) {
    const node = byId.get(upstreamId);
    if (!node) continue;
    const name = node.label || node.id;
    suggestions.push({ template: reference(`nodes.${node.id}.output`), hint: `${name} → output` });
    const properties = (catalogue.get(node.type)?.outputSchema as JsonSchema | undefined)?.properties as Record<string, unknown> | undefined;
    for (const field of Object.keys(properties ?? {})) {
      suggestions.push({ template: reference(`nodes.${node.id}.output.${field}`), hint: `${name} → ${field}` });
    }
  }
  return suggestions;
}

/** Every node with a path to `nodeId`, nearest first. */
export function upstreamOf(nodeId: string, edges: readonly Pick<GraphEdge, 'source' | 'target'>[]): string[] {
  const seen = new Set<string>([nodeId]);
  const order: string[] = [];
  let frontier = [nodeId];
  while (frontier.length > 0) {
    const next: string[] = [];
    for (const edge of edges) {
      if (frontier.includes(edge.target) && !seen.has(edge.source)) {
        seen.add(edge.source);
        order.push(edge.source);
        next.push(edge.source);
      }
    }
    frontier = next;
  }
  return order;
}
