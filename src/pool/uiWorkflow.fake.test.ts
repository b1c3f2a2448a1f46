import { lastValueFrom, toArray } from 'rxjs';
import { countingFetch } from '../__fixtures__/countingFetch';
import { uiTxt2img } from '../__fixtures__/uiWorkflows';
import { ComfyPool } from './';
import { FakeComfyServer } from '../testing/FakeComfyServer';

type Entry = { class_type: string; inputs: Record<string, unknown> };

/**
 * UI workflows on a pool: each server converts with its own `/object_info` (servers differ in
 * their node packs), and the pool only sends the workflow to servers that have every class it uses.
 */
describe('ComfyPool with UI workflows, on two fakes (one lacks VAEDecode)', () => {
  let full: FakeComfyServer;
  let partial: FakeComfyServer;
  let pool: ComfyPool;
  const counting = countingFetch();
  beforeAll(async () => {
    [full, partial] = await Promise.all([FakeComfyServer.start(), FakeComfyServer.start({ exclude: ['VAEDecode'] })]);
    pool = new ComfyPool({ servers: [{ url: partial.url, name: 'partial' }, { url: full.url, name: 'full' }], clientOptions: { lingerMs: 0, fetch: counting.fetch } });
  });
  afterAll(async () => {
    pool.close();
    await Promise.all([full.stop(), partial.stop()]);
  });

  it('every UI workflow runs on the server that has its classes, converted there, the UI workflow embedded', async () => {
    const workflows = [1, 2, 3, 4].map((seed) => uiTxt2img(`pool-${seed}`, 'a fox', seed));
    const runs = await Promise.all(workflows.map((workflow) => lastValueFrom(pool.run(workflow).pipe(toArray()))));
    for (const [index, events] of runs.entries()) {
      const done = events.at(-1)!;
      expect(done).toMatchObject({ type: 'done', server: 'full' });
      const entry = full.historyOf((done as { promptId: string }).promptId)!.prompt as [number, string, Record<string, Entry>, Record<string, { workflow?: unknown }>];
      expect(entry[2]['3']!.inputs.seed).toBe(index + 1);
      expect(entry[3]['extra_pnginfo']!.workflow).toEqual(workflows[index]);
    }
    // the pool's capability check and the conversions share each client's /object_info: one fetch per server
    expect(counting.counter.objectInfo).toBe(2);
  });

  it('pool.generate takes a UI template: converted on a server that has its classes, every item run there', async () => {
    const template = uiTxt2img('pool-batch', 'a fox', 1);
    const events = await lastValueFrom(pool.generate({ workflow: template, descriptions: ['a red fox', 'a blue bird'], seed: { policy: 'increment', value: 7 } }).pipe(toArray()));
    const summary = events.at(-1);
    expect(summary?.type === 'summary' && summary.summary).toMatchObject({ total: 2, done: 2, failed: 0 });
    const dones = events.flatMap((event) => (event.type === 'prompt' && event.event.type === 'done' ? [event.event as { server?: string; promptId: string }] : []));
    expect(dones.map((done) => done.server)).toEqual(['full', 'full']);
    const texts = dones.map((done) => {
      const entry = full.historyOf(done.promptId)!.prompt as [number, string, Record<string, Entry>, Record<string, { workflow?: unknown }>];
      const [text, seed] = [entry[2]['6']!.inputs.text as string, entry[2]['3']!.inputs.seed as number];
      expect(entry[3]['extra_pnginfo']!.workflow).toEqual(uiTxt2img('pool-batch', text, seed)); // the template with the item's text and seed written back
      return [text, seed];
    });
    expect(texts.sort((a, b) => Number(a[1]) - Number(b[1]))).toEqual([['a red fox', 7], ['a blue bird', 8]]);
  });
});
