import type { ScheduleDto } from '$contract/schedules';
import type { WebhookDto } from '$contract/webhooks';
import type { WorkflowDto } from '$contract/workflows';
import { schedulesApi, webhooksApi } from '../api/endpoints';
import { session } from '../session.svelte';
import { createBodyOf, updateBodyOf, type ScheduleDraft } from './schedule-draft';

/**
 * The ways one workflow starts without a person: the webhook endpoints of its published version and its
 * schedules. Every action reads the schedule back from the server (which reads it from Temporal), and any
 * failure is kept in `error` whole, for the page to show.
 */
export class WorkflowTriggers {
  workflow = $state.raw<WorkflowDto | null>(null);
  webhooks = $state.raw<WebhookDto[] | null>(null);
  schedules = $state.raw<ScheduleDto[] | null>(null);
  error = $state<unknown>(null);
  notice = $state('');
  readonly webhookCalls = webhooksApi(session.api);
  private readonly scheduleCalls = schedulesApi(session.api);

  constructor(readonly workflowId: string) {}

  load(): Promise<boolean> {
    return this.act('', async () => {
      const [workflow, webhooks, schedules] = await Promise.all([
        session.workflows.get(this.workflowId),
        this.webhookCalls.list(this.workflowId),
        this.scheduleCalls.list(this.workflowId),
      ]);
      this.workflow = workflow;
      this.webhooks = webhooks;
      this.schedules = schedules;
    });
  }

  /** Creates a schedule, or replaces the editable parts of `existing`. */
  save(draft: ScheduleDraft, existing?: ScheduleDto): Promise<boolean> {
    return this.act(existing ? 'Schedule saved.' : 'Schedule created.', async () => {
      const saved = existing ? await this.scheduleCalls.update(existing.id, updateBodyOf(draft)) : await this.scheduleCalls.create(createBodyOf(draft, this.workflowId));
      this.put(saved);
    });
  }

  setPaused(schedule: ScheduleDto, paused: boolean, note: string): Promise<boolean> {
    return this.act(paused ? 'Paused.' : 'Resumed.', async () => this.put(await this.scheduleCalls.setPaused(schedule.id, paused, note.trim() || undefined)));
  }

  triggerNow(schedule: ScheduleDto): Promise<boolean> {
    return this.act(`"${schedule.name}" triggered: its run appears under Runs.`, () => this.scheduleCalls.trigger(schedule.id));
  }

  backfill(schedule: ScheduleDto, start: string, end: string): Promise<boolean> {
    return this.act(`Backfill of "${schedule.name}" started: the runs due in the range appear under Runs.`, () => this.scheduleCalls.backfill(schedule.id, { start, end }));
  }

  remove(schedule: ScheduleDto): Promise<boolean> {
    return this.act(`"${schedule.name}" deleted.`, async () => {
      await this.scheduleCalls.remove(schedule.id);
      this.schedules = (this.schedules ?? []).filter((candidate) => candidate.id !== schedule.id);
    });
  }

  private put(saved: ScheduleDto): void {
    const list = this.schedules ?? [];
    this.schedules = list.some((candidate) => candidate.id === saved.id) ? list.map((candidate) => (candidate.id === saved.id ? saved : candidate)) : [saved, ...list];
  }

  private async act(notice: string, action: () => Promise<void>): Promise<boolean> {
    this.error = null;
    this.notice = '';
    try {
      await action();
      this.notice = notice;
      return true;
    } catch (error) {
      this.error = error;
      return false;
    }
  }
}
