import { percentile } from './stats';

/**
 * Where one canvas open spent its time, on the page's own clock (milliseconds since navigation started): the
 * document, the app's scripts, the app's `kai:<phase>` marks (web/src/lib/perf/phase-marks.ts), each API request
 * (sent → answered) and the benchmark's own moments (every node in the DOM, interactive).
 */
export type OpenPhases = Record<string, number>;

/**
 * Evaluated in the page after an open; passed as text since the bench is type-checked without the DOM's types.
 * API paths have their ids replaced by `:id` so that opens of different workflows line up.
 */
export const READ_PHASES = `(() => {
  const phases = {};
  const navigation = performance.getEntriesByType('navigation')[0];
  phases['document answered'] = navigation.responseEnd;
  const resources = performance.getEntriesByType('resource');
  const scripts = resources.filter((entry) => new URL(entry.name).pathname.endsWith('.js'));
  if (scripts.length > 0) phases['scripts loaded'] = Math.max(...scripts.map((entry) => entry.responseEnd));
  for (const mark of performance.getEntriesByType('mark')) if (mark.name.startsWith('kai:')) phases['mark ' + mark.name.slice(4)] = mark.startTime;
  for (const entry of resources) {
    const path = new URL(entry.name).pathname;
    if (!path.startsWith('/api/')) continue;
    const name = path.replace(/^\\/api\\/v1/, '').replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, ':id');
    phases['GET ' + name + ' sent'] = entry.startTime;
    phases['GET ' + name + ' answered'] = entry.responseEnd;
  }
  return phases;
})()`;

/** One row per phase: its median and max over the opens, earliest first; phases missing from an open are left out. */
export function phaseTable(opens: readonly OpenPhases[]): (string | number)[][] {
  const names = [...new Set(opens.flatMap((open) => Object.keys(open)))];
  const rows = names.map((name) => {
    const values = opens.map((open) => open[name]).filter((value): value is number => value !== undefined).sort((a, b) => a - b);
    return { name, median: Math.round(percentile(values, 50)), max: Math.round(values[values.length - 1]), count: values.length };
  });
  rows.sort((a, b) => a.median - b.median);
  return rows.map((row) => [row.name, row.median, row.max, row.count]);
}
