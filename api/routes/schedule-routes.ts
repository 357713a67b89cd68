import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import {
  backfillScheduleBody,
  backfillScheduleDto,
  createScheduleBody,
  listSchedulesQuery,
  scheduleDto,
  scheduleNoteBody,
  scheduleParams,
  triggerScheduleBody,
  updateScheduleBody,
} from '../../contract/schedules';
import { defineRoute, Reply, type Principal } from '../http/define-route';
import type { ApiServices } from '../services';
import { ScheduleService } from '../services/schedule-service';

const tag = 'Schedules';

function schedulesOf({ em, services, principal }: { em: EntityManager; services: ApiServices; principal: Principal }): ScheduleService {
  return new ScheduleService(em, services, principal);
}

function pauseRoute(paused: boolean) {
  return defineRoute({
    method: 'post',
    path: `/schedules/:scheduleId/${paused ? 'pause' : 'unpause'}`,
    summary: paused ? 'Pause a schedule: no runs start until it is unpaused' : 'Unpause a schedule: runs start again when due',
    tag,
    access: 'editor',
    params: scheduleParams,
    body: scheduleNoteBody,
    response: scheduleDto,
    handler: async (input) => schedulesOf(input).setPaused(input.params.scheduleId, paused, input.body?.note),
  });
}

export const scheduleRoutes = [
  defineRoute({
    method: 'post',
    path: '/schedules',
    summary: 'Schedule a published workflow version: cron, intervals, calendars or a one-off time (a Temporal Schedule)',
    tag,
    access: 'editor',
    body: createScheduleBody,
    status: 201,
    response: scheduleDto,
    handler: async (input) => new Reply(201, await schedulesOf(input).create(input.body)),
  }),
  defineRoute({
    method: 'get',
    path: '/schedules',
    summary: "This workspace's schedules, newest first, each as Temporal describes it now",
    tag,
    access: 'viewer',
    query: listSchedulesQuery,
    response: z.array(scheduleDto),
    handler: async (input) => schedulesOf(input).list(input.query.workflowId),
  }),
  defineRoute({
    method: 'get',
    path: '/schedules/:scheduleId',
    summary: 'One schedule: spec, policies, paused or not, runs left, next fire times and recent runs',
    tag,
    access: 'viewer',
    params: scheduleParams,
    response: scheduleDto,
    handler: async (input) => schedulesOf(input).get(input.params.scheduleId),
  }),
  defineRoute({
    method: 'patch',
    path: '/schedules/:scheduleId',
    summary: 'Change a schedule: name, version, spec, policies, runs left or inputs',
    tag,
    access: 'editor',
    params: scheduleParams,
    body: updateScheduleBody,
    response: scheduleDto,
    handler: async (input) => schedulesOf(input).update(input.params.scheduleId, input.body),
  }),
  pauseRoute(true),
  pauseRoute(false),
  defineRoute({
    method: 'post',
    path: '/schedules/:scheduleId/trigger',
    summary: 'Start a run now, as if one were due (also when paused or out of runs)',
    tag,
    access: 'editor',
    apiKeyScope: 'run',
    params: scheduleParams,
    body: triggerScheduleBody,
    status: 202,
    handler: async (input) => {
      await schedulesOf(input).trigger(input.params.scheduleId, input.body?.overlap);
      return new Reply(202, undefined);
    },
  }),
  defineRoute({
    method: 'post',
    path: '/schedules/:scheduleId/backfill',
    summary: 'Start now the runs that were due in a past range [start, end), at most KAI_SCHEDULE_BACKFILL_MAX_RUNS (default 1,000)',
    tag,
    access: 'editor',
    apiKeyScope: 'run',
    params: scheduleParams,
    body: backfillScheduleBody,
    status: 202,
    response: backfillScheduleDto,
    handler: async (input) => new Reply(202, { runs: await schedulesOf(input).backfill(input.params.scheduleId, input.body) }),
  }),
  defineRoute({
    method: 'delete',
    path: '/schedules/:scheduleId',
    summary: 'Delete a schedule (in Temporal, then here); runs it started keep going',
    tag,
    access: 'editor',
    params: scheduleParams,
    status: 204,
    handler: async (input) => {
      await schedulesOf(input).delete(input.params.scheduleId);
      return new Reply(204, undefined);
    },
  }),
];
