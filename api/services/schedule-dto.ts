import type { ScheduleDescription } from '@temporalio/client';
import type { ScheduleLink } from '../../db/entities';
import type { ScheduleDto } from '../../contract/schedules';
import type { ApiServices } from '../services';
import { scheduledInputs } from './schedule-action';
import { fromTemporalOverlap, fromTemporalSpec } from './schedule-spec';

/** A schedule as the API shows it: the link's names and ids, and everything else as Temporal describes it now. */
export function toScheduleDto(link: ScheduleLink, description: ScheduleDescription, temporal: ApiServices['temporal']): ScheduleDto {
  const version = link.version.getEntity();
  const { state, info, policies } = description;
  return {
    id: link.id,
    name: link.name,
    workflowId: link.workflow.id,
    versionId: version.id,
    versionNumber: version.number,
    createdBy: link.createdBy?.id ?? null,
    createdAt: link.createdAt.toISOString(),
    spec: fromTemporalSpec(description.spec),
    policies: { overlap: fromTemporalOverlap(policies.overlap), catchupWindow: policies.catchupWindow, pauseOnFailure: policies.pauseOnFailure },
    inputs: scheduledInputs(description.action),
    state: { paused: state.paused, note: state.note || null, runsLeft: state.remainingActions ?? null },
    info: {
      nextFireTimes: info.nextActionTimes.map((time) => time.toISOString()),
      recentActions: info.recentActions.map(({ scheduledAt, takenAt, action }) => ({
        scheduledAt: scheduledAt.toISOString(),
        takenAt: takenAt.toISOString(),
        runId: action.workflow.workflowId,
        temporalRunId: action.workflow.firstExecutionRunId,
      })),
      runningRunIds: info.runningActions.map(({ workflow }) => workflow.workflowId),
      actionsTaken: info.numActionsTaken,
      actionsSkippedOverlap: info.numActionsSkippedOverlap,
      actionsMissedCatchupWindow: info.numActionsMissedCatchupWindow,
      updatedAt: info.lastUpdatedAt?.toISOString() ?? null,
    },
    temporalUiUrl: temporal.webUiUrl ? `${temporal.webUiUrl}/namespaces/${encodeURIComponent(temporal.namespace)}/schedules/${link.id}` : null,
  };
}
