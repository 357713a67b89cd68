import { MultiDirectedGraph } from 'graphology';
import { stronglyConnectedComponents } from 'graphology-components';
import { topologicalSort } from 'graphology-dag';
import { bfsFromNode } from 'graphology-traversal';
import { z } from 'zod';
import { widgetOf, type Widget } from '../contract/widgets';
import type { DefaultRetryPolicy, HandleSpec, NodeDefinition, ToolSpec } from '../activities/node-definition';
import { durationToMs, type Duration } from './duration';
import { graphSchema, type Graph, type GraphNode, type TimeoutsConfig } from './graph';
import { GraphValidationError, type GraphProblem } from './graph-problem';
import { activityTypeOf, type ExecutionPlan, type NodeKind, type PlannedActivity, type PlannedEdge, type PlannedNode, type PlannedNodeOf, type PlannedTool } from './plan';
import { findMemories } from './plan-memory';
import { pureNodeFunctions } from './pure-nodes';
import { ExpressionError, parseExpression, referencedNodes } from './expressions';
import { findTemplates, hasTemplate, parsePath, TemplateError, type PathSegment } from './templates';

/** The activity the workflow runs for a kind it carries out itself: an Agent's model call, a child run's planning. */
export interface StepActivity {
  activityType: string;
  retry: DefaultRetryPolicy;
  timeouts: TimeoutsConfig;
}

/** What planning knows of node types; activities/plan-run.ts passes the registry's. */
export interface NodeRegistry {
  /** Every node type, every version. */
  definitions: readonly NodeDefinition[];
  stepActivities: Partial<Record<NodeKind, StepActivity>>;
}

/**
 * Validates a saved graph and orders it for the interpreter. Every problem is reported at once; a graph with any
 * problem never reaches Temporal.
 */
export function planExecution(input: unknown, registry: NodeRegistry): ExecutionPlan {
  const checked = checkGraph(input, registry);
  if (checked.problems.length > 0) throw new GraphValidationError(checked.problems);
  return checked.plan as ExecutionPlan;
}

export function validateGraph(input: unknown, registry: NodeRegistry): GraphProblem[] {
  return checkGraph(input, registry).problems;
}

function checkGraph(input: unknown, registry: NodeRegistry): { problems: GraphProblem[]; plan?: ExecutionPlan } {
  const parsed = graphSchema.safeParse(input);
  if (!parsed.success) {
    return { problems: parsed.error.issues.map((issue) => ({ path: issue.path.join('.') || '(graph)', message: issue.message })) };
  }
  const graph = parsed.data;
  const problems: GraphProblem[] = [];
  const definitions = new Map<string, NodeDefinition>();

  for (const [index, node] of graph.nodes.entries()) {
    if (definitions.has(node.id) || graph.nodes.findIndex((other) => other.id === node.id) !== index) {
      problems.push({ path: `nodes.${node.id}.id`, nodeId: node.id, message: `duplicate node id "${node.id}"` });
      continue;
    }
    const definition = registry.definitions.find((d) => d.type === node.type && d.version === node.version);
    if (!definition) {
      problems.push({ path: `nodes.${node.id}.type`, nodeId: node.id, message: unknownTypeMessage(node, registry.definitions) });
      continue;
    }
    definitions.set(node.id, definition);
    problems.push(...checkNodeData(node, definition, registry));
  }

  const allEdges = planEdges(graph, definitions, problems);
  const { toolEdges, owners } = findTools(allEdges, definitions, problems);
  const memories = findMemories(allEdges, definitions, problems);
  for (const [memoryId, owner] of memories.owners) owners.set(memoryId, owner);
  const edges = allEdges.filter((edge) => !toolEdges.includes(edge) && !memories.edges.includes(edge));
  // Tools and memories are not steps of the flow: tools run only when their agent calls them, memories never run.
  const flowDefinitions = new Map([...definitions].filter(([id]) => !owners.has(id)));
  const dag = new MultiDirectedGraph();
  for (const id of flowDefinitions.keys()) dag.addNode(id);
  for (const edge of edges) dag.addEdgeWithKey(edge.id, edge.source, edge.target);

  problems.push(...checkCycles(dag), ...checkEntries(dag, flowDefinitions), ...checkTemplates(graph, dag, definitions, owners));
  if (problems.length > 0) return { problems };

  const byId = new Map(graph.nodes.map((node) => [node.id, node]));
  const nodes = topologicalSort(dag).map((id) => {
    const toolIds = toolEdges.filter((edge) => edge.target === id).map((edge) => edge.source);
    const tools = () => planTools(toolIds.map((toolId) => byId.get(toolId) as GraphNode), definitions, registry);
    const memoryId = memories.memoryOf.get(id);
    const node = memoryId ? withMemoryNode(byId.get(id) as GraphNode, byId.get(memoryId) as GraphNode, definitions.get(memoryId) as NodeDefinition) : byId.get(id);
    return planNode(node as GraphNode, definitions.get(id) as NodeDefinition, registry, tools);
  });
  return { problems, plan: { nodes, edges } };
}

