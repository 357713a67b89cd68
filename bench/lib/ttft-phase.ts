import type { LiveEventDto } from '../../contract/runs';
import type { GraphInput } from '../../engine/graph';
import { startOpenAiCompatibleServer, type OpenAiCompatibleServer } from '../../test/openai-compatible-server';
import { SseParser } from '../../web/src/lib/api/sse-parser';
import type { RestSession } from './rest-session';
import { round, type Metric } from './results';
import { summarize } from './stats';

export const TTFT_WARMUP_RUNS = 3;
export const TTFT_RUNS = 20;
/** How long the model server thinks before its first token: a small, fixed delay, subtracted from every sample. */
export const MODEL_FIRST_TOKEN_DELAY_MS = 100;
/** Between the later tokens, so the answer is still streaming when the first token must already be on its way. */
const MODEL_TOKEN_GAP_MS = 15;
/** The figure issue 16 bounds: what the stack adds to the model's own time to first token. */
export const TTFT_OVERHEAD_LABEL = "stack overhead (time to first token less the model's own)";
/** A question answered later than this is an error, not a figure. */
const ANSWER_TIMEOUT_MS = 30_000;

/** The local OpenAI-compatible server the LLM Chat node streams from, paced like a model. */
export function startTtftModel(): Promise<OpenAiCompatibleServer> {
  return startOpenAiCompatibleServer({ firstTokenDelayMs: MODEL_FIRST_TOKEN_DELAY_MS, streamChunkDelayMs: MODEL_TOKEN_GAP_MS });
}

/** The fake model's default answer: it echoes the question, so every answer is known in advance and its own. */
const expectedAnswer = (question: string) => `You said: ${question}`;

function chatGraph(credentialId: string): GraphInput {
  return {
    nodes: [
      { id: 'start', type: 'start', version: 1 },
      { id: 'llm', type: 'llm-chat', version: 1, data: { config: { credentialId, model: 'local-model', prompt: '{{ input.question }}' } } },
      { id: 'end', type: 'end', version: 1 },
    ],
    edges: [
      { id: 'start-llm', source: 'start', target: 'llm' },
      { id: 'llm-end', source: 'llm', target: 'end' },
    ],
  };
}

/** One question as the client saw it: when it asked, when the first token reached it (ms since the epoch), the answer. */
export interface TimedAnswer {
  runId: string;
  askedAt: number;
  firstTokenAt: number;
  text: string;
}

/**
 * Asks the workflow one question as a client would and times its first token. Today: a REST start, then the run's
 * live SSE stream, read until the run's final event. The chat endpoint will replace this function, and only this.
 */
export async function askAndTimeFirstToken(session: RestSession, workflowId: string, question: string): Promise<TimedAnswer> {
  const askedAt = Date.now();
  const runId = await session.startRun(workflowId, { question });
  const response = await session.openRunEvents(runId, AbortSignal.timeout(ANSWER_TIMEOUT_MS));
  const parser = new SseParser();
  const decoder = new TextDecoder();
  let firstTokenAt: number | undefined;
  let text = '';
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    for (const event of parser.push(decoder.decode(chunk, { stream: true }))) {
      if (event.type === 'node.live') {
        const live = JSON.parse(event.data) as LiveEventDto;
        if (live.type !== 'llm.token') continue;
        if (live.attempt !== 1) throw new Error(`run ${runId}: a token of attempt ${live.attempt}; the model must answer at the first`);
        firstTokenAt ??= Date.now();
        text += (live.data as { text: string }).text;
      } else if (event.type === 'run.succeeded') {
        if (firstTokenAt === undefined) throw new Error(`run ${runId} succeeded without streaming a token`);
        return { runId, askedAt, firstTokenAt, text };
      } else if (event.type.startsWith('run.')) {
        throw new Error(`run ${runId} ended with ${event.type}: ${event.data}`);
      }
    }
  }
  throw new Error(`run ${runId}: the event stream ended before the run's final event`);
}

