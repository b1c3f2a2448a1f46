import { ComfyClient } from '../client';
import type { FakeComfyServer } from '../testing';
import type { CliContext } from './CliContext';
import { checkServer } from './checkServer';
import { serverUrl } from './serverUrl';
import { clientOptions } from './clientOptions';

/** A checked client, and the embedded fake server it talks to when there is one. */
export interface CliTarget {
  readonly client: ComfyClient;
  /** Started by us (demo without COMFYUI_URL); stopped by {@link CliTarget.close}. */
  readonly fake?: FakeComfyServer;
  close(): Promise<void>;
}

/** Options of {@link openClient}. */
export interface OpenClientOptions {
  /** Start an embedded FakeComfyServer when neither `--url` nor `COMFYUI_URL` is set. */
  readonly fakeWhenUnset?: boolean;
  /** Overall budget of each prompt, ms. */
  readonly timeoutMs?: number;
}

/** How long closing waits for the client's socket to leave the embedded fake before stopping it. */
const FAKE_CLOSE_WAIT_MS = 2_000;

/** Sampler step time of the embedded fake: slow enough to watch the bars, fast enough for a demo. */
export const DEMO_STEP_LATENCY_MS = 40;

/**
 * The client of the command's server (`--url`, `COMFYUI_URL`, default), checked to answer before any
 * work (unreachable: `ComfyConnectionError`, exit 3). With `fakeWhenUnset` and no URL given, starts
 * an embedded FakeComfyServer instead and says so.
 */
export async function openClient(ctx: CliContext, options: OpenClientOptions = {}): Promise<CliTarget> {
  const { url, source } = serverUrl(ctx.urlFlag, ctx.env);
  let fake: FakeComfyServer | undefined;
  let target = url;
  if (options.fakeWhenUnset && source === 'default') {
    const { FakeComfyServer } = await import('../testing');
    fake = await FakeComfyServer.start({ stepLatencyMs: DEMO_STEP_LATENCY_MS });
    target = fake.url;
  }
  // lingerMs 0: jobs hold the socket themselves; once they end, nothing should keep the process alive.
  const client = new ComfyClient({ url: target, ...clientOptions(ctx), ...(fake ? { api: 'native' as const } : {}), timeoutMs: options.timeoutMs, lingerMs: 0 });
  const close = async (): Promise<void> => {
    if (!fake) return;
    // Let the client's socket close first, so it does not see the server go and try to reconnect.
    if (fake.stats.wsOpen > 0) await fake.waitFor('ws-close', undefined, FAKE_CLOSE_WAIT_MS).catch(() => undefined);
    await fake.stop();
  };
  try {
    await checkServer(client, ctx.connectTimeoutMs);
  } catch (err) {
    await close();
    throw err;
  }
  // what the server is, the log does not guess: an embedded fake says so, any other server is the one at the URL
  ctx.logger.info({ url: client.url }, fake ? 'using an embedded FakeComfyServer' : 'server answers');
  return { client, fake, close };
}