function unknownTypeMessage(node: GraphNode, known: readonly NodeDefinition[]): string {
  const versions = known.filter((d) => d.type === node.type).map((d) => d.version);
  if (versions.length > 0) return `node type "${node.type}" has no version ${node.version} (known: ${versions.join(', ')})`;
  return `unknown node type "${node.type}" (known: ${[...new Set(known.map((d) => d.type))].join(', ')})`;
}

/** Config is checked against the node type's schema; a field holding a template is checked at run time instead. */
function checkNodeData(node: GraphNode, definition: NodeDefinition, registry: NodeRegistry): GraphProblem[] {
  const problems: GraphProblem[] = [];
  const at = (field: string) => `nodes.${node.id}.data.${field}`;
  const parsed = (definition.config as z.ZodType).safeParse(node.data.config);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      if (holdsTemplate(node.data.config, issue.path as PathSegment[])) continue;
      const field = ['config', ...issue.path].join('.');
      problems.push({ path: at(field), nodeId: node.id, message: issue.message });
    }
  }
  if (node.data.toolDescription !== undefined && !toolSpecOf(definition)) {
    problems.push({ path: at('toolDescription'), nodeId: node.id, message: `${definition.label} nodes cannot be an agent tool, so toolDescription does not apply` });
  }
  const runsActivities = definition.kind === 'task' || (definition.kind !== 'memory' && registry.stepActivities[definition.kind] !== undefined);
  if (!runsActivities) {
    for (const field of ['retry', 'timeouts', 'continueOnError'] as const) {
      if (node.data[field] !== undefined) {
        problems.push({ path: at(field), nodeId: node.id, message: `${definition.label} nodes do not run as activities, so ${field} does not apply` });
      }
    }
  }
  return problems;
}

function holdsTemplate(config: unknown, path: PathSegment[]): boolean {
  let current: unknown = config;
  for (const segment of path) {
    if (hasTemplate(current)) return true;
    if (current === null || typeof current !== 'object') return false;
    current = (current as Record<PathSegment, unknown>)[segment];
  }
  return hasTemplate(current);
}

function planEdges(graph: Graph, definitions: Map<string, NodeDefinition>, problems: GraphProblem[]): PlannedEdge[] {
  const planned: PlannedEdge[] = [];
  const seen = new Set<string>();
  for (const edge of graph.edges) {
    const at = (field: string) => `edges.${edge.id}.${field}`;
    if (seen.has(edge.id)) {
      problems.push({ path: at('id'), edgeId: edge.id, message: `duplicate edge id "${edge.id}"` });
      continue;
    }
    seen.add(edge.id);
    const source = definitions.get(edge.source);
    const target = definitions.get(edge.target);
    if (!graph.nodes.some((n) => n.id === edge.source)) problems.push({ path: at('source'), edgeId: edge.id, message: `no node "${edge.source}"` });
    if (!graph.nodes.some((n) => n.id === edge.target)) problems.push({ path: at('target'), edgeId: edge.id, message: `no node "${edge.target}"` });
    if (!source || !target) continue;
    const sourceHandle = pickHandle(edge.sourceHandle, source.outputs, `node "${edge.source}" (${source.label})`, 'output', at('sourceHandle'), edge.id, problems);
    const targetHandle = pickHandle(edge.targetHandle, target.inputs, `node "${edge.target}" (${target.label})`, 'input', at('targetHandle'), edge.id, problems);
    if (sourceHandle && targetHandle) planned.push({ id: edge.id, source: edge.source, sourceHandle, target: edge.target, targetHandle });
  }
  return planned;
}

/**
 * Edges into a handle that accepts tools make their source a tool of the target (an Agent). Only nodes able to act
 * as tools qualify, and a tool belongs to its agent alone: it has no other connections.
 */
