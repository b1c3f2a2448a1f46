import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { lastValueFrom, map, mergeMap, range, tap, toArray } from 'rxjs';
import { slowImage, tinyImage } from '../__fixtures__/workflows';
import type { Workflow } from '../protocol/api';
import { FakeComfyServer } from '../testing';
import { ComfyNoServerError, ComfyPoolClosedError } from './errors';
import { generate } from '../batch/generate';
import { ComfyPool, type ComfyPoolOptions, type PoolEvent, type PoolServerView } from '.';

const template = JSON.parse(readFileSync(path.join(__dirname, '../../examples/workflows/text2image.json'), 'utf8')) as Workflow;

/** The text-to-image template (needs KSampler), small and quick, unique per item. */
function samplerImage(item: number): Workflow {
  const graph = structuredClone(template);
  graph['3']!.inputs = { ...graph['3']!.inputs, seed: item, steps: 2 };
  graph['5']!.inputs = { ...graph['5']!.inputs, width: 16, height: 16 };
  graph['9']!.inputs = { ...graph['9']!.inputs, filename_prefix: `k${item}` };
  return graph;
}

const fastClients: ComfyPoolOptions['clientOptions'] = {
  lingerMs: 0,
  stall: { warnAfterMs: 1_000 }, // a prompt lost in a restart is confirmed lost after 250 ms
  reconnect: { initialDelayMs: 20, maxDelayMs: 100, maxAttempts: 10, jitter: 0 },
};
const fastHealth = { initialDelayMs: 30, maxDelayMs: 200, maxAttempts: 10, jitter: 0 };

