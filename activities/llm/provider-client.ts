import { ApplicationFailure } from '@temporalio/activity';
import type { ResolvedCredential } from '../credential-kinds';
import { retryAfterMs } from '../net/retry-after';
import { formatLimit, type ProviderDeadline } from './provider-deadline';

/**
 * A model provider's failure as an activity failure, whichever SDK raised it (the models themselves are built in
 * ./providers): retryable or final, naming the credential, the model and the provider's host.
 */

interface ProviderError {
  /** The HTTP status: `status` (OpenAI's, Anthropic's, Groq's and Google's SDKs), `status_code` (Ollama's). */
  status?: number;
  status_code?: number;
  message?: string;
  headers?: Headers | Record<string, string>;
}

/** What the failed call asked for, so its failure can name the model, the provider's host and the limit it ran into. */
export interface ProviderCall {
  model: string;
  deadline?: ProviderDeadline;
}

/**
 * 429 and 5xx (and network failures) are worth another attempt, after Retry-After when the provider sends one;
 * 401/403 and other 4xx fail at once. An answer that is not the protocol's JSON is the provider's fault, not an
 * outage: asking again rarely mends it and would cost the tokens again, so it fails at once. A call the deadline
 * ended is retried like an outage. The message names the credential, never its secret.
 */
export function providerFailure(error: unknown, credential: ResolvedCredential, call?: ProviderCall): ApplicationFailure {
  const decided = applicationFailureIn(error);
  if (decided) return decided;
  const { status: httpStatus, status_code: statusCode, message, headers } = (error ?? {}) as ProviderError;
  const status = httpStatus ?? statusCode;
  const named = credential.name ? `credential "${credential.name}" (${credential.id})` : `credential ${credential.id}`;
  const who = call ? `model ${call.model} at ${hostOf(credential)}` : `the provider at ${hostOf(credential)}`;
  if (call?.deadline?.passed()) {
    return ApplicationFailure.create({ message: `${who} did not answer within ${formatLimit(call.deadline.limitMs)} (with ${named})`, type: 'ProviderTimeout' });
  }
  const invalid = syntaxErrorIn(error);
  if (invalid) {
    return ApplicationFailure.create({
      message: `the provider's answer was invalid: ${who} sent a response that is not valid JSON (${invalid.message}) with ${named}`,
      type: 'ProviderInvalidResponse',
      nonRetryable: true,
    });
  }
  // The SDK says only "Connection error." for a network failure; the guarded fetch's error under it names the cause.
  const cause = (error as { cause?: { message?: unknown } } | undefined)?.cause?.message;
  const summary = [message ?? String(error), status === undefined && typeof cause === 'string' ? cause : undefined].filter(Boolean).join(': ').split('\n')[0];
  if (status === 401 || status === 403) {
    return ApplicationFailure.create({ message: `the provider rejected ${named}: ${summary}`, type: 'ProviderAuthenticationError', nonRetryable: true });
  }
  if (status === 429 || (status !== undefined && status >= 500) || status === undefined) {
    return ApplicationFailure.create({
      message: `provider call with ${named} failed${status ? ` (${status})` : ''}: ${summary}`,
      type: status === 429 ? 'ProviderRateLimited' : 'ProviderUnavailable',
      nextRetryDelay: retryAfterMs(headers instanceof Headers ? headers.get('retry-after') : headers?.['retry-after']),
    });
  }
  return ApplicationFailure.create({ message: `provider refused the request (${status}) with ${named}: ${summary}`, type: 'ProviderRequestError', nonRetryable: true });
}

function hostOf(credential: ResolvedCredential): string {
  const baseUrl = credential.data.baseUrl;
  if (!baseUrl) return 'the default base URL';
  try {
    return new URL(baseUrl).host;
  } catch {
    return baseUrl;
  }
}

/** The SDK parses a response body (or a streamed event) with JSON.parse and lets its SyntaxError through, maybe wrapped. */
function syntaxErrorIn(error: unknown): SyntaxError | undefined {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth++) {
    if (current instanceof SyntaxError) return current;
  }
  return undefined;
}

/** A failure already decided below the SDK (an outbound request refused by policy) keeps its own verdict. */
function applicationFailureIn(error: unknown): ApplicationFailure | undefined {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth++) {
    if (current instanceof ApplicationFailure) return current;
  }
  return undefined;
}
