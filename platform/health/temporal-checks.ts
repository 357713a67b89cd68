import type { Client } from '@temporalio/client';
import { tsToMs } from '@temporalio/common/lib/time';
import type { HealthCheck } from './readiness';

/** A poller seen this recently counts as a live worker (workers poll continuously, each poll lasting up to a minute). */
const POLLER_FRESH_MS = 60_000;
/** temporal.api.enums.v1 values, named here rather than importing the SDK's generated protos. */
const TASK_QUEUE_KIND_NORMAL = 1;
const TASK_QUEUE_TYPE_WORKFLOW = 1;
const TASK_QUEUE_TYPE_ACTIVITY = 2;

/** The frontend answers and knows the namespace runs live in. */
export function temporalCheck(client: Client, namespace: string): HealthCheck {
  return {
    name: 'temporal',
    async probe() {
      const answer = await client.withDeadline(Date.now() + 2_500, () => client.workflowService.describeNamespace({ namespace }));
      return { namespace: answer.namespaceInfo?.name ?? namespace };
    },
  };
}

/**
 * At least one worker polled the task queue for workflow tasks and for activity tasks within the last minute:
 * without one, runs are accepted but nothing moves.
 */
export function workersCheck(client: Client, namespace: string, taskQueue: string): HealthCheck {
  const pollersOf = async (taskQueueType: number) => {
    const answer = await client.withDeadline(Date.now() + 2_500, () =>
      client.workflowService.describeTaskQueue({ namespace, taskQueue: { name: taskQueue, kind: TASK_QUEUE_KIND_NORMAL }, taskQueueType }),
    );
    const since = Date.now() - POLLER_FRESH_MS;
    return (answer.pollers ?? []).filter((poller) => tsToMs(poller.lastAccessTime) >= since).length;
  };
  return {
    name: 'workers',
    async probe() {
      const [workflowPollers, activityPollers] = await Promise.all([pollersOf(TASK_QUEUE_TYPE_WORKFLOW), pollersOf(TASK_QUEUE_TYPE_ACTIVITY)]);
      if (workflowPollers === 0 || activityPollers === 0) {
        throw new Error(`no worker polled task queue "${taskQueue}" in the last minute (workflow pollers ${workflowPollers}, activity pollers ${activityPollers})`);
      }
      return { taskQueue, workflowPollers, activityPollers };
    },
  };
}
