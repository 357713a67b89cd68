import { Router, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import type { RunResult } from '../../engine/run-state';
import type { ErrorBody } from '../../contract/errors';
import { webhookIdSchema, type AcceptedDeliveryDto } from '../../contract/webhooks';
import { requestLog } from '../http/request-logging';
import type { ApiServices } from '../services';
import { WorkspaceOutputs } from '../services/run-outputs';
import { answerOf, WEBHOOK_ANSWER_HEADERS } from './answer-headers';
import { awaitRunOutcome } from './await-run-outcome';
import { checkContentType, checkMethod, idempotencyKeyOf, readDeliveryInput } from './delivery-input';
import { DeliveryRejection, denied } from './delivery-rejection';
import { addressAllowed } from './ip-allowlist';
import { DeliveryRateLimiter } from './rate-limiter';
import { readRawBody } from './raw-body';
import { findPublishedHook, type PublishedHook } from './published-hooks';
import { recordDelivery } from './record-delivery';
import { startDeliveryRun } from './start-delivery-run';
import { checkSignature, checkToken, readSignatureClaim } from './verify-credentials';
import { acceptedSecrets } from './webhook-secrets';

/** What the delivery's row will say besides its status and timing. */
interface DeliveryNote {
  runId?: string;
  idempotencyKey?: string;
  error?: string;
  runResult?: RunResult;
}

/**
 * The public endpoint `/api/webhooks/:webhookId`, mounted before the JSON body parser: signatures are checked over
 * the raw bytes, and the body is read only as far as the hook's size limit.
 *
 * Checks run cheapest and least revealing first: the hook must exist and be enabled, the sender's address be on
 * its allowlist and its credentials be right (all answered by one identical 401); then method (405), media type
 * (415), rate (429) and size (413). In HMAC mode the body is needed to check the signature, so its size limit
 * applies before the signature is verified. A 2xx is sent only once Temporal holds the run. Every answer carries
 * {@link WEBHOOK_ANSWER_HEADERS}, so nothing a tenant serves here runs as the service's origin.
 */
export function createWebhookEndpoint(services: ApiServices): Router {
  const limiter = new DeliveryRateLimiter(services.orm);
  const router = Router();
  router.all('/:webhookId', async (request: Request<{ webhookId: string }>, response: Response) => {
    const receivedAt = new Date();
    const started = performance.now();
    const log = requestLog(request, services.logger);
    const note: DeliveryNote = {};
    response.set(WEBHOOK_ANSWER_HEADERS);
    try {
      const published = await findEnabledHook(services, request.params.webhookId);
      const { hook } = published;
      response.once('close', () => {
        // 499, as nginx logs it: the sender hung up before it had an answer (a sync delivery it stopped waiting for).
        const status = response.writableFinished ? response.statusCode : 499;
        const error = response.writableFinished ? note.error : 'the sender closed the connection before the answer';
        void recordDelivery(services.orm, log, { webhookId: hook.id, receivedAt, method: request.method, status, latencyMs: performance.now() - started, ...note, error });
      });
      await acceptDelivery({ services, limiter, published, request, response, note, log });
    } catch (error) {
      sendFailure(response, error, note, log);
    }
  });
  return router;
}

async function findEnabledHook(services: ApiServices, webhookId: string): Promise<PublishedHook> {
  if (!webhookIdSchema.safeParse(webhookId).success) throw denied('not a webhook id');
  const published = await findPublishedHook(services.orm, webhookId, services.temporal.activityRoutes);
  if (!published) throw denied('no enabled webhook with this id');
  return published;
}

interface DeliveryContext {
  services: ApiServices;
  limiter: DeliveryRateLimiter;
  published: PublishedHook;
  request: Request;
  response: Response;
  note: DeliveryNote;
  log: Logger;
}

async function acceptDelivery({ services, limiter, published, request, response, note, log }: DeliveryContext): Promise<void> {
  const { hook } = published;
  const now = new Date();
  if (!addressAllowed(hook.ipAllowlist, request.socket.remoteAddress)) throw denied(`sender address ${request.socket.remoteAddress} is not on the allowlist`);
  let rawBody: Buffer | undefined;
  if (hook.authMode === 'token') checkToken(hook, request.headers, acceptedSecrets(hook, services.encryptionKey, now));
  if (hook.authMode === 'hmac') {
    const claim = readSignatureClaim(hook, request.headers, now);
    rawBody = await readRawBody(request, hook.maxBodyBytes);
    checkSignature(claim, rawBody, acceptedSecrets(hook, services.encryptionKey, now));
  }
  checkMethod(hook, request.method);
  checkContentType(hook, request.headers);
  const retryAfter = await limiter.take(hook.id, hook.rateLimitPerMinute);
  if (retryAfter > 0) {
    throw new DeliveryRejection(429, 'rate_limited', `this webhook takes at most ${hook.rateLimitPerMinute} deliveries a minute`, undefined, { 'retry-after': String(retryAfter) });
  }
  rawBody ??= await readRawBody(request, hook.maxBodyBytes);

  const input = readDeliveryInput(request, rawBody, hook);
  note.idempotencyKey = idempotencyKeyOf(request.headers, input.body, hook.idempotencyField);
  const run = await startDeliveryRun(services, published, input, note.idempotencyKey);
  note.runId = run.runId;
  if (run.duplicate) response.set('idempotent-replayed', 'true');

  const accepted: AcceptedDeliveryDto = { runId: run.runId };
  if (hook.responseMode === 'async') {
    response.status(202).json(accepted);
    return;
  }
  const senderGone = new AbortController();
  response.once('close', () => senderGone.abort());
  const outcome = await awaitRunOutcome(services.temporal.client, run.handle, hook.syncTimeoutMs, senderGone.signal);
  if (outcome.kind === 'succeeded') {
    note.runResult = outcome.result;
    // Outputs over the inline limit travel as references to the output store: the sender gets what they stand for.
    const output = await new WorkspaceOutputs(services.orm.em.fork(), hook.workspace.id).resolve(outcome.result.output);
    if (output.unresolved !== null) {
      note.error = `the run's output could not be loaded: ${output.unresolved}`;
      sendError(response, new DeliveryRejection(502, 'output_unavailable', "the run succeeded but its output could not be loaded; runId names it"), { runId: run.runId });
    } else sendRunResult(response, { ...outcome.result, output: output.value }, hook, note, log);
  } else if (outcome.kind === 'pending') response.status(202).json(accepted);
  else {
    note.error = `the run failed: ${outcome.error.cause?.message ?? outcome.error.message}`;
    sendError(response, new DeliveryRejection(502, 'run_failed', 'the run failed; runId names it'), { runId: run.runId });
  }
}

/**
 * Sync mode's answer: the End node's output, with the status and the allowed headers its `response` setting asks
 * for. What is refused is left out, and the delivery's row and the log say what and why.
 */
function sendRunResult(response: Response, result: RunResult, hook: PublishedHook['hook'], note: DeliveryNote, log: Logger): void {
  const answer = answerOf(result.response, { allowRedirects: hook.allowRedirects });
  if (answer.refused.length > 0) {
    note.error = `answered without what the End node asked for: ${answer.refused.join(', ')}`;
    log.warn({ runId: note.runId, refused: answer.refused }, 'webhook answer: refused End node response settings');
  }
  response.status(answer.status).set(answer.headers);
  if (typeof result.output === 'string' && response.get('content-type') !== undefined) response.send(result.output);
  else response.json(result.output ?? null);
}

function sendFailure(response: Response, error: unknown, note: DeliveryNote, log: Logger): void {
  const rejection = error instanceof DeliveryRejection ? error : new DeliveryRejection(500, 'internal', 'the delivery could not be handled', 'unexpected error', {}, { cause: error });
  note.error = rejection.reason;
  if (rejection.status >= 500) log.error({ err: rejection.cause ?? rejection, runId: note.runId }, `webhook delivery failed: ${rejection.reason}`);
  if (response.headersSent) {
    response.destroy();
    return;
  }
  sendError(response, rejection);
}

function sendError(response: Response, rejection: DeliveryRejection, extra: Partial<AcceptedDeliveryDto> = {}): void {
  const body: ErrorBody & Partial<AcceptedDeliveryDto> = { error: { code: rejection.code, message: rejection.message, details: [] }, ...extra };
  response.status(rejection.status).set(rejection.headers).json(body);
}
