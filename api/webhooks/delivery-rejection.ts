/**
 * Why a delivery was not accepted: the status and message the sender gets, and the `reason` recorded with the
 * delivery for the workspace's members (who may see more than the sender, e.g. which credential check failed).
 */
export class DeliveryRejection extends Error {
  override name = 'DeliveryRejection';

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly reason: string = message,
    readonly headers: Record<string, string> = {},
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/**
 * The one answer for an unknown webhook, a disabled one, a sender address off the allowlist and wrong credentials:
 * the status, body and headers are identical, so answers never tell which webhook ids exist.
 */
export function denied(reason: string): DeliveryRejection {
  return new DeliveryRejection(401, 'unauthorized', 'unknown webhook, or missing or invalid credentials', reason);
}
