import { performance } from 'node:perf_hooks';
import { lastValueFrom } from 'rxjs';
import { ComfyPool } from '../pool';
import { type LineProcess, startWorker } from '../queue/__fixtures__/processes';
import { REDIS_URL, requireRedis, uniqueQueueName } from '../queue/__fixtures__/redis';
import { ComfyJobQueue } from '../queue/ComfyJobQueue';
import { FakeComfyServer } from '../testing';
import { type BenchConfig, benchConfig } from './config';
import { type BenchResult, atMost } from './harness/report';
import { fixed, times } from './harness/stats';
import { colors, threeNodeImage } from './workloads';

/** Target: the queue's makespan within 15% of the same prompts through one ComfyPool. */
export const QUEUE_TARGET_RATIO = 1.15;

/** Servers and jobs of the queue benchmark (full and quick runs). */
const SIZES = { full: { servers: 4, jobs: 300, nodeLatencyMs: 20 }, quick: { servers: 4, jobs: 24, nodeLatencyMs: 5 } } as const;
/** Prompts in flight on each side: the pool's capacity (2 per server). */
const IN_FLIGHT_PER_SERVER = 2;

/**
 * Case 7: `jobs` 3-node prompts through the durable queue (producer = this process, 2 worker
 * processes each with a ComfyPool over the same 4 fakes) beside the same prompts through one
 * ComfyPool in this process, same fakes, same run, same prompts in flight (8). Makespan = from the
 * first add (or run) to the last result known to the producer. Then throughput with 1, 2 and 4
 * worker processes of 2 prompts in flight each (near-linear until the 4 fakes, one prompt at a
 * time each, are saturated). Workers start (and connect) before timing.
 */
export async function queueBench(config: BenchConfig = benchConfig()): Promise<BenchResult> {
  const started = performance.now();
  await requireRedis();
  const { servers, jobs, nodeLatencyMs } = config.quick ? SIZES.quick : SIZES.full;
  const fakes = await Promise.all(Array.from({ length: servers }, () => FakeComfyServer.start({ nodeLatencyMs })));
  const urls = fakes.map((fake) => fake.url);
  const color = colors(7_000_000);
  const workflows = () => Array.from({ length: jobs }, () => threeNodeImage(color()));
  let checksum = 0;
  const processes: LineProcess[] = [];
  const queues: ComfyJobQueue[] = [];

  const poolRun = async (): Promise<number> => {
    const pool = new ComfyPool({ servers: urls.map((url) => ({ url })), maxConcurrentPerServer: IN_FLIGHT_PER_SERVER });
    const hold = pool.connect();
    await lastValueFrom(pool.ready());
    const batch = workflows();
    const t0 = performance.now();
    const done = await Promise.all(batch.map((workflow) => lastValueFrom(pool.run(workflow))));
    const makespan = performance.now() - t0;
    checksum += done.length;
    hold.unsubscribe();
    pool.close();
    return makespan;
  };

  const queueRun = async (workers: number, concurrencyEach: number): Promise<number> => {
    const queue = new ComfyJobQueue({ connection: { url: REDIS_URL }, name: uniqueQueueName(`bench-${workers}`) });
    queues.push(queue);
    const started$ = await Promise.all(Array.from({ length: workers }, () => startWorker(REDIS_URL, queue.name, urls, ['--concurrency', String(concurrencyEach), '--log-level', 'error'])));
    processes.push(...started$);
    const batch = workflows();
    const t0 = performance.now();
    const added = await queue.addBulk(batch.map((workflow) => ({ workflow })));
    const results = await Promise.all(added.map(({ id }) => queue.result(id)));
    const makespan = performance.now() - t0;
    checksum += results.length;
    await Promise.all(started$.map((worker) => worker.kill('SIGTERM')));
    await queue.obliterate();
    return makespan;
  };

  try {
    const capacity = servers * IN_FLIGHT_PER_SERVER;
    await poolRun(); // warm-up: sockets, JIT, the fakes' caches of object_info
    const pool = await poolRun();
    const queue2 = await queueRun(2, capacity / 2);
    const scaling = new Map<number, number>();
    for (const workers of [1, 2, 4]) scaling.set(workers, await queueRun(workers, IN_FLIGHT_PER_SERVER));
    const ratio = queue2 / pool;
    const perJobMs = (queue2 - pool) / jobs;
    const throughput = (ms: number) => (jobs / ms) * 1000;
    const base = scaling.get(1) as number;
    return {
      id: 'queue',
      title: `7. Durable queue (BullMQ, Redis): ${jobs} jobs x 3 nodes x ${nodeLatencyMs} ms on ${servers} fakes, ${capacity} in flight, vs one ComfyPool`,
      columns: ['setup', 'makespan ms', 'jobs/s', 'vs pool', 'speed-up vs 1 worker'],
      rows: [
        [`one ComfyPool, ${capacity} in flight (baseline)`, fixed(pool, 0), fixed(throughput(pool), 1), '1.00x', ''],
        [`queue, 2 worker processes x ${capacity / 2}`, fixed(queue2, 0), fixed(throughput(queue2), 1), times(ratio), ''],
        ...[1, 2, 4].map((workers) => {
          const ms = scaling.get(workers) as number;
          return [`queue, ${workers} worker process(es) x ${IN_FLIGHT_PER_SERVER}`, fixed(ms, 0), fixed(throughput(ms), 1), times(ms / pool), times(base / ms)];
        }),
      ],
      verdicts: [atMost('queue makespan / pool makespan', ratio, QUEUE_TARGET_RATIO, 'x')],
      notes: [
        `queue overhead per job: ${fixed(perJobMs, 2)} ms ((queue - pool) / jobs); the producer follows every job with events$ (one Redis read each, then events)`,
        `scaling: each worker keeps ${IN_FLIGHT_PER_SERVER} prompts in flight; the ${servers} fakes run one prompt at a time each, so about ${servers} in flight saturate them`,
        'fakes, the producer and the baseline pool share this process; worker processes are separate (2 cores shared by all)',
      ],
      checksum,
      data: { poolMakespanMs: pool, queueMakespanMs: queue2, ratio, perJobMs, w1Ms: base, w2Ms: scaling.get(2) as number, w4Ms: scaling.get(4) as number },
      elapsedMs: performance.now() - started,
    };
  } finally {
    await Promise.all(processes.map((p) => p.kill('SIGKILL')));
    for (const queue of queues) await queue.close();
    await Promise.all(fakes.map((fake) => fake.stop()));
  }
}
