/** A mistake in the command line or its input files: reported as one line, exit code 2, no stack trace. */
export class CliUsageError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'CliUsageError';
  }
}
