import type { Run } from '../../db/entities';
import type { RunRecordDto, RunSummaryDto, StartedRunDto } from '../../contract/runs';
import { API_BASE_PATH } from '../http/openapi';
import type { ApiServices } from '../services';

/**
 * `temporalRunId` of a row inserted before Temporal accepted the start. The row exists first so that a run can
 * never be started without being indexed; the reconciler settles rows left with this marker.
 */
export const NOT_YET_STARTED = '';

type TemporalLinks = Pick<ApiServices['temporal'], 'namespace' | 'webUiUrl'>;

export function runPath(runId: string): string {
  return `${API_BASE_PATH}/runs/${runId}`;
}

export function runLinks(run: Pick<Run, 'id' | 'temporalRunId'>, temporal: TemporalLinks): RunSummaryDto['links'] {
  const known = temporal.webUiUrl && run.temporalRunId !== NOT_YET_STARTED;
  return {
    self: runPath(run.id),
    events: `${runPath(run.id)}/events`,
    temporalUi: known ? `${temporal.webUiUrl}/namespaces/${temporal.namespace}/workflows/${run.id}/${run.temporalRunId}/history` : null,
  };
}

/** A workflow's latest run in Temporal Web UI (a For Each chunk run, which the run index does not list). */
export function temporalWorkflowLink(workflowId: string, temporal: TemporalLinks): string | null {
  return temporal.webUiUrl ? `${temporal.webUiUrl}/namespaces/${temporal.namespace}/workflows/${encodeURIComponent(workflowId)}` : null;
}

/** What the run DTOs are made of: a run's row, with its workflow's name and who started it. */
export interface RunView extends Pick<Run, 'id' | 'versionNumber' | 'status' | 'trigger' | 'startedAt' | 'endedAt' | 'error' | 'rerunOf' | 'rerunFromNode' | 'inputs' | 'result' | 'temporalRunId'> {
  workflowId: string;
  workflowName: string;
  startedBy: { id: string; email: string } | null;
}

/** `startedBy` and `workflow` must be populated. */
export function viewOfRun(run: Run): RunView {
  const startedBy = run.startedBy?.getEntity();
  return {
    id: run.id,
    workflowId: run.workflow.id,
    workflowName: run.workflow.getEntity().name,
    versionNumber: run.versionNumber,
    status: run.status,
    trigger: run.trigger,
    startedBy: startedBy ? { id: startedBy.id, email: startedBy.email } : null,
    startedAt: run.startedAt,
    endedAt: run.endedAt,
    error: run.error,
    rerunOf: run.rerunOf,
    rerunFromNode: run.rerunFromNode,
    inputs: run.inputs,
    result: run.result,
    temporalRunId: run.temporalRunId,
  };
}

export function toStartedRunDto(run: Pick<RunView, 'id' | 'temporalRunId'>, temporal: TemporalLinks): StartedRunDto {
  return { id: run.id, status: 'running', links: runLinks(run, temporal) };
}

export function toRunSummaryDto(run: RunView, temporal: TemporalLinks): RunSummaryDto {
  const { startedBy } = run;
  return {
    id: run.id,
    workflowId: run.workflowId,
    workflowName: run.workflowName,
    version: run.versionNumber ?? null,
    status: run.status,
    trigger: run.trigger,
    startedBy: startedBy ? { userId: startedBy.id, email: startedBy.email } : null,
    startedAt: run.startedAt.toISOString(),
    endedAt: run.endedAt?.toISOString() ?? null,
    error: run.error ?? null,
    rerunOf: run.rerunOf ?? null,
    rerunFromNode: run.rerunFromNode ?? null,
    links: runLinks(run, temporal),
  };
}

export function toRunRecordDto(run: RunView, temporal: TemporalLinks): RunRecordDto {
  return {
    ...toRunSummaryDto(run, temporal),
    inputs: run.inputs,
    result: run.result ?? null,
    temporal: { workflowId: run.id, runId: run.temporalRunId === NOT_YET_STARTED ? null : run.temporalRunId },
  };
}
