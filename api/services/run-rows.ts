import type { Database } from '../../db/orm';
import type { Run } from '../../db/entities';
import type { Graph } from '../../engine/graph';
import type { RunResult } from '../../engine/run-state';

/**
 * The run index on the start path, in plain SQL: a REST start with `wait` and a webhook delivery each write one row
 * and update it once, and there the entity manager's unit of work (a transaction per flush, change sets, hydration)
 * cost more CPU than the statements themselves. Everything else reads and refreshes runs through the entities.
 */

export interface NewRunRow {
  id: string;
  workspaceId: string;
  workflowId: string;
  /** Null, with the graph it ran, for a test run of a draft. */
  versionId: string | null;
  versionNumber: number | null;
  graph?: Graph | null;
  trigger: Run['trigger'];
  startedById: string | null;
  temporalRunId: string;
  inputs: Record<string, unknown>;
  startedAt: Date;
  rerunOf?: string | null;
  rerunFromNode?: string | null;
}

/** Inserts a `running` row; a row already there under the id (a retried webhook delivery) is left as it is. */
export async function insertRunRow(orm: Database, row: NewRunRow): Promise<void> {
  await orm.em.getConnection().execute(
    `insert into runs (id, workspace_id, workflow_id, version_id, version_number, graph, trigger, started_by_id, temporal_run_id, status, inputs, started_at, rerun_of, rerun_from_node)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, 'running', ?, ?, ?, ?) on conflict (id) do nothing`,
    [
      row.id,
      row.workspaceId,
      row.workflowId,
      row.versionId,
      row.versionNumber,
      row.graph ? JSON.stringify(row.graph) : null,
      row.trigger,
      row.startedById,
      row.temporalRunId,
      JSON.stringify(row.inputs),
      row.startedAt,
      row.rerunOf ?? null,
      row.rerunFromNode ?? null,
    ],
    'run',
  );
}

/** Removes the row of a run Temporal refused to start. */
export async function deleteRunRow(orm: Database, runId: string): Promise<void> {
  await orm.em.getConnection().execute('delete from runs where id = ?', [runId], 'run');
}

/**
 * The update that marks a `running` row succeeded with the result its waiter holds (a row a refresh settled first is
 * left alone); `temporalRunId`, when given, is saved in the same statement.
 */
export function succeededRunUpdate(runId: string, result: RunResult, endedAt: Date, temporalRunId?: string): { sql: string; params: unknown[] } {
  const runIdColumn = temporalRunId === undefined ? [] : [temporalRunId];
  return {
    sql: `update runs set ${temporalRunId === undefined ? '' : 'temporal_run_id = ?, '}status = 'succeeded', result = ?, error = null, ended_at = ? where id = ? and status = 'running'`,
    params: [...runIdColumn, JSON.stringify(result), endedAt, runId],
  };
}

/** Saves the Temporal run id of a started run, and its success when the caller saw it finish. */
export async function recordRunProgress(orm: Database, runId: string, progress: { temporalRunId: string; succeeded?: { result: RunResult; endedAt: Date } }): Promise<void> {
  const { temporalRunId, succeeded } = progress;
  const { sql, params } = succeeded
    ? succeededRunUpdate(runId, succeeded.result, succeeded.endedAt, temporalRunId)
    : { sql: 'update runs set temporal_run_id = ? where id = ?', params: [temporalRunId, runId] };
  await orm.em.getConnection().execute(sql, params, 'run');
}

export interface RunnableVersion {
  workflowId: string;
  versionId: string;
  versionNumber: number;
  graph: Graph;
}

/**
 * A workflow of the workspace and its published version `number` (the latest when undefined), in one statement:
 * `workflow: false` when there is no such workflow, `version: undefined` when it has no such version.
 */
export async function findRunnableVersion(orm: Database, workspaceId: string, workflowId: string, number: number | undefined): Promise<{ workflow: false } | { workflow: true; workflowName: string; version?: RunnableVersion }> {
  const rows = await orm.em.getConnection().execute<{ name: string; version_id: string | null; number: number | null; graph: Graph | string | null }[]>(
    `select w.name, v.id as version_id, v.number, v.graph from workflows w
     left join workflow_versions v on v.workflow_id = w.id ${number === undefined ? '' : 'and v.number = ?'}
     where w.id = ? and w.workspace_id = ? order by v.number desc nulls last limit 1`,
    number === undefined ? [workflowId, workspaceId] : [number, workflowId, workspaceId],
    'all',
  );
  if (rows.length === 0) return { workflow: false };
  const [row] = rows;
  if (row.version_id === null || row.number === null || row.graph === null) return { workflow: true, workflowName: row.name };
  // The driver parses jsonb; a json column would arrive as text.
  const graph = typeof row.graph === 'string' ? (JSON.parse(row.graph) as Graph) : row.graph;
  return { workflow: true, workflowName: row.name, version: { workflowId, versionId: row.version_id, versionNumber: row.number, graph } };
}
