// The one error the CLI and dev script show to a person: its message is the whole story, no stack trace.
export class CliError extends Error {}

/** The message to print for anything thrown: CliError as is, anything else reduced to its first line. */
export function describeError(error: unknown): string {
  if (error instanceof CliError) return error.message;
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n').find((line) => line.trim() !== '')?.trim() ?? 'unknown error';
}
