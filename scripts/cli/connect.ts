import type { Client } from '@temporalio/client';
import type { Config } from '../../platform/config';
import { connectClient } from '../../platform/temporal-connection';
import { CliError, messageOf } from './cli-error';

type TemporalConfig = Config['temporal'];

/** Connects to the configured cluster or the local dev server, explaining how to fix a failure. */
export async function connectToTemporal(temporal: TemporalConfig): Promise<Client> {
  const address = temporal.address ?? `127.0.0.1:${temporal.devPort}`;
  try {
    return await connectClient(temporal, address);
  } catch (cause) {
    const hint = temporal.address
      ? 'Check TEMPORAL_ADDRESS and the TLS / API key settings.'
      : 'Is the local Temporal dev server running? Start it with `npm start` (or set TEMPORAL_ADDRESS to use another cluster).';
    throw new CliError(`cannot connect to Temporal at ${address}: ${messageOf(cause)}\n${hint}`, 1, { cause });
  }
}

/** The run's page in the Web UI of the local dev server; a configured cluster's UI address is not known here. */
export function webUiLink(temporal: TemporalConfig, runId: string): string | undefined {
  if (temporal.address) return undefined;
  return `http://localhost:${temporal.uiPort}/namespaces/${encodeURIComponent(temporal.namespace)}/workflows/${encodeURIComponent(runId)}`;
}
