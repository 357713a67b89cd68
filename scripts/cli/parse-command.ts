import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError, messageOf } from './cli-error';

type OptionSpecs = NonNullable<ParseArgsConfig['options']>;

/** Parses one command's arguments: exactly the named positionals, only the listed options. */
export function parseCommand<Options extends OptionSpecs>(args: string[], options: Options, positionalNames: string[]) {
  let parsed;
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (cause) {
    throw new UsageError(messageOf(cause), { cause });
  }
  if (parsed.positionals.length !== positionalNames.length) {
    const expected = positionalNames.map((name) => `<${name}>`).join(' ');
    const got = parsed.positionals.length === 0 ? 'nothing' : parsed.positionals.join(' ');
    throw new UsageError(`expected ${expected}, got ${got}`);
  }
  return parsed;
}