function findTools(edges: PlannedEdge[], definitions: Map<string, NodeDefinition>, problems: GraphProblem[]): { toolEdges: PlannedEdge[]; owners: Map<string, string> } {
  const toolEdges: PlannedEdge[] = [];
  const owners = new Map<string, string>();
  for (const edge of edges) {
    const target = definitions.get(edge.target) as NodeDefinition;
    if (target.inputs.find((handle) => handle.id === edge.targetHandle)?.accepts !== 'tool') continue;
    toolEdges.push(edge);
    const source = definitions.get(edge.source) as NodeDefinition;
    if (!toolSpecOf(source)) {
      problems.push({ path: `edges.${edge.id}.source`, edgeId: edge.id, nodeId: edge.source, message: `node "${edge.source}" (${source.label}) cannot be an agent tool` });
      continue;
    }
    const connections = edges.filter((other) => other.source === edge.source || other.target === edge.source).length;
    if (connections > 1) {
      problems.push({
        path: `nodes.${edge.source}`,
        nodeId: edge.source,
        message: `node "${edge.source}" is a tool of "${edge.target}", so it cannot have other connections (it has ${connections - 1} more)`,
      });
      continue;
    }
    owners.set(edge.source, edge.target);
  }
  return { toolEdges, owners };
}

/** Task nodes that declare a tool spec, and "run another workflow", which the interpreter carries out. */
function toolSpecOf(definition: NodeDefinition): ToolSpec | undefined {
  return 'tool' in definition ? (definition.tool as ToolSpec | undefined) : undefined;
}

function pickHandle(
  handle: string | null | undefined,
  handles: HandleSpec[],
  owner: string,
  side: 'input' | 'output',
  path: string,
  edgeId: string,
  problems: GraphProblem[],
): string | undefined {
  const names = handles.map((h) => h.id).join(', ');
  if (handles.length === 0) {
    problems.push({ path, edgeId, message: `${owner} has no ${side} handle` });
    return undefined;
  }
  if (handle === null || handle === undefined) {
    // Attachment inputs (an Agent's tools, an LLM's memory) are never implied: an unnamed edge goes to the plain one.
    const plain = handles.filter((h) => !h.accepts);
    if (plain.length === 1) return plain[0].id;
    problems.push({ path, edgeId, message: `${owner} has several ${side} handles (${names}): name one` });
    return undefined;
  }
  if (handles.some((h) => h.id === handle)) return handle;
  problems.push({ path, edgeId, message: `${owner} has no ${side} handle "${handle}" (it has: ${names})` });
  return undefined;
}

function checkCycles(dag: MultiDirectedGraph): GraphProblem[] {
  return stronglyConnectedComponents(dag)
    .filter((component) => component.length > 1 || dag.hasDirectedEdge(component[0], component[0]))
    .map((component) => ({
      path: `nodes.${component[0]}`,
      nodeId: component[0],
      message: `cycle through nodes ${component.map((id) => `"${id}"`).join(' → ')}: a workflow graph must not loop`,
    }));
}

function checkEntries(dag: MultiDirectedGraph, definitions: Map<string, NodeDefinition>): GraphProblem[] {
  const entries = [...definitions].filter(([, d]) => d.category === 'trigger').map(([id]) => id);
  if (entries.length === 0) {
    return [{ path: 'nodes', message: 'the graph has no entry node: add a Start node (or another trigger)' }];
  }
  const reached = new Set<string>();
  for (const entry of entries) bfsFromNode(dag, entry, (id) => void reached.add(id), { mode: 'outbound' });
  return [...definitions.keys()]
    .filter((id) => !reached.has(id))
    .map((id) => ({ path: `nodes.${id}`, nodeId: id, message: `node "${id}" cannot be reached from any entry node: connect it or remove it` }));
}

/**
 * Templates and expressions must parse, and may only read outputs of nodes upstream of the node that uses them; a
 * tool's templates are resolved when its agent calls it, so they may read what is upstream of the agent. A field the
 * node type marks as an expression (a Transform's) is JSONata itself, checked the same way, and holds no templates.
 */
