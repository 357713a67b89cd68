import { spawn } from 'node:child_process';
import { prefixLines } from './prefix-lines';

export interface ChildSpec {
  /** Leads each of its output lines, as `[name]`. */
  name: string;
  command: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
}

export interface ChildExit {
  name: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the process could not be started at all. */
  error?: Error;
}

export interface SupervisedChild {
  name: string;
  /** Settles once the process has exited and its output has been copied out, whatever the reason. */
  exited: Promise<ChildExit>;
  /** SIGTERM, then SIGKILL when it is still running after `graceMs`; resolves once it has exited. */
  stop(graceMs: number): Promise<ChildExit>;
}

/**
 * Runs a long-lived child process whose stdout and stderr are copied to ours, line by line, prefixed.
 *
 * The child gets a process group of its own, so a Ctrl-C in the terminal reaches only the supervisor, which then
 * sends one SIGTERM. Were it in the terminal's group it would get the SIGINT too, and the SIGTERM after it would
 * kill a Temporal worker outright: the SDK drops its signal handlers once a shutdown has begun.
 */
export function startChild(spec: ChildSpec): SupervisedChild {
  const child = spawn(spec.command, spec.args, { cwd: spec.cwd, env: spec.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const prefix = `[${spec.name}]`;
  prefixLines(child.stdout, prefix, process.stdout);
  prefixLines(child.stderr, prefix, process.stderr);
  const exited = new Promise<ChildExit>((resolve) => {
    child.once('error', (error) => resolve({ name: spec.name, code: null, signal: null, error }));
    child.once('close', (code, signal) => resolve({ name: spec.name, code, signal }));
  });
  return {
    name: spec.name,
    exited,
    async stop(graceMs) {
      if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return exited;
      child.kill('SIGTERM');
      const escalate = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const exit = await exited;
      clearTimeout(escalate);
      return exit;
    },
  };
}

export function describeExit(exit: ChildExit): string {
  if (exit.error) return `could not be started: ${exit.error.message}`;
  return exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
}
