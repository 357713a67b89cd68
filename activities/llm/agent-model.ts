import { ApplicationFailure, Context } from '@temporalio/activity';
import { AIMessage, ToolMessage, type AIMessageChunk, type BaseMessage } from '@langchain/core/messages';
import { stringify } from '../../engine/templates';
import { dereference } from '../dereference';
import type { NodeExecutionDeps } from '../execute-node';
import { agentConfigSchema, type AgentConfig } from '../nodes/agent';
import { scrubError, secretTextsOf } from '../scrub-secrets';
import { announceRetry } from '../retry-announcement';
import { openLiveTokenStream } from './live-token-stream';
import { openMemory, type OpenedMemory } from './memory-messages';
import { addTokenUsage, tokenUsageOf, type TokenUsage } from './token-usage';
import { providerFailure } from './provider-client';
import { chatProviderFor } from './providers/registry';
import { providerDeadline } from './provider-deadline';

/** Shapes shared with the interpreter (workflows/run-agent.ts): plain JSON, so they travel in Temporal payloads. */

export interface AgentToolCall {
  id: string;
  name: string;
  arguments: Record<string, unknown>;
}

/** What happened after the prompt: the model's turns and the results (or errors) of the tools it called. */
export type AgentTranscriptMessage =
  | { role: 'assistant'; content: string; toolCalls: AgentToolCall[] }
  /** `output` is the tool node's output as is (it may be a reference to a stored output); `error` when it failed. */
  | { role: 'tool'; toolCallId: string; output?: unknown; error?: string };

export interface AgentToolSchema {
  name: string;
  description: string;
  /** JSON Schema of the arguments. */
  parameters: Record<string, unknown>;
}

export interface AgentModelInput {
  agent: { id: string; label: string };
  workspaceId?: string;
  /** The Agent node's config, templates resolved; checked against its schema here, as a task node's config is. */
  config: Record<string, unknown>;
  transcript: AgentTranscriptMessage[];
  tools: AgentToolSchema[];
  iteration: number;
}

export interface AgentModelResult {
  message: { content: string; toolCalls: AgentToolCall[] };
  usage: TokenUsage;
}

/** A tool result longer than this is cut before it reaches the model, so one large page cannot fill its context. */
const TOOL_RESULT_MAX_CHARS = 20_000;

/** One model call of an Agent, as its own activity: the interpreter decides what to do with the reply. */
export function createAgentModelActivity(deps: Pick<NodeExecutionDeps, 'outputs' | 'credentials' | 'fetch' | 'services'>) {
  return async function agentModel(input: AgentModelInput): Promise<AgentModelResult> {
    const context = Context.current();
    const { config, transcript } = (await dereference({ config: input.config, transcript: input.transcript }, deps.outputs, input.workspaceId)) as Pick<AgentModelInput, 'config' | 'transcript'>;
    const settings = parseConfig(config);
    const { credential, provider } = chatProviderFor(await deps.credentials.resolve(input.workspaceId, settings.credentialId), input.agent.label);
    const model = provider.chatModel(credential, { model: settings.model, temperature: settings.temperature, maxTokens: settings.maxTokens, fetch: deps.fetch });
    const runnable = input.tools.length > 0 ? model.bindTools(input.tools.map((tool) => ({ type: 'function' as const, function: tool }))) : model;
    const execution = context.info.workflowExecution ?? { workflowId: 'standalone', runId: context.info.activityId };
    const deadline = providerDeadline(context.cancellationSignal);
    const { signal } = deadline;
    const stream = openLiveTokenStream(deps.services.events, execution, input.agent.id, context.info.attempt, input.iteration);
    let reply: AIMessageChunk | undefined;
    let memory: OpenedMemory;
    try {
      memory = await openMemory({ config: settings.memory, memory: deps.services.memory, model, nodeLabel: input.agent.label, run: { runId: execution.runId, workspaceId: input.workspaceId }, node: input.agent, signal });
      const messages = [...memory.conversation(settings.systemPrompt, settings.prompt), ...transcript.map(toLangChainMessage)];
      // Streamed like LLM Chat's answer: a viewer sees the model write, tool calls arrive whole with the last chunk.
      for await (const chunk of await runnable.stream(messages, { signal })) {
        reply = reply ? reply.concat(chunk) : chunk;
        if (chunk.text) stream.token(chunk.text);
      }
    } catch (error) {
      const failure = scrubError(providerFailure(error, credential, { model: settings.model, deadline }), secretTextsOf(credential));
      await stream.close().catch(() => undefined);
      await announceRetry(deps.services.events, execution, input.agent.id, context.info, failure).catch(() => undefined);
      throw failure;
    }
    await stream.close();
    if (!reply) throw ApplicationFailure.create({ message: `${input.agent.label}: the model answered nothing`, type: 'ProviderResponseInvalid' });
    const message = {
      content: reply.text,
      toolCalls: (reply.tool_calls ?? []).map((call, index) => ({ id: call.id ?? `call_${input.iteration}_${index}`, name: call.name, arguments: call.args })),
    };
    // Only the question and the final answer become turns of the conversation, not the tool traffic between them.
    if (message.toolCalls.length === 0) {
      await memory.record([
        { role: 'user', content: settings.prompt },
        { role: 'assistant', content: message.content },
      ]);
    }
    if (deps.services.events) {
      deps.services.events.publish(execution, { nodeId: input.agent.id, attempt: context.info.attempt, type: 'agent.step', data: { iteration: input.iteration, ...message } });
      await deps.services.events.flush();
    }
    return { message, usage: addTokenUsage(tokenUsageOf(reply), memory.usage) };
  };
}

function parseConfig(config: unknown): AgentConfig {
  const parsed = agentConfigSchema.safeParse(config);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `config.${issue.path.join('.') || '(root)'}: ${issue.message}`);
  throw ApplicationFailure.create({ message: `invalid config after templates were resolved: ${problems.join('; ')}`, type: 'InvalidNodeConfig', nonRetryable: true });
}

function toLangChainMessage(message: AgentTranscriptMessage): BaseMessage {
  if (message.role === 'assistant') {
    return new AIMessage({ content: message.content, tool_calls: message.toolCalls.map((call) => ({ id: call.id, name: call.name, args: call.arguments, type: 'tool_call' as const })) });
  }
  const content = message.error === undefined ? stringify(message.output) : `Error: ${message.error}`;
  return new ToolMessage({ tool_call_id: message.toolCallId, content: truncate(content, TOOL_RESULT_MAX_CHARS) });
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length - max} more characters cut)`;
}
