/**
 * Cancelling a run on the server: through `POST /api/jobs/{id}/cancel` on a newer server, through
 * the 0.8.0 routes on 0.8.0 (the jobs route answers 404 there, once per client).
 */
import { slowImage, tinyImage } from '../__fixtures__/workflows';
import { ComfyClient } from '../client';
import { FakeComfyServer } from '../testing/FakeComfyServer';

describe.each([
  ['0.38.1', ['POST /api/jobs/{id}/cancel 200']],
  ['0.8.0', ['POST /api/jobs/{id}/cancel 405', 'POST /queue 200', 'POST /interrupt 200']],
])('unsubscribing cancels on ComfyUI %s', (version, expectedCalls) => {
  let fake: FakeComfyServer;
  let comfy: ComfyClient;
  let calls: string[];
  beforeAll(async () => {
    fake = await FakeComfyServer.start({ version });
    fake.events.on('http', (e) => e.method === 'POST' && e.path !== '/prompt' && calls.push(`${e.method} ${e.path.replace(/jobs\/[^/]+\/cancel/, 'jobs/{id}/cancel')} ${e.status}`));
    comfy = new ComfyClient({ url: fake.url, lingerMs: 0 });
  });
  beforeEach(() => (calls = []));
  afterAll(async () => {
    comfy.close();
    await fake.stop();
  });

  it('a running prompt is interrupted', async () => {
    const started = fake.waitFor('progress');
    const finished = fake.waitFor('prompt-finished');
    const lastCall = fake.waitFor('http', (e) => e.path.endsWith(version === '0.8.0' ? '/interrupt' : '/cancel'));
    const subscription = comfy.run(slowImage(`cancel-running-${version}`, 50, 20)).subscribe({ error: () => undefined });
    await started;
    subscription.unsubscribe();
    expect((await finished).status).toBe('interrupted');
    await lastCall;
    expect(calls).toEqual(expectedCalls);
  });

  it('a pending prompt leaves the queue (the client asks a server without the jobs route only once)', async () => {
    const release = fake.holdQueue();
    const queued = fake.waitFor('http', (e) => e.path === '/prompt');
    const subscription = comfy.run(tinyImage(`cancel-pending-${version}`)).subscribe({ error: () => undefined });
    await queued;
    const deleted = fake.waitFor('queue-deleted');
    const lastCall = fake.waitFor('http', (e) => e.path.endsWith(version === '0.8.0' ? '/interrupt' : '/cancel'));
    subscription.unsubscribe();
    expect((await deleted).promptIds).toHaveLength(1);
    await lastCall;
    release();
    expect(calls).toEqual(version === '0.8.0' ? ['POST /queue 200', 'POST /interrupt 200'] : expectedCalls);
  });
});
