import { readdirSync, readFileSync } from 'node:fs';

/** One process as /proc shows it; `startTime` (clock ticks after boot) tells a reused pid from the original. */
export interface ProcessInfo {
  pid: number;
  ppid: number;
  startTime: number;
  state: string;
  rssBytes: number;
  command: string;
}

const PAGE_SIZE = 4096;

/**
 * The process `pid`, or undefined once it is gone. A zombie counts as gone once it is only its leader: a killed
 * process's main thread turns zombie before its other threads have exited and let go of its sockets.
 */
export function readProcess(pid: number): ProcessInfo | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name in parentheses may hold spaces and parentheses itself; the fields after it do not.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const state = fields[0];
    if ((state === 'Z' || state === 'X') && readdirSync(`/proc/${pid}/task`).length <= 1) return undefined;
    const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
    return { pid, ppid: Number(fields[1]), startTime: Number(fields[19]), state, rssBytes: Number(fields[21]) * PAGE_SIZE, command };
  } catch {
    return undefined;
  }
}

/** `root` and every process descended from it, as they are now. */
export function processTree(root: number): ProcessInfo[] {
  const all = readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map((name) => readProcess(Number(name)))
    .filter((info): info is ProcessInfo => info !== undefined);
  const tree = all.filter((info) => info.pid === root);
  for (let index = 0; index < tree.length; index++) tree.push(...all.filter((info) => info.ppid === tree[index].pid));
  return tree;
}

/** True while the very process `info` describes still runs (not another one that was given its pid since). */
export function stillRunning(info: ProcessInfo): boolean {
  return readProcess(info.pid)?.startTime === info.startTime;
}
