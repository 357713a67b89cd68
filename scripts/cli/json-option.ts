import { UsageError } from './cli-error';

/** Reads a `--name '<json>'` option; absent stays undefined. */
export function parseJsonOption(name: string, text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw new UsageError(`--${name} is not valid JSON (${(cause as Error).message}): ${text}`, { cause });
  }
}

/** Run inputs are an object: Start hands them to the graph as `{{ input.<field> }}`. */
export function parseInputsOption(text: string | undefined): Record<string, unknown> {
  const value = parseJsonOption('input', text) ?? {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UsageError(`--input must be a JSON object such as '{"url":"http://127.0.0.1:3000/health"}', not ${text}`);
  }
  return value as Record<string, unknown>;
}
