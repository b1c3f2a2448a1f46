/** Exit codes of `comfyui-rx`, stable across versions (documented in every `--help`). */
export const ExitCode = {
  /** Everything asked for was done. */
  ok: 0,
  /** Some items failed (execution error, interrupt, timeout); the others were saved. */
  itemsFailed: 1,
  /** Invalid arguments or usage (unknown option, bad value, unreadable or invalid file). */
  usage: 2,
  /** The server cannot be reached or refused the connection (network, 401/403, socket gone for good). */
  unreachable: 3,
  /** The server rejected the workflow (validation error: unknown node, bad input, missing model). */
  rejected: 4,
  /** Stopped by Ctrl-C (SIGINT); prompts in flight were cancelled on the server. */
  interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** The exit-code table shown at the end of every command's `--help`. */
export const EXIT_CODES_HELP = `
Exit codes:
  0    ok
  1    some items failed (execution error, interrupted, timeout); the others were saved
  2    invalid arguments or usage (bad option value, unreadable or invalid file)
  3    cannot reach the server (network error, 401/403, connection lost for good)
  4    the server rejected the workflow (validation error)
  130  interrupted with Ctrl-C (prompts in flight are cancelled on the server)

Environment:
  COMFYUI_URL   server URL when --url is not given (default http://127.0.0.1:8188);
                http://user:pass@host works, credentials are never printed`;
