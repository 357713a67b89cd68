/** Exit codes: 1 when a run fails or Temporal refuses or cannot be reached; 2 when the command or its input is wrong. */
export type ExitCode = 1 | 2;

/** An expected failure: its message is all the user needs, so the CLI prints it without a stack. */
export class CliError extends Error {
  override name = 'CliError';

  constructor(
    message: string,
    readonly exitCode: ExitCode,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** The command line itself is wrong: the CLI prints the message followed by the usage. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
