import type { RequiredEntityData } from '@mikro-orm/postgresql';
import type { WorkflowExecutionInfo } from '@temporalio/client';
import { Run, WorkflowVersion } from '../../db/entities';
import { runsStarted } from '../../platform/metrics/api-metrics';
import type { ApiServices } from '../services';
import { repeatEvery } from './repeat-every';
import { refreshRuns } from './run-refresh';
import { readScheduledRunMemo, type ScheduledRunMemo } from './schedule-action';

/**
 * Temporal's list of runs is eventually consistent, so a run may show up after a later one: each pass looks this
 * far back from the newest scheduled run already filed.
 */
const LIST_LAG_MS = 60_000;

type IndexerServices = Pick<ApiServices, 'orm' | 'temporal' | 'logger'>;

interface ScheduledExecution {
  execution: WorkflowExecutionInfo;
  memo: ScheduledRunMemo;
}

/**
 * Files the runs Temporal Schedules started (the API never saw them start) in the run index: lists the executions
 * tagged KaiTrigger = 'schedule' from shortly before the newest one filed, adds the missing rows, and brings them up
 * to Temporal's status (result or error included). Runs of versions this database does not hold (deleted since,
 * or another installation's on the same Temporal) are not filed. Returns how many rows were added.
 */
export async function indexScheduledRuns(services: IndexerServices): Promise<number> {
  const em = services.orm.em.fork();
  const newest = await em.findOne(Run, { trigger: 'schedule' }, { orderBy: { startedAt: 'desc' }, fields: ['startedAt'] });
  const since = newest ? new Date(newest.startedAt.getTime() - LIST_LAG_MS) : undefined;
  const found = await listScheduledExecutions(services, since);
  if (found.size === 0) return 0;

  const filed = await em.find(Run, { id: { $in: [...found.keys()] } }, { fields: ['id'] });
  for (const run of filed) found.delete(run.id);
  if (found.size === 0) return 0;

  const versionIds = [...new Set([...found.values()].map(({ memo }) => memo.versionId))];
  const versions = new Map((await em.find(WorkflowVersion, { id: { $in: versionIds } }, { populate: ['workflow'] })).map((version) => [version.id, version]));
  const rows: RequiredEntityData<Run>[] = [];
  for (const { execution, memo } of found.values()) {
    const workflow = versions.get(memo.versionId)?.workflow.getEntity();
    if (workflow?.id !== memo.workflowId || workflow.workspace.id !== memo.workspaceId) continue;
    rows.push({
      id: execution.workflowId,
      workspace: memo.workspaceId,
      workflow: memo.workflowId,
      version: memo.versionId,
      versionNumber: memo.versionNumber,
      trigger: 'schedule',
      startedBy: null,
      temporalRunId: execution.runId,
      // Filed as running, then refreshed below like any running row: that reads a closed run's result or error.
      status: 'running',
      inputs: memo.inputs,
      result: null,
      error: null,
      startedAt: execution.startTime,
      endedAt: null,
      rerunOf: null,
      rerunFromNode: null,
    });
  }
  if (rows.length === 0) return 0;
  // Two API processes may file the same run at once: the second insert of an id is ignored.
  const { affectedRows } = await em.createQueryBuilder(Run).insert(rows).onConflict('id').ignore().execute('run');
  runsStarted.inc({ trigger: 'schedule' }, affectedRows);
  const added = await em.find(Run, { id: { $in: rows.map((row) => row.id as string) } });
  await refreshRuns({ em, client: services.temporal.client, logger: services.logger }, added);
  return affectedRows;
}

/** Scheduled executions started since `since` (all when undefined), one per workflow id, keyed by it. */
async function listScheduledExecutions(services: IndexerServices, since: Date | undefined): Promise<Map<string, ScheduledExecution>> {
  const query = `KaiTrigger = 'schedule'${since ? ` AND StartTime >= '${since.toISOString()}'` : ''}`;
  const found = new Map<string, ScheduledExecution>();
  for await (const execution of services.temporal.client.workflow.list({ query })) {
    const memo = readScheduledRunMemo(execution.memo);
    if (memo && !found.has(execution.workflowId)) found.set(execution.workflowId, { execution, memo });
  }
  return found;
}

/** Indexes every `intervalMs` (the first pass at once); the returned function stops it, after a pass under way. */
export function startScheduledRunIndexer(services: IndexerServices, intervalMs: number): () => Promise<void> {
  return repeatEvery(
    intervalMs,
    async () => {
      const added = await indexScheduledRuns(services);
      if (added > 0) services.logger.info({ added }, 'scheduled runs filed in the run index');
    },
    (error) => services.logger.error({ err: error }, 'filing scheduled runs in the run index failed'),
  );
}
