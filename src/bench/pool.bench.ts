import { performance } from 'node:perf_hooks';
import { type Observable, filter, lastValueFrom, merge, toArray } from 'rxjs';
import { ComfyClient } from '../client';
import { ComfyPool } from '../pool';
import { FakeComfyServer } from '../testing';
import { type BenchConfig, benchConfig } from './config';
import { type BenchResult, atMost } from './harness/report';
import { fixed, max, median, times } from './harness/stats';
import { colors, threeNodeImage } from './workloads';

/** Target of case 6: the pool's makespan within 10% of the ideal (sum of work / servers). */
export const POOL_TARGET_RATIO = 1.1;

/** What one fake did during a measured run (ms since the run's start). */
interface ServerSpan {
  firstStart: number;
  lastFinish: number;
  busyMs: number;
  prompts: number;
}

interface Run {
  readonly makespanMs: number;
  /** Sum over prompts of their run time on a fake (`prompt-started` -> `prompt-finished`). */
  readonly workMs: number;
  readonly spans: readonly ServerSpan[];
}

/** Where a run's makespan went beyond the ideal (ms). */
interface Overheads {
  /** Until the last server to start started its first prompt. */
  readonly rampMs: number;
  /** Idle time between prompts inside a server's span (largest over servers). */
  readonly gapsMs: number;
  /** Busiest server's work minus the mean work per server. */
  readonly imbalanceMs: number;
  /** From the last prompt finishing on a fake to the last `done`. */
  readonly tailMs: number;
}

/**
 * Case 6: `prompts` 3-node prompts (`nodeLatencyMs` per node) submitted at once to a ComfyPool of
 * `servers` fakes, vs the same prompts on one fake through one ComfyClient. The fakes run in this
 * process (on a 2-core machine, four fake processes plus this one contend for CPU far more), so
 * their queue pick-ups wait behind the clients' callbacks: that shows as `gaps`. The work of each
 * prompt is what its fake reports (started -> finished), so timer overshoot counts as work, not as
 * pool overhead. Rounds alternate; medians. The makespan beyond the ideal is split into the start
 * ramp, idle gaps, imbalance between servers and the tail after the last prompt finished.
 */