function checkTemplates(graph: Graph, dag: MultiDirectedGraph, definitions: Map<string, NodeDefinition>, owners: Map<string, string>): GraphProblem[] {
  const problems: GraphProblem[] = [];
  for (const node of graph.nodes) {
    const definition = definitions.get(node.id);
    if (!definition) continue;
    const scopeOwner = owners.get(node.id) ?? node.id;
    let upstream: Set<string> | undefined;
    const checkRead = (path: string, what: string, referenced: unknown) => {
      if (typeof referenced !== 'string' || !definitions.has(referenced)) {
        problems.push({ path, nodeId: node.id, message: `${what} reads node "${String(referenced)}", which is not in the graph` });
        return;
      }
      upstream ??= ancestorsOf(dag, scopeOwner);
      if (!upstream.has(referenced)) problems.push({ path, nodeId: node.id, message: `${what} reads node "${referenced}", which is not upstream of "${node.id}"` });
    };
    const checkExpression = (path: string, what: string, source: string) => {
      try {
        const read = referencedNodes(parseExpression(source, path));
        if (read !== 'all') for (const id of read) checkRead(path, what, id);
      } catch (error) {
        if (!(error instanceof ExpressionError)) throw error;
        problems.push({ path, nodeId: node.id, message: `${what}: ${error.reason}` });
      }
    };
    const expressionFields = fieldsMarked(definition.config, 'expression');
    const codeFields = fieldsMarked(definition.config, 'code');
    for (const field of codeFields) {
      const source = node.data.config[field];
      if (typeof source === 'string' && /\{\{.*?\}\}/s.test(source)) {
        // A template's value would be pasted into the program text and run as code.
        problems.push({ path: `nodes.${node.id}.data.config.${field}`, nodeId: node.id, message: `config.${field} is code: read values from $input, not with {{ }} templates` });
      }
    }
    for (const field of expressionFields) {
      const source = node.data.config[field];
      const path = `nodes.${node.id}.data.config.${field}`;
      if (typeof source !== 'string') continue;
      if (source.includes('{{')) {
        problems.push({ path, nodeId: node.id, message: `config.${field} is a JSONata expression itself: read values as $input.name or $nodes.id.output, not with {{ }} templates` });
      } else {
        checkExpression(path, 'expression', source);
      }
    }
    for (const { field, kind, expression } of findTemplates(node.data.config)) {
      if (expressionFields.includes(String(field[0])) || codeFields.includes(String(field[0]))) continue;
      const path = `nodes.${node.id}.data.${['config', ...field].join('.')}`;
      if (kind === 'expression') {
        checkExpression(path, `expression "{{=${expression}}}"`, expression);
        continue;
      }
      try {
        const [root, referenced] = parsePath(expression);
        if (root === 'nodes') checkRead(path, `template "{{${expression}}}"`, referenced);
      } catch (error) {
        if (!(error instanceof TemplateError)) throw error;
        problems.push({ path, nodeId: node.id, message: error.message });
      }
    }
  }
  return problems;
}

/**
 * Top-level config fields drawn as `kind`: the `expression` widget's text is JSONata and the `code` widget's program
 * text, neither of which is templated text.
 */
function fieldsMarked(schema: z.ZodType, kind: Widget): string[] {
  if (!(schema instanceof z.ZodObject)) return [];
  return Object.entries(schema.shape as Record<string, z.ZodType>)
    .filter(([, field]) => widgetOf(field.meta() ?? {}) === kind)
    .map(([name]) => name);
}

function ancestorsOf(dag: MultiDirectedGraph, id: string): Set<string> {
  const ancestors = new Set<string>();
  bfsFromNode(dag, id, (key) => void (key !== id && ancestors.add(key)), { mode: 'inbound' });
  return ancestors;
}

/** Builds each kind's planned node; the kinds the workflow reads settings of get their schema's defaults filled in. */
function planNode(node: GraphNode, definition: NodeDefinition, registry: NodeRegistry, tools: () => PlannedTool[]): PlannedNode {
  const base = {
    id: node.id,
    type: node.type,
    version: node.version,
    label: node.label?.trim() || definition.label,
    continueOnError: node.data.continueOnError ?? false,
    ...(definition.pure ? { pure: true as const } : {}),
  };
  const filled = () => withDefaults(definition.config, node.data.config);
  const step = (kind: NodeKind) => planActivity(registry.stepActivities[kind] as StepActivity, node);
  switch (definition.kind) {
    case 'memory':
      throw new Error(`${definition.label} nodes are attached to an LLM node, never planned as steps`);
    case 'task': {
      const activity = planActivity({ activityType: activityTypeOf(definition), retry: definition.retry, timeouts: definition.timeouts }, node);
      // A pure type the interpreter has no function for runs as its activity: never computed by guesswork.
      const pure = definition.pure && pureNodeFunctions[activity.activityType] ? { pure: true as const } : {};
      const { pure: _declared, ...rest } = base;
      return { ...rest, ...pure, kind: 'task', config: node.data.config, activity };
    }
    case 'start':
      return { ...base, kind: 'start', config: {} };
    case 'end':
      return { ...base, kind: 'end', config: node.data.config };
    case 'condition':
      return { ...base, kind: 'condition', config: filled() as PlannedConfig<'condition'> };
    case 'delay':
      return { ...base, kind: 'delay', config: filled() as PlannedConfig<'delay'> };
    case 'approval':
      return { ...base, kind: 'approval', config: filled() as PlannedConfig<'approval'> };
    case 'agent':
      return { ...base, kind: 'agent', config: filled(), activity: step('agent'), tools: tools() };
    case 'subworkflow':
      return { ...base, kind: 'subworkflow', config: filled(), activity: step('subworkflow') };
    case 'for-each':
      return { ...base, kind: 'for-each', config: filled(), activity: step('for-each') };
  }
}

