import { readFile } from 'node:fs/promises';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import type { Config } from './config';
import { kaiDataConverter } from './payload-codec/data-converter';
import { tracingClientInterceptors } from './tracing/temporal-tracing';

type TemporalConfig = Config['temporal'];

async function connectionOptions(temporal: TemporalConfig, address: string) {
  const clientCertPair =
    temporal.tlsCertPath && temporal.tlsKeyPath
      ? { crt: await readFile(temporal.tlsCertPath), key: await readFile(temporal.tlsKeyPath) }
      : undefined;
  return {
    address,
    tls: temporal.tls ? { clientCertPair } : undefined,
    apiKey: temporal.apiKey,
  };
}

/** A client for the configured cluster, or for `address` (the dev server `npm start` launched). */
export async function connectClient(temporal: TemporalConfig, address = temporal.address ?? `127.0.0.1:${temporal.devPort}`): Promise<Client> {
  return clientOn(await Connection.connect(await connectionOptions(temporal, address)), temporal);
}

/**
 * The installation's client on an open connection. On a worker's NativeConnection (the API and the worker in one
 * process) it can start runs eagerly: the first workflow task goes straight to that worker.
 */
export function clientOn(connection: Connection | NativeConnection, temporal: TemporalConfig): Client {
  return new Client({ connection, namespace: temporal.namespace, dataConverter: kaiDataConverter(temporal), interceptors: { workflow: tracingClientInterceptors() } });
}

export async function connectWorkerConnection(temporal: TemporalConfig, address = temporal.address ?? `127.0.0.1:${temporal.devPort}`): Promise<NativeConnection> {
  return NativeConnection.connect(await connectionOptions(temporal, address));
}
