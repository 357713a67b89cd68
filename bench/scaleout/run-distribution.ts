import type { Client } from '@temporalio/client';
import type { Database } from '../../db/orm';
import { runPooled } from '../lib/pool';

/** Runs whose history is read to see which worker ran them: enough to show the spread, cheap enough to read. */
const SAMPLE = 200;
const READS_IN_FLIGHT = 10;

/**
 * Which worker process ran a sample of the webhook's runs, as counts by process id: the identity of the worker that
 * completed a run's first workflow task (the SDK's default identity is `<pid>@<host>`). Its later tasks and, with
 * eager dispatch, its activities stay on that worker while it lives. Run ids come from the delivery rows the API
 * writes, as the sync answers do not carry them.
 */
export async function runDistribution(client: Client, orm: Database, hookId: string): Promise<Map<number, number>> {
  const rows = await orm.em
    .getConnection()
    .execute<{ run_id: string }[]>('select run_id from webhook_deliveries where webhook_id = ? and run_id is not null order by random() limit ?', [hookId, SAMPLE]);
  const identities = await runPooled(rows.length, READS_IN_FLIGHT, async (i) => {
    const history = await client.workflow.getHandle(rows[i].run_id).fetchHistory();
    return history.events?.find((event) => event.workflowTaskCompletedEventAttributes)?.workflowTaskCompletedEventAttributes?.identity ?? '';
  });
  const byPid = new Map<number, number>();
  for (const identity of identities) {
    const pid = Number(/^(\d+)@/.exec(identity)?.[1] ?? 0);
    byPid.set(pid, (byPid.get(pid) ?? 0) + 1);
  }
  return byPid;
}
