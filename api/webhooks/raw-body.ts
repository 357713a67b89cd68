import type { IncomingMessage } from 'node:http';
import { DeliveryRejection } from './delivery-rejection';

/**
 * Reads the request body as sent (signatures are computed over these exact bytes), refusing it with 413 as soon as
 * it is known to exceed `maxBytes`: from Content-Length before reading anything, else at the chunk that crosses the
 * limit. Reading then stops; `connection: close` keeps Node from draining the rest of an oversized upload.
 */
export function readRawBody(request: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const tooLarge = () =>
    new DeliveryRejection(413, 'payload_too_large', `the body is larger than this webhook's limit of ${maxBytes} bytes`, undefined, { connection: 'close' });
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) return Promise.reject(tooLarge());

  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const stop = () => {
      request.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      total += chunk.length;
      if (total > maxBytes) {
        stop();
        request.pause();
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      stop();
      resolve(Buffer.concat(chunks, total));
    };
    const onError = (error: Error) => {
      stop();
      reject(error);
    };
    const onClose = () => {
      stop();
      reject(new DeliveryRejection(400, 'bad_request', 'the body ended early', 'the sender closed the connection before the body ended'));
    };
    request.on('data', onData).once('end', onEnd).once('error', onError).once('close', onClose);
  });
}
