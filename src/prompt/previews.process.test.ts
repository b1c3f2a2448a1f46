/**
 * The `previews` run option against a fake ComfyUI in a process of its own (`comfyui-rx fake
 * --previews`), so that it keeps sending while this process is busy: a subscriber that spends 15 ms
 * of CPU on each preview falls behind a sampler that sends one per millisecond.
 */
import { performance } from 'node:perf_hooks';
import { lastValueFrom, tap, toArray } from 'rxjs';
import { type LineProcess, spawnTs } from '../queue/__fixtures__/processes';
import { ComfyClient } from '../client';
import { ComfyOptionsError } from '../errors';
import type { Workflow } from '../protocol/api';
import type { PromptEvent } from './events';
import type { PreviewPolicy } from './previewPolicy';

jest.setTimeout(60_000);

const STEPS = 40;
const sampler = (seed: number): Workflow => ({
  '4': { class_type: 'CheckpointLoaderSimple', inputs: { ckpt_name: 'v1-5-pruned-emaonly.safetensors' } },
  '5': { class_type: 'EmptyLatentImage', inputs: { width: 64, height: 64, batch_size: 1 } },
  '6': { class_type: 'CLIPTextEncode', inputs: { text: 'a cat', clip: ['4', 1] } },
  '3': { class_type: 'KSampler', inputs: { seed, steps: STEPS, cfg: 7, sampler_name: 'euler', scheduler: 'normal', denoise: 1, model: ['4', 0], positive: ['6', 0], negative: ['6', 0], latent_image: ['5', 0] } },
  '8': { class_type: 'VAEDecode', inputs: { samples: ['3', 0], vae: ['4', 2] } },
  '9': { class_type: 'PreviewImage', inputs: { images: ['8', 0] } },
});

/** CPU work of a subscriber drawing a preview (not a wait for anything). */
const busyFor = (ms: number): void => {
  const until = performance.now() + ms;
  while (performance.now() < until);
};

describe('the previews run option (a fake in another process)', () => {
  let fake: LineProcess;
  let comfy: ComfyClient;
  beforeAll(async () => {
    fake = spawnTs('src/cli/main.ts', ['fake', '--port', '0', '--step-latency', '1', '--previews', '--no-cache']);
    const url = /listening on (\S+)/.exec(await fake.waitLine(/listening on /))![1]!;
    comfy = new ComfyClient({ url, lingerMs: 0 });
  });
  afterAll(async () => {
    comfy.close();
    await fake.kill('SIGTERM');
  });

  const run = (previews: PreviewPolicy, seed: number) =>
    lastValueFrom(
      comfy.run(sampler(seed), { previews }).pipe(
        tap((event) => event.type === 'preview' && busyFor(15)),
        toArray(),
      ),
    );
  const count = (events: PromptEvent[], type: PromptEvent['type']) => events.filter((event) => event.type === type).length;
  /** Every other event, in order, without what differs between two prompts (ids, file names, times). */
  const withoutPreviews = (events: PromptEvent[]) =>
    events.filter((event) => event.type !== 'preview').map((event) => (event.type === 'progress' ? `progress ${event.node} ${event.value}/${event.max}` : `${event.type} ${'node' in event ? event.node : ''}`));

  it("'all' delivers every preview (one per step), however slow the subscriber", async () => {
    const events = await run('all', 1);
    expect(count(events, 'preview')).toBe(STEPS);
    expect(count(events, 'progress')).toBe(STEPS);
  });

  it("'latest' skips the previews a busy subscriber could not take, and no other event", async () => {
    const all = await run('all', 2);
    const latest = await run('latest', 2);
    expect(count(latest, 'preview')).toBeGreaterThan(0);
    expect(count(latest, 'preview')).toBeLessThan(STEPS);
    expect(withoutPreviews(latest)).toEqual(withoutPreviews(all));
  });

  it("'none' delivers no preview, and every other event", async () => {
    const all = await run('all', 3);
    const none = await run('none', 3);
    expect(count(none, 'preview')).toBe(0);
    expect(withoutPreviews(none)).toEqual(withoutPreviews(all));
  });

  it('an unknown policy fails the run with ComfyOptionsError, before anything is posted', async () => {
    const error = await lastValueFrom(comfy.run(sampler(4), { previews: 'some' as PreviewPolicy })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ComfyOptionsError);
  });
});
