import { request as httpRequest } from 'node:http';
import { randomUUID } from 'node:crypto';
import { createApiHarness, type ApiHarness } from '../../test/api-harness';
import { ApiError } from '../http/api-error';
import { checkSignInAllowed, clientAddressKey, delayAfter, recordSignInAttempt, SIGN_IN_THROTTLE } from './sign-in-throttle';

/**
 * What the sign-in throttle promises: guessing slows the guesser, with waits that grow, and never locks the
 * account's owner out from their own address; the answers are the same whether the email has an account or not.
 * Time is the test's: every check and attempt is given its instant.
 */

let api: ApiHarness;
beforeAll(async () => {
  api = await createApiHarness();
}, 120_000);
afterAll(() => api?.close());

const em = () => api.database.orm.em.fork();
const newEmail = () => `target-${randomUUID()}@example.com`;
const T0 = Date.parse('2030-01-01T00:00:00Z');

/** The Retry-After (seconds) a sign-in would be refused with at `now`, or 0 when it may go ahead. */
async function retryAfter(email: string, ip: string, now: number): Promise<number> {
  try {
    await checkSignInAllowed(em(), email, ip, now);
    return 0;
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 429) throw error;
    return Number(error.headers['retry-after']);
  }
}

const fail = (email: string, ip: string, now: number) => recordSignInAttempt(em(), { email, ip, succeeded: false, reason: 'wrong password' }, now);

test('an address may fail a few times on an account, then waits that double with every further failure, up to a cap', async () => {
  const email = newEmail();
  let now = T0;
  for (let i = 0; i < SIGN_IN_THROTTLE.freeFailures - 1; i++) {
    expect(await retryAfter(email, '203.0.113.7', now)).toBe(0);
    await fail(email, '203.0.113.7', now);
  }
  const waits: number[] = [];
  for (let i = 0; i < 10; i++) {
    expect(await retryAfter(email, '203.0.113.7', now)).toBe(0);
    await fail(email, '203.0.113.7', now);
    const wait = await retryAfter(email, '203.0.113.7', now);
    waits.push(wait);
    // Refused until the wait is over, to the millisecond, and no sooner.
    expect(await retryAfter(email, '203.0.113.7', now + wait * 1000 - 1)).toBeGreaterThan(0);
    now += wait * 1000;
  }
  expect(waits).toEqual([15, 30, 60, 120, 240, 480, 900, 900, 900, 900]);
  expect(delayAfter(SIGN_IN_THROTTLE.freeFailures - 1)).toBe(0);
});

test('failures from one address never hold up the owner at another, and a success starts the count again', async () => {
  const email = newEmail();
  for (let i = 0; i < 30; i++) await fail(email, '198.51.100.9', T0 + i);
  expect(await retryAfter(email, '198.51.100.9', T0 + 30)).toBe(900);
  expect(await retryAfter(email, '192.0.2.44', T0 + 30)).toBe(0);

  const owner = newEmail();
  for (let i = 0; i < SIGN_IN_THROTTLE.freeFailures; i++) await fail(owner, '192.0.2.44', T0 + i);
  expect(await retryAfter(owner, '192.0.2.44', T0 + 10)).toBe(15);
  await recordSignInAttempt(em(), { email: owner, ip: '192.0.2.44', succeeded: true }, T0 + 20_000);
  expect(await retryAfter(owner, '192.0.2.44', T0 + 20_001)).toBe(0);
});

test('an address has a budget of failures across all accounts; other addresses keep theirs', async () => {
  const { addressFailures, addressWindowMs } = SIGN_IN_THROTTLE;
  for (let i = 0; i < addressFailures; i++) await fail(newEmail(), '203.0.113.200', T0 + i * 1000);
  const last = T0 + (addressFailures - 1) * 1000;
  const untouched = newEmail();
  expect(await retryAfter(untouched, '203.0.113.200', last + 1)).toBe(Math.ceil((T0 + addressWindowMs - last - 1) / 1000));
  expect(await retryAfter(untouched, '203.0.113.201', last + 1)).toBe(0);
  // The oldest failure leaves the window: one more may be tried.
  expect(await retryAfter(untouched, '203.0.113.200', T0 + addressWindowMs)).toBe(0);
});

test('IPv6 clients count by their /64, and an IPv4-mapped address as its IPv4 address', async () => {
  expect(clientAddressKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
  expect(clientAddressKey('::ffff:198.51.100.3')).toBe('198.51.100.3');
  const email = newEmail();
  for (let i = 0; i < SIGN_IN_THROTTLE.freeFailures; i++) await fail(email, `2001:db8:1:2::${i + 1}`, T0 + i);
  expect(await retryAfter(email, '2001:db8:1:2:ffff::9', T0 + 10)).toBe(15);
  expect(await retryAfter(email, '2001:db8:1:3::1', T0 + 10)).toBe(0);
});

interface Answer {
  status: number;
  retryAfter: string | null;
  body: unknown;
}

/** POST /auth/signin over loopback from `localAddress`, so the API sees that client address. */
function signInFrom(localAddress: string, email: string, password: string): Promise<Answer> {
  const url = new URL('/api/v1/auth/signin', api.url);
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { method: 'POST', localAddress, headers: { 'content-type': 'application/json' } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const retry = response.headers['retry-after'];
        resolve({ status: response.statusCode ?? 0, retryAfter: typeof retry === 'string' ? retry : null, body: JSON.parse(Buffer.concat(chunks).toString()) });
      });
    });
    request.on('error', reject);
    request.end(JSON.stringify({ email, password }));
  });
}

test('over HTTP: 30 wrong passwords from one address leave the owner free to sign in from another; unknown emails answer alike', async () => {
  const owner = await api.signUp('locked-out-no-more');
  const nobody = newEmail();
  const answersFor = async (email: string) => {
    const wrong: Answer[] = [];
    for (let i = 0; i < 30; i++) wrong.push(await signInFrom('127.0.0.3', email, 'not the password'));
    return { wrong, rightFromAttacker: await signInFrom('127.0.0.3', email, owner.password) };
  };
  const known = await answersFor(owner.email);
  const unknown = await answersFor(nobody);

  expect(known.wrong.map((answer) => answer.status)).toEqual([...Array(SIGN_IN_THROTTLE.freeFailures).fill(401), ...Array(30 - SIGN_IN_THROTTLE.freeFailures).fill(429)]);
  expect(known.rightFromAttacker.status).toBe(429);
  expect(Number(known.rightFromAttacker.retryAfter)).toBeGreaterThan(0);
  // The same statuses, bodies and headers whether or not the email has an account (the seconds left aside).
  const comparable = ({ wrong, rightFromAttacker }: typeof known) =>
    [...wrong, rightFromAttacker].map(({ status, retryAfter, body }) => ({ status, retryAfter: retryAfter !== null, body: JSON.stringify(body).replace(/\d+ s\b/, 'N s') }));
  expect(comparable(unknown)).toEqual(comparable(known));

  const fromHome = await signInFrom('127.0.0.4', owner.email, owner.password);
  expect(fromHome.status).toBe(200);
  // Refused attempts never reached the password check and are not recorded as guesses.
  const rows = await em().getConnection().execute('select count(*)::int as n from sign_in_attempts where email = ? and ip = ?', [owner.email, '127.0.0.3']);
  expect(rows[0].n).toBe(SIGN_IN_THROTTLE.freeFailures);
  // Twelve argon2 checks on a shared machine.
}, 120_000);
