// Container health probe: `node deploy/http-check.mjs <url>` exits 0 when the URL answers 2xx, 1 otherwise.
// The slim runtime image has neither curl nor wget; Node's own fetch does the job. The answer's body is printed so
// `docker inspect` shows which component a readiness check found down.
const TIMEOUT_MS = 4_000;
const BODY_SHOWN = 2_000;

const url = process.argv[2];
if (!url) {
  console.error('usage: node deploy/http-check.mjs <url>');
  process.exit(2);
}
try {
  const response = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS) });
  console.log(`${response.status} ${(await response.text()).slice(0, BODY_SHOWN)}`);
  process.exit(response.ok ? 0 : 1);
} catch (error) {
  console.error(`${url}: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