/**
 * The LLM node with its Memory input's node as its memory setting: the memory node wins over the node's own setting,
 * and its templates (a session id from the inputs) are resolved when the LLM node starts, as the node's own are.
 */
function withMemoryNode(node: GraphNode, memoryNode: GraphNode, memory: NodeDefinition): GraphNode {
  if (memory.kind !== 'memory') return node;
  const setting = { ...withDefaults(memory.config, memoryNode.data.config), kind: memory.memory.kind };
  return { ...node, data: { ...node.data, config: { ...node.data.config, memory: setting } } };
}

/** The config type a kind is planned with; the node type's schema, applied above, guarantees its shape. */
type PlannedConfig<Kind extends NodeKind> = PlannedNodeOf<Kind>['config'];

function planActivity(defaults: StepActivity, node: GraphNode): PlannedActivity {
  const retry = { ...defaults.retry, ...node.data.retry };
  const timeouts = { ...defaults.timeouts, ...node.data.timeouts };
  return {
    activityType: defaults.activityType,
    retry: {
      maximumAttempts: retry.maximumAttempts,
      initialInterval: optionalMs(retry.initialInterval),
      backoffCoefficient: retry.backoffCoefficient,
      maximumInterval: optionalMs(retry.maximumInterval),
      nonRetryableErrorTypes: retry.nonRetryableErrorTypes,
    },
    timeouts: {
      startToClose: optionalMs(timeouts.startToClose),
      scheduleToClose: optionalMs(timeouts.scheduleToClose),
      heartbeat: optionalMs(timeouts.heartbeat),
    },
  };
}

/** Top-level fields left out take the schema's default; anything else (templates included) is kept as written. */
function withDefaults(schema: z.ZodType, config: Record<string, unknown>): Record<string, unknown> {
  if (!(schema instanceof z.ZodObject)) return config;
  const filled = { ...config };
  for (const [field, fieldSchema] of Object.entries(schema.shape as Record<string, z.ZodType>)) {
    if (filled[field] !== undefined) continue;
    const fallback = fieldSchema.safeParse(undefined);
    if (fallback.success && fallback.data !== undefined) filled[field] = fallback.data;
  }
  return filled;
}

/** Each tool is named for the model after its label, made unique among the agent's tools. */
function planTools(nodes: GraphNode[], definitions: Map<string, NodeDefinition>, registry: NodeRegistry): PlannedTool[] {
  const taken = new Set<string>();
  return nodes.map((node) => {
    const definition = definitions.get(node.id) as NodeDefinition;
    const spec = toolSpecOf(definition) as ToolSpec;
    const planned = planNode(node, definition, registry, () => []);
    if (planned.kind !== 'task' && planned.kind !== 'subworkflow') throw new Error(`${definition.label} nodes cannot be tools`);
    const toolName = uniqueToolName(planned.label, definition.type, taken);
    const { $schema: _dialect, ...argumentsSchema } = z.toJSONSchema(spec.arguments, { io: 'input', unrepresentable: 'any' });
    return {
      id: node.id,
      type: node.type,
      version: node.version,
      label: planned.label,
      kind: planned.kind,
      config: planned.config,
      activity: planned.activity,
      toolName,
      description: node.data.toolDescription ?? (planned.label === definition.label ? spec.description : `${planned.label}: ${spec.description}`),
      argumentsSchema,
    };
  });
}

const TOOL_NAME_MAX = 64;

function uniqueToolName(label: string, type: string, taken: Set<string>): string {
  const base = label.replace(/[^A-Za-z0-9_-]+/g, '_').replace(/^_+|_+$/g, '').slice(0, TOOL_NAME_MAX - 4) || type;
  let name = base;
  for (let n = 2; taken.has(name); n++) name = `${base}_${n}`;
  taken.add(name);
  return name;
}

function optionalMs(value: Duration | undefined): number | undefined {
  return value === undefined ? undefined : durationToMs(value);
}
