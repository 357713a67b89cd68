/**
 * What a reply says about how it ended and which model wrote it, under the name each LangChain provider package
 * puts it: `finish_reason` (OpenAI, Groq, Mistral), `stop_reason` (Anthropic), `finishReason` (Gemini),
 * `done_reason` (Ollama); `model_name` (OpenAI, Groq), `model` (Anthropic, Ollama).
 */

type ResponseMetadata = Record<string, unknown>;

const FINISH_REASON_FIELDS = ['finish_reason', 'stop_reason', 'finishReason', 'done_reason'];
const MODEL_FIELDS = ['model_name', 'model'];

export function finishReasonOf(reply: { response_metadata: ResponseMetadata } | undefined): string | null {
  return firstString(reply?.response_metadata, FINISH_REASON_FIELDS) ?? null;
}

export function modelNameOf(reply: { response_metadata: ResponseMetadata } | undefined): string | undefined {
  return firstString(reply?.response_metadata, MODEL_FIELDS);
}

function firstString(metadata: ResponseMetadata | undefined, fields: string[]): string | undefined {
  for (const field of fields) {
    const value = metadata?.[field];
    if (typeof value === 'string' && value !== '') return value;
  }
  return undefined;
}
