import { execFile } from 'node:child_process';
import os from 'node:os';
import { promisify } from 'node:util';

export interface MachineInfo {
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  platform: string;
  node: string;
  temporalCli: string;
}

/** The machine as rows of the table a benchmark prints first. */
export function machineRows(machine: MachineInfo): [string, string][] {
  return [
    ['cpus', `${machine.cpus} × ${machine.cpuModel}`],
    ['memory', `${machine.memoryGiB} GiB`],
    ['platform', machine.platform],
    ['node', machine.node],
    ['temporal CLI', machine.temporalCli],
  ];
}

/** What a reader needs to know before comparing figures from two machines (or two runs on a busy one). */
export async function describeMachine(temporalCliPath: string): Promise<MachineInfo> {
  const { stdout } = await promisify(execFile)(temporalCliPath, ['--version']);
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    node: process.version,
    temporalCli: stdout.trim().replace(/^temporal version /, ''),
  };
}