/** One timed answer: the whole delay the client saw, the model's own part of it, and the stack's part (the rest). */
export interface TtftSample {
  rawMs: number;
  modelMs: number;
  overheadMs: number;
}

/** Times one question and checks its answer token by token against what the model server sent for it. */
async function timeOneQuestion(session: RestSession, model: OpenAiCompatibleServer, workflowId: string, question: string): Promise<TtftSample> {
  const answer = await askAndTimeFirstToken(session, workflowId, question);
  if (answer.text !== expectedAnswer(question)) throw new Error(`run ${answer.runId} streamed ${JSON.stringify(answer.text)}, expected ${JSON.stringify(expectedAnswer(question))}`);
  const asked = model.requests.filter((request) => JSON.stringify(request.body.messages ?? []).includes(JSON.stringify(question)));
  if (asked.length !== 1 || asked[0].firstTokenAt === undefined) throw new Error(`run ${answer.runId}: the model was asked ${asked.length} times, expected once with a streamed answer`);
  const rawMs = answer.firstTokenAt - answer.askedAt;
  const modelMs = asked[0].firstTokenAt - asked[0].at;
  return { rawMs, modelMs, overheadMs: rawMs - modelMs };
}

/**
 * Time to first token through the whole stack: a published Start → LLM Chat → End whose credential points at the
 * local model server, warm-up runs, then TTFT_RUNS questions one after another. Returns the metrics, the raw
 * samples, and the workflow with its run count so the caller can check every run.
 */
export async function measureTimeToFirstToken(
  session: RestSession,
  model: OpenAiCompatibleServer,
  progress: (line: string) => void,
): Promise<{ metrics: Metric[]; samples: TtftSample[]; workflowId: string; runs: number }> {
  const credentialId = await session.createCredential('Bench local model', 'openai', { apiKey: model.apiKey, baseUrl: model.baseUrl });
  const workflowId = await session.publishWorkflow(chatGraph(credentialId));
  const question = (label: string) => `${label}: what does durable execution promise when a worker crashes mid-answer?`;
  progress(`time to first token: ${TTFT_WARMUP_RUNS} warm-up and ${TTFT_RUNS} timed questions, one at a time (model's first token after ${MODEL_FIRST_TOKEN_DELAY_MS} ms)`);
  for (let i = 0; i < TTFT_WARMUP_RUNS; i++) await timeOneQuestion(session, model, workflowId, question(`warm-up ${i}`));
  const samples: TtftSample[] = [];
  for (let i = 0; i < TTFT_RUNS; i++) samples.push(await timeOneQuestion(session, model, workflowId, question(`question ${i}`)));
  const raw = summarize(samples.map((s) => s.rawMs));
  const overhead = summarize(samples.map((s) => s.overheadMs));
  const modelDelay = summarize(samples.map((s) => s.modelMs));
  const rawLabel = 'time to first token, REST start → first token on the SSE stream';
  return {
    metrics: [
      { metric: `${rawLabel}: p50`, value: round(raw.median), unit: 'ms' },
      { metric: `${rawLabel}: p90`, value: round(raw.p90), unit: 'ms' },
      { metric: `${TTFT_OVERHEAD_LABEL}: p50`, value: round(overhead.median), unit: 'ms' },
      { metric: `${TTFT_OVERHEAD_LABEL}: p90`, value: round(overhead.p90), unit: 'ms' },
      { metric: "the model's own first-token delay: median", value: round(modelDelay.median), unit: 'ms' },
    ],
    samples,
    workflowId,
    runs: TTFT_WARMUP_RUNS + TTFT_RUNS,
  };
}

/** The samples as a results file saves them: one series per figure, to the microsecond. */
export function ttftSamples(samples: readonly TtftSample[]): Record<string, number[]> {
  return {
    ttftRawMs: samples.map((s) => round(s.rawMs, 3)),
    ttftModelMs: samples.map((s) => round(s.modelMs, 3)),
    ttftOverheadMs: samples.map((s) => round(s.overheadMs, 3)),
  };
}
