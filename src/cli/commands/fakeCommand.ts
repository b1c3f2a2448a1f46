import type { CliContext } from '../CliContext';
import { CliUsageError } from '../CliUsageError';
import { ExitCode } from '../exitCodes';

/** Options of `comfyui-rx fake`. */
export interface FakeCommandOptions {
  readonly port: number;
  readonly host: string;
  readonly stepLatencyMs: number;
  readonly nodeLatencyMs: number;
  /** Serve unchanged nodes from the cache like ComfyUI. */
  readonly cache: boolean;
  /** Samplers send a preview per step (`previewMethod: 'auto'`). */
  readonly previews?: boolean;
  /** The ComfyUI version to answer as (`0.8.0` default, or a newer one such as `0.38.1`). */
  readonly serverVersion?: string;
}

/**
 * `comfyui-rx fake`: starts the embedded FakeComfyServer (placeholder images, no model) for demos
 * and tests, prints its URL, and runs until Ctrl-C (exit 0).
 */
export async function fakeCommand(ctx: CliContext, options: FakeCommandOptions): Promise<ExitCode> {
  const { FakeComfyServer } = await import('../../testing');
  let fake: Awaited<ReturnType<typeof FakeComfyServer.start>>;
  try {
    fake = await FakeComfyServer.start({ port: options.port, host: options.host, stepLatencyMs: options.stepLatencyMs, nodeLatencyMs: options.nodeLatencyMs, cache: options.cache, previewMethod: options.previews ? 'auto' : 'none', logger: ctx.logger, ...(options.serverVersion ? { version: options.serverVersion } : {}) });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new CliUsageError(`port ${options.port} on ${options.host} is in use; pass --port 0 for a free one`);
    if (code === 'EADDRNOTAVAIL' || code === 'EACCES') throw new CliUsageError(`cannot listen on ${options.host}:${options.port} (${code})`);
    throw err;
  }
  if (ctx.json) ctx.out(`${JSON.stringify({ type: 'listening', url: fake.url, version: options.serverVersion ?? '0.8.0' })}\n`);
  else ctx.out(`FakeComfyServer (ComfyUI ${options.serverVersion ?? '0.8.0'}) listening on ${fake.url}\n  try: COMFYUI_URL=${fake.url} comfyui-rx health\n  Ctrl-C stops it\n`);
  await new Promise<void>((resolve) => {
    if (ctx.signal.aborted) resolve();
    else ctx.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await fake.stop();
  if (!ctx.json) ctx.out('FakeComfyServer stopped\n');
  return ExitCode.ok;
}
