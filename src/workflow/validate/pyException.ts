/**
 * A Python exception of the simulated server side: its type name (`KeyError`), `str(ex)` and the
 * traceback frames `traceback.format_tb` prints. Validation turns them into `exception_during_*`
 * reasons; the fake's executor into `execution_error`. It never leaves the library as an error.
 */
export class PyException extends Error {
  constructor(
    readonly pyType: string,
    readonly text: string,
    readonly frames: readonly string[] = [],
  ) {
    super(`${pyType}: ${text}`);
    this.name = 'PyException';
  }

  /** The same exception raised one frame further in (the frame is prepended, as Python unwinds). */
  static wrap(error: unknown): PyException {
    if (error instanceof PyException) return error;
    if (error instanceof RangeError) return new PyException('RecursionError', 'maximum recursion depth exceeded');
    return new PyException('Exception', error instanceof Error ? error.message : String(error));
  }
}
