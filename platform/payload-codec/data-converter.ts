import type { DataConverter } from '@temporalio/common';
import { AesGcmPayloadCodec } from './aes-gcm-codec';
import { payloadKeyRing, type PayloadKeys } from './payload-key-ring';

/**
 * The data converter every Temporal client and worker of an installation shares: with KAI_PAYLOAD_KEY set, every
 * payload (inputs, outputs, results, failure details) is encrypted before it leaves the process; unset, Temporal's
 * default. Failure messages are not payloads and stay readable, which is what operators triage with.
 */
export function kaiDataConverter(temporal: { payloadKeys?: PayloadKeys }): DataConverter | undefined {
  if (!temporal.payloadKeys) return undefined;
  return { payloadCodecs: [new AesGcmPayloadCodec(payloadKeyRing(temporal.payloadKeys))] };
}
