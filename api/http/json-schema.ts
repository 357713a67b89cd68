import { z } from 'zod';

/**
 * A zod schema as the JSON Schema embedded in the OpenAPI document: `input` for what callers send (defaults make
 * fields optional), `output` for what is answered. Refinements and unknown values have no JSON Schema form and are
 * left open; the `$schema` dialect line is dropped, since the document declares its own.
 */
export function toJsonSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const { $schema: _dialect, ...json } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<string, unknown>;
  return json;
}
