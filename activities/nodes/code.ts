import { ApplicationFailure } from '@temporalio/activity';
import { z } from 'zod';
import { widget } from '../../contract/widgets';
import { DEFAULT_RETRY, defineTaskNode } from '../node-definition';
import { LOG_LEVELS, MAX_LOG_CHARACTERS, MAX_LOG_LINES, SandboxError, type SandboxFailureKind, type SandboxRun } from '../sandbox/quickjs-sandbox';
import { runInSandbox } from '../sandbox/sandbox-threads';

const MAX_TIMEOUT_MS = 5000;
const MAX_MEMORY_MB = 64;
const OUTPUT_LIMIT_BYTES = 1024 * 1024;

const configSchema = z
  .object({
    code: z
      .string()
      .min(1)
      .max(100_000)
      // Program text: a tall monospace editor on the canvas, and never templated (plan-execution refuses `{{ }}` in it).
      .meta({ ...widget('code'), description: 'the body of an async JavaScript function: read $input (the incoming value), return a JSON value; await works' }),
    timeoutMs: z.number().int().min(10).max(MAX_TIMEOUT_MS).default(2000).describe(`CPU time the code may use, in milliseconds (at most ${MAX_TIMEOUT_MS})`),
    memoryLimitMb: z.number().int().min(8).max(MAX_MEMORY_MB).default(MAX_MEMORY_MB).describe(`memory the code may use, in MiB (at most ${MAX_MEMORY_MB})`),
  })
  .strict();

/** Each way user code fails is its own failure type, so a run's node error says which limit was met. */
const FAILURE_TYPES: Record<SandboxFailureKind, string> = {
  syntax: 'CodeSyntaxError',
  thrown: 'CodeError',
  time: 'CodeTimeLimit',
  memory: 'CodeMemoryLimit',
  stack: 'CodeStackLimit',
  output: 'CodeOutputLimit',
  unsettled: 'CodeUnsettled',
};

export const codeNode = defineTaskNode({
  type: 'code',
  version: 1,
  category: 'data',
  label: 'Code',
  keywords: ['js', 'javascript', 'script', 'function'],
  description:
    'Runs JavaScript in a QuickJS sandbox (WebAssembly): the code sees its input as $input, returns a JSON value, and ' +
    'may use console.log. It has no network, files, timers, process or host objects, and runs under CPU time, memory ' +
    'and output limits.',
  config: configSchema,
  output: z.object({
    result: z.unknown().describe('what the code returned, as JSON (undefined becomes null)'),
    logs: z
      .array(z.object({ level: z.enum(LOG_LEVELS), message: z.string() }))
      .describe(`console output, in order: at most ${MAX_LOG_LINES} lines and ${MAX_LOG_CHARACTERS} characters`),
    logsTruncated: z.boolean().describe('console output past those caps was dropped'),
  }),
  inputs: [{ id: 'in', label: 'Input' }],
  outputs: [{ id: 'out', label: 'Output' }],
  tool: {
    description: 'Runs a fixed JavaScript program on the input you give it and returns what it computes.',
    arguments: z
      .object({ input: z.object({}).catchall(z.unknown()).optional().describe('a JSON object the program reads as $input') })
      .strict(),
  },
  // User code is not assumed deterministic, so it runs as an activity; its own failures are final, a lost worker is retried.
  retry: DEFAULT_RETRY,
  timeouts: { startToClose: '30s' },
  // As an Agent's tool, the model's `input` is what the program reads: the program itself is the one configured.
  run: ({ config, incoming, toolArguments, node, signal }) => runCode(config, (toolArguments ? toolArguments.input : incoming.in) ?? null, node.label, signal),
});

export type CodeConfig = z.output<typeof configSchema>;

/** The node's work on a config and an input; its failures are the node's, named after `label`. */
export async function runCode(config: CodeConfig, input: unknown, label: string, signal?: AbortSignal): Promise<SandboxRun> {
  try {
    return await runInSandbox(config.code, input, {
      timeoutMs: config.timeoutMs,
      memoryBytes: config.memoryLimitMb * 1024 * 1024,
      outputBytes: OUTPUT_LIMIT_BYTES,
    }, signal);
  } catch (error) {
    if (!(error instanceof SandboxError)) throw error;
    throw ApplicationFailure.create({ message: `${label} ${error.message}`, type: FAILURE_TYPES[error.kind], nonRetryable: true });
  }
}
