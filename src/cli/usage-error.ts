/**
 * A mistake in how a command was called (exit code 2 and a pointer to --help). In its own file so
 * that modules a batch worker loads (the colorizer, workflow files) do not pull in every command.
 */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
