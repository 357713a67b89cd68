import { execFile } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import type { ScheduleDto } from '$contract/schedules';
import { curlExample, SECRET_PLACEHOLDER, shellQuote, type CurlTarget } from './curl-example';
import { cronPatternOf, formatInZone, nextFireTimes } from './fire-times';
import { createBodyOf, draftOf, DraftProblem, emptyDraft, updateBodyOf } from './schedule-draft';

const iso = (times: Date[] | undefined) => times?.map((time) => time.toISOString());

describe('next fire times', () => {
  const after = new Date('2030-03-29T12:00:00Z');

  it('reads a cron in the chosen time zone, across a daylight-saving change', () => {
    const paris = nextFireTimes({ kind: 'cron', expression: '30 9 * * *' }, { timezone: 'Europe/Paris', count: 3, after });
    // Paris moves from UTC+1 to UTC+2 on 31 March 2030.
    expect(iso(paris.times)).toEqual(['2030-03-30T08:30:00.000Z', '2030-03-31T07:30:00.000Z', '2030-04-01T07:30:00.000Z']);
    const utc = nextFireTimes({ kind: 'cron', expression: '30 9 * * *' }, { timezone: 'UTC', count: 1, after });
    expect(iso(utc.times)).toEqual(['2030-03-30T09:30:00.000Z']);
  });

  it("takes Temporal's six fields as a year last, seven as second first, and shorthands", () => {
    expect(cronPatternOf('0 12 * * * 2031')).toBe('0 0 12 * * * 2031');
    expect(iso(nextFireTimes({ kind: 'cron', expression: '0 12 1 JAN * 2031' }, { timezone: 'UTC', count: 2, after }).times)).toEqual(['2031-01-01T12:00:00.000Z']);
    expect(iso(nextFireTimes({ kind: 'cron', expression: '15 0 12 * * * *' }, { timezone: 'UTC', count: 1, after }).times)).toEqual(['2030-03-29T12:00:15.000Z']);
    expect(iso(nextFireTimes({ kind: 'cron', expression: '@monthly' }, { timezone: 'UTC', count: 1, after }).times)).toEqual(['2030-04-01T00:00:00.000Z']);
  });

  it('needs both a day of month and a day of week when both are given, as Temporal calendars do', () => {
    // Friday the 13th: September and December 2030.
    expect(iso(nextFireTimes({ kind: 'cron', expression: '0 0 13 * FRI' }, { timezone: 'UTC', count: 2, after }).times)).toEqual(['2030-09-13T00:00:00.000Z', '2030-12-13T00:00:00.000Z']);
  });

  it('counts intervals from the epoch plus the offset', () => {
    const times = nextFireTimes({ kind: 'interval', everyMs: 3_600_000, offsetMs: 900_000 }, { timezone: 'Asia/Tokyo', count: 2, after: new Date('2030-03-29T12:15:00Z') });
    expect(iso(times.times)).toEqual(['2030-03-29T13:15:00.000Z', '2030-03-29T14:15:00.000Z']);
    expect(nextFireTimes({ kind: 'interval', everyMs: 500, offsetMs: 0 }, { timezone: 'UTC' }).problem).toMatch(/at least 1 second/);
    expect(nextFireTimes({ kind: 'interval', everyMs: 60_000, offsetMs: 60_000 }, { timezone: 'UTC' }).problem).toMatch(/less than every/);
  });

  it('names the problem of a bad expression, zone or a cron that never fires again', () => {
    expect(nextFireTimes({ kind: 'cron', expression: '61 * * * *' }, { timezone: 'UTC' }).problem).toMatch(/^minute: "61"/);
    expect(nextFireTimes({ kind: 'cron', expression: '* * *' }, { timezone: 'UTC' }).problem).toMatch(/expected 5 fields/);
    expect(nextFireTimes({ kind: 'cron', expression: '0 0 * * *' }, { timezone: 'Mars/Olympus' }).problem).toBe('unknown time zone "Mars/Olympus"');
    expect(nextFireTimes({ kind: 'cron', expression: '0 0 1 1 * 2001' }, { timezone: 'UTC', after }).problem).toBe('this expression never fires again');
  });

  it('formats a time in the zone it is previewed in', () => {
    expect(formatInZone(new Date('2030-03-30T08:30:00Z'), 'Europe/Paris')).toMatch(/30 Mar 2030.*09:30:00/);
  });
});

