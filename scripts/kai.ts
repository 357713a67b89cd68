import { ConfigError } from '../platform/config';
import { CliError, UsageError } from './cli/cli-error';
import { decideCommand } from './cli/commands/decide';
import { runCommand } from './cli/commands/run';
import { statusCommand } from './cli/commands/status';
import { validateCommand } from './cli/commands/validate';
import { USAGE } from './cli/usage';

/** `npm run kai -- <command>`: run, validate, approve, reject and inspect graph runs from a terminal. */
const commands = new Map<string, (args: string[]) => Promise<number>>([
  ['run', runCommand],
  ['validate', validateCommand],
  ['approve', decideCommand(true)],
  ['reject', decideCommand(false)],
  ['status', statusCommand],
]);

async function main(argv: string[]): Promise<number> {
  if (argv[0] === 'help' || argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  const [name, ...args] = argv;
  const command = commands.get(name);
  if (!command) throw new UsageError(name === undefined ? 'no command given' : `unknown command "${name}"`);
  return command(args);
}

function exitCodeFor(error: unknown): number {
  if (error instanceof UsageError) {
    console.error(`kai: ${error.message}\n\n${USAGE}`);
    return 2;
  }
  if (error instanceof CliError || error instanceof ConfigError) {
    console.error(`kai: ${error.message}`);
    return error instanceof CliError ? error.exitCode : 2;
  }
  console.error(error);
  return 1;
}

main(process.argv.slice(2)).then(
  (code) => void (process.exitCode = code),
  (error: unknown) => void (process.exitCode = exitCodeFor(error)),
);
