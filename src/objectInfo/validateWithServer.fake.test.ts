/**
 * The client's `validate` option on the fake: a prompt the server would reject is judged offline
 * and never posted; the error is the one the server's own 400 gives.
 */
import { lastValueFrom } from 'rxjs';
import { countingFetch } from '../__fixtures__/countingFetch';
import { fileNames, tinyImage } from '../__fixtures__/workflows';
import { ComfyClient } from '../client';
import { ComfyValidationError } from '../errors';
import type { Workflow } from '../protocol/api';
import { FakeComfyServer } from '../testing/FakeComfyServer';

const tooSmall = (prefix: string): Workflow => ({ ...tinyImage(prefix), '1': { class_type: 'EmptyImage', inputs: { width: 0, height: 8, batch_size: 1, color: 0 } } });

describe('ComfyClient validate option, on the fake', () => {
  let fake: FakeComfyServer;
  let posts: number;
  const clients: ComfyClient[] = [];
  const client = (options: { validate?: boolean; fetch?: typeof fetch } = {}) => {
    const c = new ComfyClient({ url: fake.url, lingerMs: 0, ...options });
    clients.push(c);
    return c;
  };
  beforeAll(async () => {
    fake = await FakeComfyServer.start();
    fake.events.on('http', (e) => e.method === 'POST' && e.path === '/prompt' && posts++);
  });
  beforeEach(() => (posts = 0));
  afterEach(() => clients.splice(0).forEach((c) => c.close()));
  afterAll(() => fake.stop());

  it("rejects an invalid prompt offline, never posting it, with the same error as the server's 400", async () => {
    const offline = await client({ validate: true }).runAsync(tooSmall('offline')).catch((e: unknown) => e);
    expect(offline).toBeInstanceOf(ComfyValidationError);
    expect(posts).toBe(0);
    const online = await client().runAsync(tooSmall('online')).catch((e: unknown) => e);
    expect(posts).toBe(1);
    expect(online).toBeInstanceOf(ComfyValidationError);
    const shape = (e: ComfyValidationError) => ({ message: e.message, errorType: e.errorType, nodeErrors: e.nodeErrors, details: e.details });
    expect(shape(offline as ComfyValidationError)).toEqual(shape(online as ComfyValidationError));
  });

  it('spares the server a prompt that would crash its worker (a reached node without inputs)', async () => {
    const crashing = { ...tinyImage('crash'), '1': { class_type: 'EmptyImage' } };
    const error = await client({ validate: true }).runAsync(crashing as unknown as Workflow).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ComfyValidationError);
    expect(error).toMatchObject({ errorType: 'prompt_outputs_failed_validation', nodeErrors: { '1': { errors: [expect.objectContaining({ type: 'exception_during_inner_validation', details: "'inputs'" })] } } });
    expect(posts).toBe(0);
  });

  it('runs a valid prompt, fetching /object_info once for many runs', async () => {
    const { fetch, counter } = countingFetch();
    const comfy = client({ validate: true, fetch });
    const first = await comfy.runAsync(tinyImage('checked-a', 1));
    const second = await comfy.runAsync(tinyImage('checked-b', 2));
    expect([...fileNames(first.outputs), ...fileNames(second.outputs)]).toEqual(['checked-a_00001_.png', 'checked-b_00001_.png']);
    expect(posts).toBe(2);
    expect(counter.objectInfo).toBe(1);
  });

  it("the run's option overrides the client's, both ways", async () => {
    const off = await client({ validate: true }).runAsync(tooSmall('override-off'), { validate: false }).catch((e: unknown) => e);
    expect(off).toBeInstanceOf(ComfyValidationError);
    expect(posts).toBe(1); // the server judged it
    const on = await lastValueFrom(client().run(tooSmall('override-on'), { validate: true })).catch((e: unknown) => e);
    expect(on).toBeInstanceOf(ComfyValidationError);
    expect(posts).toBe(1); // judged offline
  });

  it('fetches /object_info again once when the cached one lacks a class of the prompt (a node pack installed since)', async () => {
    const { fetch, counter } = countingFetch((answer, call) => {
      if (call > 1) return answer;
      const { EmptyImage: _dropped, ...rest } = answer;
      return rest;
    });
    const comfy = client({ validate: true, fetch });
    const done = await comfy.runAsync(tinyImage('installed', 3));
    expect(fileNames(done.outputs)).toEqual(['installed_00001_.png']);
    expect(counter.objectInfo).toBe(2); // without the refresh, the prompt is rejected: EmptyImage does not exist
  });
});
