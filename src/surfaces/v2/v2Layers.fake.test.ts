import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { firstValueFrom, lastValueFrom, merge, toArray } from 'rxjs';
import text2imageJson from '../../../examples/workflows/text2image.json';
import { generate } from '../../batch/generate';
import { text2image } from '../../batch/text2image';
import { ComfyClient } from '../../client';
import { saveOutputs } from '../../outputs/saveOutputs';
import { ComfyPool } from '../../pool/comfyPool';
import type { PoolDoneEvent, PoolEvent } from '../../pool/events';
import { Workflow } from '../../protocol/api';
import { FakeComfyServer } from '../../testing/FakeComfyServer';

const image = (prefix: string) => ({
  '1': { class_type: 'EmptyImage', inputs: { width: 16, height: 16, batch_size: 1, color: 0 } },
  '2': { class_type: 'SaveImage', inputs: { images: ['1', 0], filename_prefix: prefix } },
});
const PNG = '89504e470d0a1a0a';

describe('the layers above the client on the Comfy API v2', () => {
  let local: FakeComfyServer;
  let cloud: FakeComfyServer;
  let dir: string;
  beforeEach(async () => {
    [local, cloud] = await Promise.all([FakeComfyServer.start({ v2: { enabled: false } }), FakeComfyServer.start({ v2: { apiKey: 'cloud-key' } })]);
    dir = await mkdtemp(join(tmpdir(), 'comfyrx-v2layers-'));
  });
  afterEach(async () => {
    await Promise.all([local.stop(), cloud.stop()]);
    await rm(dir, { recursive: true, force: true });
  });

  it("a pool mixing a native server and a v2 endpoint: in-order overflow to the cloud once the local slot is taken; outputs saved from each", async () => {
    local.setNodeLatency(30);
    const pool = new ComfyPool({
      servers: [
        { url: local.url, name: 'local', maxConcurrent: 1 },
        { url: cloud.url, name: 'cloud', api: 'v2', apiKey: 'cloud-key', maxConcurrent: 4 },
      ],
      strategy: 'in-order',
    });
    const hold = pool.connect();
    try {
      await firstValueFrom(pool.ready()); // both servers checked: the first prompt goes where the order says
      const events = await lastValueFrom(merge(...[0, 1, 2, 3].map((i) => pool.run(image(`mix-${i}`)))).pipe(toArray()));
      const done = events.filter((event): event is PoolDoneEvent => event.type === 'done');
      expect(done).toHaveLength(4);
      const placed = events.filter((event): event is Extract<PoolEvent, { type: 'dispatched' }> => event.type === 'dispatched').map((event) => event.server);
      expect(placed[0]).toBe('local');
      expect(placed.filter((server) => server === 'cloud').length).toBeGreaterThanOrEqual(2);
      for (const event of done) {
        const [saved] = await lastValueFrom(saveOutputs(pool.httpFor(event), event.outputs, { dir, onExisting: 'rename' }).pipe(toArray()));
        expect((await readFile(saved?.path as string)).subarray(0, 8).toString('hex')).toBe(PNG);
      }
      expect(cloud.v2.stats.jobs).toBe(placed.filter((server) => server === 'cloud').length);
    } finally {
      hold.unsubscribe();
      pool.close();
    }
  });

  it('generate on a v2 client: a batch of images saved from their assets', async () => {
    const comfy = new ComfyClient({ url: cloud.url, api: 'v2', apiKey: 'cloud-key' });
    const events = await lastValueFrom(
      generate({
        target: comfy,
        workflow: Workflow.parse(text2imageJson),
        descriptions: ['a red fox', 'a lighthouse'],
        perDescription: 1,
        strategy: text2image({ width: 64, height: 64, steps: 2 }),
        seed: { policy: 'increment', value: 1 },
        out: { dir, pattern: '{d}-{seed}-{name}' },
      }).pipe(toArray()),
    );
    const saved = events.flatMap((event) => (event.type === 'saved' ? [event.file.path] : []));
    expect(saved).toHaveLength(2);
    for (const file of saved) expect((await readFile(file)).subarray(0, 8).toString('hex')).toBe(PNG);
    expect(events.at(-1)).toMatchObject({ type: 'summary', summary: { done: 2, failed: 0 } });
  });
});
