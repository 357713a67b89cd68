import { z } from 'zod';
import type { NodeCategory, NodeDefinition } from '../../activities/node-definition';
import { nodeDefinitions } from '../../activities/registry';
import { nodeDataSchema } from '../../engine/graph';
import type { NodeCategoriesDto, NodeTypeDto } from '../../contract/nodes';

/**
 * The node types as the canvas needs them, described from the registry's own definitions: the JSON Schemas are
 * generated from the very zod schemas the engine validates with, so the form and the validator cannot disagree.
 */

const CATEGORY_LABELS: Record<NodeCategory, string> = {
  trigger: 'Triggers',
  flow: 'Flow control',
  data: 'Data',
  network: 'Network',
  ai: 'AI',
  documents: 'Documents',
  vectors: 'Vector stores',
};

/** The part of a node's data that tunes how its activity runs, as the graph schema defines it. */
const reliabilitySchema = nodeDataSchema.pick({ retry: true, timeouts: true, continueOnError: true });
/** The part of a node's data that tunes it as an Agent's tool. */
const toolSettingsSchema = nodeDataSchema.pick({ toolDescription: true });

/**
 * `input` for what people write (defaults make fields optional), `output` for what a node produces. Refinements
 * (durations) and unknown values have no JSON Schema form; they are left open rather than failing the catalogue.
 */
function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  return z.toJSONSchema(schema, { io, unrepresentable: 'any' });
}

const described = new Map<NodeDefinition, NodeTypeDto>();

function describe(definition: NodeDefinition): NodeTypeDto {
  const known = described.get(definition);
  if (known) return known;
  const isTask = definition.kind === 'task';
  const dto: NodeTypeDto = {
    type: definition.type,
    version: definition.version,
    versions: versionsOf(definition.type),
    category: definition.category,
    label: definition.label,
    keywords: definition.keywords ?? [],
    description: definition.description,
    kind: definition.kind,
    handles: { inputs: definition.inputs, outputs: definition.outputs },
    credentialKinds: definition.credentialKinds ?? [],
    tool: definition.tool
      ? { description: definition.tool.description, argumentsSchema: jsonSchemaOf(definition.tool.arguments, 'input'), settingsSchema: jsonSchemaOf(toolSettingsSchema, 'input') }
      : null,
    memory: definition.kind === 'memory' ? definition.memory : null,
    retry: isTask ? definition.retry : null,
    timeouts: isTask ? definition.timeouts : null,
    configSchema: jsonSchemaOf(definition.config, 'input'),
    outputSchema: jsonSchemaOf(definition.output, 'output'),
    reliabilitySchema: isTask ? jsonSchemaOf(reliabilitySchema, 'input') : null,
  };
  described.set(definition, dto);
  return dto;
}

function versionsOf(type: string): number[] {
  return nodeDefinitions
    .filter((definition) => definition.type === type)
    .map((definition) => definition.version)
    .sort((a, b) => a - b);
}

function latestDefinitions(): NodeDefinition[] {
  const latest = new Map<string, NodeDefinition>();
  for (const definition of nodeDefinitions) {
    const seen = latest.get(definition.type);
    if (!seen || seen.version < definition.version) latest.set(definition.type, definition);
  }
  return [...latest.values()];
}

/** The latest version of every node type, in registry order. */
export function nodeCatalogue(): NodeTypeDto[] {
  return latestDefinitions().map(describe);
}

/** One node type at a version (the latest when none is given); undefined when the registry has no such type or version. */
export function findNodeType(type: string, version?: number): NodeTypeDto | undefined {
  const definition =
    version === undefined
      ? latestDefinitions().find((candidate) => candidate.type === type)
      : nodeDefinitions.find((candidate) => candidate.type === type && candidate.version === version);
  return definition && describe(definition);
}

/** Every category with its label and how many node types it holds (empty categories included, for a stable palette). */
export function nodeCategories(): NodeCategoriesDto {
  const latest = latestDefinitions();
  return Object.fromEntries(
    Object.entries(CATEGORY_LABELS).map(([category, label]) => [category, { label, count: latest.filter((d) => d.category === category).length }]),
  );
}
