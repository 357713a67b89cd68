/**
 * What a reply says about how it ended and which model wrote it, under the name each LangChain provider package
 * puts it: `finish_reason` (OpenAI, Groq, Mistral), `stop_reason` (Anthropic), `finishReason` (Gemini),
 * `done_reason` (Ollama), each in `response_metadata` except Anthropic's streamed one, which LangChain leaves in
 * `additional_kwargs`; `model_name` (OpenAI, Groq), `model` (Anthropic, Ollama). The finish reason is given in
 * OpenAI's words whatever the provider, so a Condition on `finishReason == "length"` works with any of them.
 */

type ResponseMetadata = Record<string, unknown>;
interface Reply {
  response_metadata: ResponseMetadata;
  additional_kwargs?: ResponseMetadata;
}

const FINISH_REASON_FIELDS = ['finish_reason', 'stop_reason', 'finishReason', 'done_reason'];
const MODEL_FIELDS = ['model_name', 'model'];

/** Anthropic's and Gemini's reasons in OpenAI's words; others (Gemini's SAFETY, …) lower-cased as they are. */
const OPENAI_WORDS: Record<string, string> = { end_turn: 'stop', stop_sequence: 'stop', max_tokens: 'length', tool_use: 'tool_calls' };

export function finishReasonOf(reply: Reply | undefined): string | null {
  const reason = (firstString(reply?.response_metadata, FINISH_REASON_FIELDS) ?? firstString(reply?.additional_kwargs, FINISH_REASON_FIELDS))?.toLowerCase();
  return reason === undefined ? null : (OPENAI_WORDS[reason] ?? reason);
}

export function modelNameOf(reply: Reply | undefined): string | undefined {
  return firstString(reply?.response_metadata, MODEL_FIELDS);
}

function firstString(metadata: ResponseMetadata | undefined, fields: string[]): string | undefined {
  for (const field of fields) {
    const value = metadata?.[field];
    if (typeof value === 'string' && value !== '') return value;
  }
  return undefined;
}
