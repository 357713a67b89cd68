import type { PathSegment } from '$contract/templates';
import type { Catalogue, GraphEdge } from '../graph/canvas-types';
import type { JsonSchema } from './schema-fields';
import type { TemplateData } from './template-data';

/** How a reference is written: `nodes.a.output` inside `{{ }}`, or `$nodes.a.output` in JSONata. */
export type ReferenceSyntax = 'template' | 'expression';

export interface TemplateSuggestion {
  /** What it reads, from a root of the template scope: `['nodes', 'fetch', 'output', 'body']`. */
  path: PathSegment[];
  /** Where it comes from, e.g. `Fetch → body`. */
  hint: string;
  /** Its value in a pin or the last run, shortened, when one is known. */
  sample?: string;
}

interface SuggestionSource {
  nodeId: string;
  nodes: readonly { id: string; type: string; label?: string }[];
  edges: readonly Pick<GraphEdge, 'source' | 'target'>[];
  catalogue: Catalogue;
  /** What pins and the last run show the node's templates would read: the fields found there are offered too. */
  data?: TemplateData;
}

/** How deep into a known output, and how many of its fields, are offered: enough to pick a field, not a dump. */
const KNOWN_DEPTH = 4;
const KNOWN_PATHS_PER_NODE = 60;
const SAMPLE_LENGTH = 40;

/**
 * What a template field of `nodeId` may read: the run's input, the incoming value and the output of every node
 * upstream of it (the engine refuses templates reading any other node), with the fields its type's output schema
 * names and those a pin or the last run showed it to have.
 */
export function templateSuggestions({ nodeId, nodes, edges, catalogue, data }: SuggestionSource): TemplateSuggestion[] {
  const suggestions = new Map<string, TemplateSuggestion>();
  const add = (path: PathSegment[], hint: string, value?: unknown) => {
    const key = pathText(path, 'template');
    if (!suggestions.has(key)) suggestions.set(key, { path, hint, ...(value === undefined ? {} : { sample: sampleOf(value) }) });
  };
  const byId = new Map(nodes.map((node) => [node.id, node]));
  const upstream = upstreamOf(nodeId, edges).flatMap((id) => byId.get(id) ?? []);
  const input = data?.inputKnown ? data.scope.input : undefined;
  add(['input'], 'the run input', input);
  for (const path of dataPaths(input)) add(['input', ...path], `input → ${pathText(path, 'template')}`, valueAt(input, path));
  if (edges.some((edge) => edge.target === nodeId)) add(['incoming', 'in'], 'the incoming value');
  for (const node of upstream) {
    const name = node.label || node.id;
    const output = data?.scope.nodes[node.id]?.output;
    const base: PathSegment[] = ['nodes', node.id, 'output'];
    add(base, `${name} → output`, output);
    const properties = (catalogue.get(node.type)?.outputSchema as JsonSchema | undefined)?.properties as Record<string, unknown> | undefined;
    for (const field of Object.keys(properties ?? {})) add([...base, field], `${name} → ${field}`, valueAt(output, [field]));
    for (const path of dataPaths(output)) add([...base, ...path], `${name} → ${pathText(path, 'template')}`, valueAt(output, path));
  }
  return [...suggestions.values()];
}

/** The suggestions whose reference contains what was typed, those starting with it first. */
export function matchSuggestions(suggestions: readonly TemplateSuggestion[], typed: string): TemplateSuggestion[] {
  const query = typed.trim().replace(/^\$/, '').toLowerCase();
  if (query === '') return [...suggestions];
  const text = (suggestion: TemplateSuggestion) => pathText(suggestion.path, 'template').toLowerCase();
  const starting = suggestions.filter((suggestion) => text(suggestion).startsWith(query));
  const containing = suggestions.filter((suggestion) => !text(suggestion).startsWith(query) && (text(suggestion).includes(query) || suggestion.hint.toLowerCase().includes(query)));
  return [...starting, ...containing];
}

/**
 * A path as a template reads it (`nodes.a.output.items[0]["content-type"]`, the engine's path syntax) or as JSONata
 * does (`$nodes.a.output.items[0].\`content-type\``: a name with a hyphen would be a subtraction there).
 */
export function pathText(path: readonly PathSegment[], syntax: ReferenceSyntax): string {
  const name = syntax === 'template' ? /^[A-Za-z_$][\w$-]*$/ : /^[A-Za-z_]\w*$/;
  const segments = path.map((segment, index) => {
    if (typeof segment === 'number') return `[${segment}]`;
    const plain = name.test(segment);
    if (syntax === 'template') return plain ? `${index === 0 ? '' : '.'}${segment}` : `[${JSON.stringify(segment)}]`;
    return `${index === 0 ? '' : '.'}${plain ? segment : `\`${segment.replaceAll('`', '')}\``}`;
  });
  return `${syntax === 'expression' ? '$' : ''}${segments.join('')}`;
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

/** The paths into a known value: an object's fields and an array's first item, a few levels deep. */
function dataPaths(value: unknown, depth = KNOWN_DEPTH): PathSegment[][] {
  if (depth === 0 || value === null || typeof value !== 'object') return [];
  const children: [PathSegment, unknown][] = Array.isArray(value) ? (value.length > 0 ? [[0, value[0]]] : []) : Object.entries(value);
  const paths = children.flatMap(([segment, child]) => [[segment], ...dataPaths(child, depth - 1).map((rest) => [segment, ...rest])]);
  return paths.slice(0, KNOWN_PATHS_PER_NODE);
}

function valueAt(value: unknown, path: readonly PathSegment[]): unknown {
  return path.reduce<unknown>((current, segment) => (current !== null && typeof current === 'object' && Object.hasOwn(current, segment) ? (current as Record<PathSegment, unknown>)[segment] : undefined), value);
}

function sampleOf(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > SAMPLE_LENGTH ? `${text.slice(0, SAMPLE_LENGTH - 1)}…` : text;
}
