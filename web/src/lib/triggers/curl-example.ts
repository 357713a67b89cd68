import type { WebhookDto } from '$contract/webhooks';

export type CurlTarget = Pick<WebhookDto, 'url' | 'authMode' | 'tokenHeader' | 'signatureHeader' | 'timestampHeader' | 'allowedMethods' | 'allowedContentTypes'>;

/** Stands in for the secret until it is revealed, so the example is never a leak by default. */
export const SECRET_PLACEHOLDER = '<secret>';

const EXAMPLE_BODY = '{"hello":"world"}';

/** Single-quoted for POSIX shells: a quote inside becomes '\'' . */
export function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

/** A JSON content type the endpoint accepts, else its first (wildcards read as JSON). */
function contentTypeOf(types: readonly string[]): string {
  const json = types.find((type) => type === 'application/json' || type.endsWith('+json'));
  const first = json ?? types[0] ?? 'application/json';
  return first.includes('*') ? 'application/json' : first;
}

/**
 * A shell snippet that delivers to the webhook as its auth mode requires: a bearer or named token header, or an
 * HMAC-SHA256 signature (`sha256=<hex>`) over the raw body, prefixed with `<timestamp>.` when the hook checks a
 * timestamp. Without `secret`, a placeholder stands in.
 */
export function curlExample(hook: CurlTarget, secret: string = SECRET_PLACEHOLDER): string {
  const method = hook.allowedMethods.includes('POST') ? 'POST' : (hook.allowedMethods[0] ?? 'POST');
  const sendsBody = method !== 'GET' && method !== 'DELETE';
  const headers: string[] = sendsBody ? [`content-type: ${contentTypeOf(hook.allowedContentTypes)}`] : [];
  const lines: string[] = [];
  if (hook.authMode === 'token') {
    headers.push(hook.tokenHeader.toLowerCase() === 'authorization' ? `Authorization: Bearer ${secret}` : `${hook.tokenHeader}: ${secret}`);
  }
  const dynamic: string[] = [];
  if (hook.authMode === 'hmac') {
    lines.push(`SECRET=${shellQuote(secret)}`, `BODY=${shellQuote(sendsBody ? EXAMPLE_BODY : '')}`);
    const signed = hook.timestampHeader ? '"$TS.$BODY"' : '"$BODY"';
    if (hook.timestampHeader) {
      lines.push('TS=$(date +%s)');
      dynamic.push(`-H "${hook.timestampHeader}: $TS"`);
    }
    lines.push(`SIG=$(printf '%s' ${signed} | openssl dgst -sha256 -hmac "$SECRET" -hex | sed 's/^.* //')`);
    dynamic.push(`-H "${hook.signatureHeader}: sha256=$SIG"`);
  }
  const parts = [`curl -X ${method} ${shellQuote(hook.url)}`, ...headers.map((header) => `-H ${shellQuote(header)}`), ...dynamic];
  if (sendsBody) parts.push(hook.authMode === 'hmac' ? '--data-binary "$BODY"' : `--data ${shellQuote(EXAMPLE_BODY)}`);
  lines.push(parts.join(' \\\n  '));
  return lines.join('\n');
}
