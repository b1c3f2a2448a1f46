import pino, { type Logger } from 'pino';

/** Paths pino censors in every record of the library's logger. Fixed list, case-sensitive. */
export const REDACT_PATHS = [
  'headers.authorization',
  'headers.Authorization',
  '*.headers.authorization',
  '*.headers.Authorization',
  'authorization',
  'Authorization',
  'password',
  '*.password',
  'token',
  '*.token',
];

/**
 * The library's logger: a child of the app's logger (silent when none is given), tagged
 * `lib: 'comfyui-rx'`, with credentials redacted whatever the app's own settings are.
 */
export function libLogger(app?: Logger): Logger {
  const parent = app ?? pino({ level: 'silent' });
  return parent.child({ lib: 'comfyui-rx' }, { redact: { paths: REDACT_PATHS, censor: '[Redacted]' } });
}

export type { Logger };