describe('schedule drafts', () => {
  const schedule = (spec: Partial<ScheduleDto['spec']>): ScheduleDto => ({
    id: 'sch-1',
    name: 'Nightly',
    workflowId: '00000000-0000-4000-8000-000000000001',
    versionId: '00000000-0000-4000-8000-000000000002',
    versionNumber: 1,
    createdBy: null,
    createdAt: '2030-01-01T00:00:00.000Z',
    spec: { cron: [], intervals: [], calendars: [], at: null, startAt: null, endAt: null, jitter: 0, timezone: 'Europe/Paris', ...spec },
    policies: { overlap: 'buffer_one', catchupWindow: 60_000, pauseOnFailure: true },
    inputs: { city: 'Paris' },
    state: { paused: false, note: null, runsLeft: null },
    info: { nextFireTimes: [], recentActions: [], runningRunIds: [], actionsTaken: 0, actionsSkippedOverlap: 0, actionsMissedCatchupWindow: 0, updatedAt: null },
    temporalUiUrl: null,
  });

  it('builds a create body from a cron draft, and refuses inputs that are not a JSON object', () => {
    const draft = { ...emptyDraft('Asia/Tokyo'), name: ' Morning ', cron: '0 7 * * *', inputs: '{"a":1}' };
    expect(createBodyOf(draft, 'wf')).toEqual({ workflowId: 'wf', name: 'Morning', spec: { cron: ['0 7 * * *'], timezone: 'Asia/Tokyo' }, policies: { overlap: 'skip', pauseOnFailure: false }, inputs: { a: 1 } });
    expect(() => createBodyOf({ ...draft, inputs: '[1]' }, 'wf')).toThrow(DraftProblem);
    expect(() => createBodyOf({ ...draft, inputs: '{oops' }, 'wf')).toThrow(/^inputs: not JSON/);
  });

  it('reads a saved interval back in its largest even unit and sends it as milliseconds', () => {
    const draft = draftOf(schedule({ intervals: [{ every: 7_200_000, offset: 90_000 }] }));
    expect(draft).toMatchObject({ kind: 'interval', every: 2, everyUnit: 'hours', offset: 90, offsetUnit: 'seconds', overlap: 'buffer_one', pauseOnFailure: true, replacesSpec: false });
    expect(updateBodyOf(draft).spec).toEqual({ intervals: [{ every: 7_200_000, offset: 90_000 }], timezone: 'Europe/Paris' });
  });

  it('warns when the saved spec holds more than the editor shows', () => {
    expect(draftOf(schedule({ cron: ['0 1 * * *'] })).replacesSpec).toBe(false);
    expect(draftOf(schedule({ cron: ['0 1 * * *', '0 2 * * *'] })).replacesSpec).toBe(true);
    expect(draftOf(schedule({ calendars: [{ hour: 3 }] })).replacesSpec).toBe(true);
  });
});

describe('curl example', () => {
  const hook: CurlTarget = {
    url: 'http://127.0.0.1:1/api/webhooks/wh_x',
    authMode: 'token',
    tokenHeader: 'authorization',
    signatureHeader: 'x-kai-signature',
    timestampHeader: null,
    allowedMethods: ['POST'],
    allowedContentTypes: ['application/json'],
  };

  interface Delivery {
    method?: string;
    headers: IncomingHttpHeaders;
    body: string;
  }

  /** Runs the snippet in bash against a local server and answers what the server received. */
  async function deliver(target: CurlTarget, secret: string): Promise<Delivery> {
    let received: Delivery | undefined;
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        received = { method: request.method, headers: request.headers, body: Buffer.concat(chunks).toString() };
        response.end('{}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/webhooks/wh_x`;
      await promisify(execFile)('bash', ['-c', `set -e\n${curlExample({ ...target, url }, secret)} --silent --fail`]);
    } finally {
      server.close();
    }
    if (!received) throw new Error('nothing was delivered');
    return received;
  }

  it('quotes for the shell', () => {
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
  });

  it('shows a placeholder until the secret is given', () => {
    expect(curlExample(hook)).toContain(`Authorization: Bearer ${SECRET_PLACEHOLDER}`);
    expect(curlExample({ ...hook, tokenHeader: 'x-token' }, 's3cr3t')).toContain(`-H 'x-token: s3cr3t'`);
    expect(curlExample({ ...hook, authMode: 'none' })).not.toContain(SECRET_PLACEHOLDER);
  });

  it('delivers a bearer token as written', async () => {
    const got = await deliver(hook, "tok'en");
    expect(got).toMatchObject({ method: 'POST', body: '{"hello":"world"}', headers: { authorization: "Bearer tok'en", 'content-type': 'application/json' } });
  });

  it('signs "<timestamp>.<body>" with HMAC-SHA256 as the endpoint checks it', async () => {
    const secret = 'k3y-with-$pecial`chars';
    const got = await deliver({ ...hook, authMode: 'hmac', signatureHeader: 'x-signature', timestampHeader: 'x-timestamp', allowedMethods: ['PUT'] }, secret);
    const timestamp = String(got.headers['x-timestamp']);
    expect(Math.abs(Number(timestamp) - Date.now() / 1000)).toBeLessThan(60);
    expect(got.method).toBe('PUT');
    expect(got.headers['x-signature']).toBe(`sha256=${createHmac('sha256', secret).update(`${timestamp}.${got.body}`).digest('hex')}`);
  });

  it('signs the body alone when the hook has no timestamp header', async () => {
    const got = await deliver({ ...hook, authMode: 'hmac' }, 'abc');
    expect(got.headers['x-kai-signature']).toBe(`sha256=${createHmac('sha256', 'abc').update(got.body).digest('hex')}`);
  });
});