describe('ComfyPool against three FakeComfyServers (real sockets)', () => {
  let fakes: FakeComfyServer[] = [];
  let pool: ComfyPool | undefined;

  beforeEach(async () => {
    fakes = await Promise.all([
      FakeComfyServer.start({ nodeLatencyMs: 8, stepLatencyMs: 4 }),
      FakeComfyServer.start({ nodeLatencyMs: 8, stepLatencyMs: 4 }),
      FakeComfyServer.start({ nodeLatencyMs: 8, stepLatencyMs: 4, exclude: ['KSampler'] }),
    ]);
  });
  afterEach(async () => {
    pool?.close();
    pool = undefined;
    await Promise.all(fakes.map((fake) => fake.stop()));
  });

  function newPool(extra: Partial<ComfyPoolOptions> = {}): ComfyPool {
    pool = new ComfyPool({
      servers: fakes.map((fake, i) => ({ url: fake.url, name: ['a', 'b', 'c'][i] })),
      clientOptions: fastClients,
      health: fastHealth,
      ...extra,
    });
    return pool;
  }

  it('30 prompts, server b restarted mid-batch: each completes exactly once, none hangs, work is spread, c never gets a KSampler workflow', async () => {
    const [, b, c] = fakes as [FakeComfyServer, FakeComfyServer, FakeComfyServer];
    const items = 30;
    const isSampler = (item: number) => item % 3 === 0;
    const workflowOf = (item: number) => (isSampler(item) ? samplerImage(item) : tinyImage(`t${item}`, item));
    const comfyPool = newPool();

    // what each fake ran (kept across b's restart, which wipes its history)
    const finished = fakes.map(() => new Map<string, string>()); // promptId -> status
    fakes.forEach((fake, i) => fake.events.on('prompt-finished', (p) => finished[i]!.set(p.promptId, p.status)));
    const queuedOnC: string[] = [];
    c.events.on('prompt-queued', (p) => queuedOnC.push(p.promptId));

    const itemOf = new Map<string, number>(); // every prompt id the pool used -> item
    const doneOn = new Map<string, string>(); // prompt id -> server, as the pool reported done
    let restarted = false;
    /** Restart b once a third of the items are done, at a moment when everything b finished was delivered (else its wiped history would make a finished prompt look lost: see ComfyPool JSDoc). */
    const maybeRestart = (event: PoolEvent) => {
      if (restarted || event.type !== 'done' || event.server !== 'b' || doneOn.size < items / 3) return;
      const undelivered = [...finished[1]!.keys()].filter((id) => finished[1]!.get(id) === 'success' && !doneOn.has(id));
      if (undelivered.length > 0 || b.queueSnapshot().queue_running.length === 0) return;
      restarted = true;
      b.restart();
    };

    const results = await lastValueFrom(
      range(0, items).pipe(
        mergeMap((item) =>
          comfyPool.run(workflowOf(item)).pipe(
            tap((event) => {
              if (event.type === 'queued') itemOf.set(event.promptId, item);
              if (event.type === 'done') doneOn.set(event.promptId, event.server);
              maybeRestart(event);
            }),
            toArray(),
            map((events) => ({ item, events })),
          ),
        ),
        toArray(),
      ),
    );

    expect(restarted).toBe(true);
    // one done per logical item
    const doneCount = results.map(({ events }) => events.filter((event) => event.type === 'done').length);
    expect(doneCount).toEqual(Array.from({ length: items }, () => 1));
    // across the fakes: at most one success per item, and one for every item
    const successes = new Map<number, number>();
    for (const ran of finished) {
      for (const [promptId, status] of ran) {
        const item = itemOf.get(promptId);
        expect(item).toBeDefined(); // nothing ran that the pool did not submit
        if (status === 'success') successes.set(item!, (successes.get(item!) ?? 0) + 1);
      }
    }
    expect([...successes.values()].every((count) => count === 1)).toBe(true);
    expect(successes.size).toBe(items);
    // the histories of the servers that kept them agree
    for (const [i, fake] of fakes.entries()) {
      if (i === 1) continue;
      for (const promptId of finished[i]!.keys()) expect(fake.historyOf(promptId)?.status?.status_str).toBe(finished[i]!.get(promptId));
    }
    // some prompts were resubmitted after the restart, and b came back (object_info fetched again)
    const resubmitted = results.filter(({ events }) => events.some((event) => event.type === 'dispatched' && event.attempt > 1));
    expect(resubmitted.length).toBeGreaterThan(0);
    for (const { events } of resubmitted) {
      const again = events.find((event) => event.type === 'dispatched' && event.attempt > 1);
      expect(again?.type === 'dispatched' && again.resubmittedAfter?.server).toBe('b');
    }
    // work spread over the three servers
    const perServer = new Map<string, number>();
    for (const server of doneOn.values()) perServer.set(server, (perServer.get(server) ?? 0) + 1);
    for (const name of ['a', 'b', 'c']) expect(perServer.get(name) ?? 0).toBeGreaterThanOrEqual(3);
    // c (no KSampler) never received a KSampler workflow
    expect(queuedOnC.filter((id) => isSampler(itemOf.get(id)!))).toEqual([]);
    expect(queuedOnC.length).toBeGreaterThan(0);
  });

  it('a server lost in a restart: its prompt finishes elsewhere; it is probed, its object_info read again, and it takes prompts again', async () => {
    const [, b] = fakes as [FakeComfyServer, FakeComfyServer, FakeComfyServer];
    const preferB = (candidates: readonly PoolServerView[]) => candidates.find((candidate) => candidate.name === 'b') ?? candidates[0]!;
    const comfyPool = newPool({ strategy: preferB });
    const paths: string[] = [];
    b.events.on('http', (h) => paths.push(h.path));
    const hold = comfyPool.connect();
    await lastValueFrom(comfyPool.ready());
    const first = await lastValueFrom(comfyPool.run(tinyImage('warm', 1)));
    expect(first.type === 'done' && first.server).toBe('b');
    expect(paths.filter((p) => p === '/object_info')).toHaveLength(1);

    const slow = slowImage('slow', 50, 10, 2);
    const progress = b.waitFor('progress');
    const outcome = lastValueFrom(comfyPool.run(slow).pipe(toArray()));
    await progress;
    const back = b.waitFor('http', (h) => h.path === '/object_info');
    const atRestart = paths.length;
    b.restart();
    const events = await outcome;
    expect(events.filter((event) => event.type === 'dispatched').map((event) => event.type === 'dispatched' && [event.server, event.attempt])).toEqual([
      ['b', 1],
      ['a', 2],
    ]);
    expect(events.at(-1)).toMatchObject({ type: 'done', server: 'a' });

    await back;
    expect(paths.filter((p) => p === '/object_info')).toHaveLength(2);
    expect(paths.slice(atRestart, paths.lastIndexOf('/object_info'))).toContain('/system_stats'); // probed before it is read again
    const again = await lastValueFrom(comfyPool.run(tinyImage('again', 3)));
    expect(again).toMatchObject({ type: 'done', server: 'b' });
    hold.unsubscribe();
  });

  it('a KSampler workflow with only the server that lacks KSampler: ComfyNoServerError, at once', async () => {
    const c = fakes[2]!;
    pool = new ComfyPool({ servers: [{ url: c.url, name: 'c' }], clientOptions: fastClients });
    const error = await lastValueFrom(pool.run(samplerImage(1))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ComfyNoServerError);
    expect((error as ComfyNoServerError).refusals).toEqual([{ server: 'c', missingClassTypes: ['KSampler'], down: false }]);
    expect(c.stats.promptPosts.size).toBe(0);
  });

  it('pool.generate runs a batch through the pool and saves each output from the server that made it', async () => {
    const comfyPool = newPool();
    const dir = await mkdtemp(path.join(tmpdir(), 'pool-generate-'));
    try {
      const events = await lastValueFrom(
        comfyPool.generate({ workflow: template, descriptions: ['a red fox', 'a blue bird'], perDescription: 2, out: { dir }, seed: { policy: 'increment', value: 1 } }).pipe(toArray()),
      );
      const summary = events.at(-1);
      expect(summary?.type === 'summary' && summary.summary).toMatchObject({ total: 4, done: 4, failed: 0, files: 4 });
      const servers = events.flatMap((event) => (event.type === 'prompt' && event.event.type === 'done' ? [(event.event as { server?: string }).server] : []));
      expect(servers).toHaveLength(4);
      expect(servers.every((server) => server === 'a' || server === 'b')).toBe(true);
      expect(await readdir(dir)).toHaveLength(4);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('generate({ target: pool }) runs items on several servers at once when given a concurrency', async () => {
    const comfyPool = newPool();
    let running = 0;
    let most = 0;
    const track = (delta: number) => () => {
      running += delta;
      most = Math.max(most, running);
    };
    const offs = fakes.flatMap((fake) => {
      const up = track(1);
      const down = track(-1);
      fake.events.on('prompt-started', up);
      fake.events.on('prompt-finished', down);
      return [() => fake.events.off('prompt-started', up), () => fake.events.off('prompt-finished', down)];
    });
    try {
      const events = await lastValueFrom(
        generate({ target: comfyPool, workflow: template, descriptions: ['a', 'b', 'c', 'd'], concurrency: 4, seed: { policy: 'increment', value: 7 } }).pipe(toArray()),
      );
      const summary = events.at(-1);
      expect(summary?.type === 'summary' && summary.summary).toMatchObject({ total: 4, done: 4, failed: 0 });
      expect(most).toBeGreaterThan(1); // two servers (a and b can run it) worked at the same time
    } finally {
      offs.forEach((off) => off());
    }
  });

  it('close() fails what runs, and closes the sockets of the clients it made at once', async () => {
    const comfyPool = newPool({ clientOptions: { ...fastClients, lingerMs: 60_000 } });
    const running = lastValueFrom(comfyPool.run(slowImage('long', 50, 20))).catch((e: unknown) => e);
    await Promise.race(fakes.map((fake) => fake.waitFor('prompt-started')));
    const closed = Promise.all(fakes.filter((fake) => fake.stats.wsOpen > 0).map((fake) => fake.waitFor('ws-close')));
    comfyPool.close();
    expect(await running).toBeInstanceOf(ComfyPoolClosedError);
    await closed;
    expect(fakes.map((fake) => fake.stats.wsOpen)).toEqual([0, 0, 0]);
  });
});