export async function poolBench(config: BenchConfig = benchConfig()): Promise<BenchResult> {
  const started = performance.now();
  const { servers, prompts, nodeLatencyMs, rounds } = config.pool;
  const fakes = await Promise.all(Array.from({ length: servers }, () => FakeComfyServer.start({ nodeLatencyMs })));
  const color = colors();
  const workflow = () => threeNodeImage(color());
  const runs: Record<'pool' | 'single', Run[]> = { pool: [], single: [] };
  let checksum = 0;
  const pool = new ComfyPool({ servers: fakes.map((fake, i) => ({ url: fake.url, name: `fake${i + 1}` })) });
  const poolHold = pool.connect();
  const single = new ComfyClient({ url: (fakes[0] as FakeComfyServer).url });
  const singleHold = single.connect();

  const measure = async (source: () => Observable<{ readonly type: string }>, onFakes: readonly FakeComfyServer[]): Promise<Run> => {
    const t0 = performance.now();
    const spans: ServerSpan[] = onFakes.map(() => ({ firstStart: Infinity, lastFinish: 0, busyMs: 0, prompts: 0 }));
    const startedAt = new Map<string, number>();
    const detach = onFakes.map((fake, i) => {
      const span = spans[i] as ServerSpan;
      const onStart = ({ promptId }: { promptId: string }) => {
        const now = performance.now() - t0;
        startedAt.set(promptId, now);
        span.firstStart = Math.min(span.firstStart, now);
      };
      const onFinish = ({ promptId }: { promptId: string }) => {
        const now = performance.now() - t0;
        span.busyMs += now - (startedAt.get(promptId) ?? NaN);
        span.lastFinish = Math.max(span.lastFinish, now);
        span.prompts++;
      };
      fake.events.on('prompt-started', onStart);
      fake.events.on('prompt-finished', onFinish);
      return () => {
        fake.events.off('prompt-started', onStart);
        fake.events.off('prompt-finished', onFinish);
      };
    });
    try {
      const done = await lastValueFrom(
        merge(...Array.from({ length: prompts }, source)).pipe(
          filter((event) => event.type === 'done'),
          toArray(),
        ),
      );
      checksum += done.length;
      return { makespanMs: performance.now() - t0, workMs: spans.reduce((sum, x) => sum + x.busyMs, 0), spans };
    } finally {
      for (const off of detach) off();
    }
  };

  try {
    // warm-up: every server's object_info read, sockets open, code paths compiled
    await lastValueFrom(merge(...Array.from({ length: servers * 2 }, () => pool.run(workflow()))).pipe(toArray()));
    await lastValueFrom(merge(...Array.from({ length: 2 }, () => single.run(workflow()))).pipe(toArray()));
    const sides = {
      pool: () => measure(() => pool.run(workflow()), fakes),
      single: () => measure(() => single.run(workflow()), fakes.slice(0, 1)),
    };
    for (let round = 0; round < rounds; round++) {
      for (const side of round % 2 ? (['single', 'pool'] as const) : (['pool', 'single'] as const)) runs[side].push(await sides[side]());
    }
  } finally {
    poolHold.unsubscribe();
    singleHold.unsubscribe();
    pool.close();
    await Promise.all(fakes.map((fake) => fake.stop()));
  }

  const overheads = (run: Run): Overheads => {
    const busy = run.spans.map((s) => s.busyMs);
    return {
      rampMs: max(run.spans.map((s) => s.firstStart)),
      gapsMs: max(run.spans.map((s) => s.lastFinish - s.firstStart - s.busyMs)),
      imbalanceMs: max(busy) - busy.reduce((a, b) => a + b, 0) / busy.length,
      tailMs: run.makespanMs - max(run.spans.map((s) => s.lastFinish)),
    };
  };
  const summarize = (list: Run[], width: number) => {
    const o = list.map(overheads);
    return {
      makespan: median(list.map((r) => r.makespanMs)),
      work: median(list.map((r) => r.workMs)),
      ratio: median(list.map((r) => r.makespanMs / (r.workMs / width))),
      perServer: list.flatMap((r) => r.spans.map((s) => s.prompts)),
      ramp: median(o.map((x) => x.rampMs)),
      gaps: median(o.map((x) => x.gapsMs)),
      imbalance: median(o.map((x) => x.imbalanceMs)),
      tail: median(o.map((x) => x.tailMs)),
    };
  };
  const p = summarize(runs.pool, servers);
  const s = summarize(runs.single, 1);
  const nominal = prompts * 3 * nodeLatencyMs;
  const row = (name: string, x: typeof p, width: number, speedup: string) => [
    name,
    fixed(x.makespan, 0),
    fixed(x.work, 0),
    fixed(x.work / width, 0),
    times(x.ratio),
    speedup,
    `${Math.min(...x.perServer)}-${Math.max(...x.perServer)}`,
    fixed(x.ramp, 0),
    fixed(x.gaps, 0),
    fixed(x.imbalance, 0),
    fixed(x.tail, 0),
  ];
  return {
    id: 'pool',
    title: `6. ComfyPool: ${prompts} prompts x 3 nodes x ${nodeLatencyMs} ms on ${servers} fakes vs one server, ${rounds} rounds (medians)`,
    columns: ['setup', 'makespan ms', 'work ms', 'ideal ms', 'makespan/ideal', 'speed-up', 'prompts/server', 'ramp', 'gaps', 'imbalance', 'tail'],
    rows: [row('one server, one ComfyClient (baseline)', s, 1, '1.00x'), row(`ComfyPool of ${servers}`, p, servers, times(s.makespan / p.makespan))],
    verdicts: [atMost('pool makespan / ideal', p.ratio, POOL_TARGET_RATIO, 'x')],
    notes: [
      `ideal = sum of work / servers; work = each prompt's started->finished on its fake (nominal ${nominal} ms = ${prompts} x 3 x ${nodeLatencyMs}; the rest is timer overshoot)`,
      'ramp = until the last server started its first prompt; gaps = idle time inside a server\'s span (worst server); imbalance = busiest server\'s work minus the mean; tail = last finish -> last done',
    ],
    checksum,
    data: {
      poolMakespanMs: p.makespan,
      poolWorkMs: p.work,
      poolRatio: p.ratio,
      singleMakespanMs: s.makespan,
      singleWorkMs: s.work,
      singleRatio: s.ratio,
      speedup: s.makespan / p.makespan,
      poolRampMs: p.ramp,
      poolGapsMs: p.gaps,
      poolImbalanceMs: p.imbalance,
      poolTailMs: p.tail,
    },
    elapsedMs: performance.now() - started,
  };
}
