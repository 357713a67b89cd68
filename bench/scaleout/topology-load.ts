import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { Database } from '../../db/orm';
import { processCpuMs } from '../lib/process-cpu';
import { createCluster, type Cluster } from '../lib/scaleout-cluster';
import { loadSyncWebhook, syncWebhookGraph, type SyncWebhookLoad } from '../lib/sync-webhook-load';
import type { Teardown } from '../lib/teardown';
import { runDistribution } from './run-distribution';

export interface Topology {
  apis: number;
  workers: number;
}

export interface ScaleoutEnvironment {
  client: Client;
  temporalAddress: string;
  /** The Temporal server's process, whose CPU is measured with the cluster's. */
  temporalPid: number;
  databaseUrl: string;
  orm: Database;
  bundlePath: string;
  dir: string;
  teardown: Teardown;
}

export interface ProcessCpu {
  process: string;
  cpuMs: number;
}

export interface TopologyResult {
  topology: Topology;
  load: SyncWebhookLoad;
  wallMs: number;
  cpu: ProcessCpu[];
  /** Runs of a sample by the worker that ran them, in the order the workers started. */
  distribution: { worker: string; runs: number }[];
  /** Still running, for the phases that follow on this topology; the caller stops it. */
  cluster: Cluster;
}

/** Untimed load first: every process has compiled its hot paths and opened its connections before the figures. */
const WARMUP_SECONDS = 5;

/**
 * Starts the topology's API and worker processes, then drives the sync webhook workload (bench/lib/sync-webhook-load)
 * through every API at once, round-robin, and measures throughput, latency, each process's CPU and how the runs
 * spread over the workers.
 */
export async function measureTopology(env: ScaleoutEnvironment, topology: Topology, connections: number, seconds: number): Promise<TopologyResult> {
  const cluster = createCluster({ ...env, taskQueue: `scaleout-${topology.apis}x${topology.workers}-${randomUUID()}` });
  for (let i = 0; i < topology.apis; i++) await cluster.addApi();
  for (let i = 0; i < topology.workers; i++) await cluster.addWorker();
  const urls = (await cluster.publish(syncWebhookGraph())).map((target) => target.url);
  const hookId = new URL(urls[0]).pathname.split('/').pop() as string;
  await loadSyncWebhook(urls, connections, WARMUP_SECONDS);

  const processes: [string, number][] = [
    ['Temporal server', env.temporalPid],
    ...cluster.apis.map((api, i): [string, number] => [`API ${i + 1}`, api.pid]),
    ...cluster.workers.map((worker, i): [string, number] => [`worker ${i + 1}`, worker.pid]),
    ['load generator', process.pid],
  ];
  const before = processes.map(([, pid]) => processCpuMs(pid));
  const started = performance.now();
  const load = await loadSyncWebhook(urls, connections, seconds);
  const wallMs = performance.now() - started;
  const cpu = processes.map(([name, pid], i) => ({ process: name, cpuMs: processCpuMs(pid) - before[i] }));

  const byPid = await runDistribution(env.client, env.orm, hookId);
  const distribution = cluster.workers.map((worker, i) => ({ worker: `worker ${i + 1}`, runs: byPid.get(worker.pid) ?? 0 }));
  return { topology, load, wallMs, cpu, distribution, cluster };
}
