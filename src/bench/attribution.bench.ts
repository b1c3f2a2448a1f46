import { performance } from 'node:perf_hooks';
import type { Subscription } from 'rxjs';
import { ComfyClient } from '../client';
import { PlainComfyClient } from './baseline/plainClient';
import { FakeServerProcess } from './children/fakeServerProcess';
import { type BenchConfig, benchConfig } from './config';
import type { BenchResult } from './harness/report';
import { fixed, median, times } from './harness/stats';
import { BASELINE, OURS } from './sides';
import { colors, twoNodeImage } from './workloads';

interface Sample {
  readonly wallMs: number;
  readonly clientCpuMs: number;
  readonly fakeCpuMs: number;
  readonly http: number;
}

interface Side {
  readonly name: string;
  /** Runs `count` prompts (in sequence or at once); returns a checksum. */
  run(count: number, concurrent: boolean): Promise<number>;
}

/**
 * Where the time of cases 1 and 2 goes: the fake runs in a child process, so this process's CPU
 * time is the client's alone and the child's is the fake's. Per side and per prompt: wall time,
 * client CPU, fake CPU, HTTP requests. Sequential rounds alternate the sides; then one round of
 * `concurrentPrompts` at once per side. With two processes on two cores, wall times differ from
 * cases 1-2 (the fake and the client overlap); the CPU columns are what to compare.
 */
export async function attributionBench(config: BenchConfig = benchConfig()): Promise<BenchResult> {
  const started = performance.now();
  const { rounds, promptsPerRound, concurrentPrompts } = config.attribution;
  const fake = await FakeServerProcess.start();
  const comfy = new ComfyClient({ url: fake.url, lingerMs: 0 }); // closes at once when released
  const hold: Subscription = comfy.connect();
  const plain = await PlainComfyClient.open(fake.url);
  const color = colors();
  let checksum = 0;
  try {
    const sides: Side[] = [
      {
        name: BASELINE,
        run: async (count, concurrent) => {
          const one = () => plain.run(twoNodeImage(color())).then((r) => Object.keys(r.outputs).length);
          return sum(concurrent ? await Promise.all(Array.from({ length: count }, one)) : await sequence(count, one));
        },
      },
      {
        name: OURS,
        run: async (count, concurrent) => {
          const one = () => comfy.runAsync(twoNodeImage(color())).then((d) => Object.keys(d.outputs).length);
          return sum(concurrent ? await Promise.all(Array.from({ length: count }, one)) : await sequence(count, one));
        },
      },
    ];
    const measure = async (side: Side, count: number, concurrent: boolean): Promise<Sample> => {
      const fakeBefore = await fake.usage();
      const cpuBefore = process.cpuUsage();
      const t0 = performance.now();
      checksum += await side.run(count, concurrent);
      const wallMs = performance.now() - t0;
      const cpu = process.cpuUsage(cpuBefore);
      const fakeAfter = await fake.usage();
      return {
        wallMs: wallMs / count,
        clientCpuMs: (cpu.user + cpu.system) / 1000 / count,
        fakeCpuMs: (fakeAfter.cpuMicros - fakeBefore.cpuMicros) / 1000 / count,
        http: (fakeAfter.httpRequests - fakeBefore.httpRequests) / count,
      };
    };

    for (const side of sides) await side.run(Math.ceil(promptsPerRound / 2), false); // warm-up
    const sequential = new Map<string, Sample[]>(sides.map((s) => [s.name, []]));
    for (let round = 0; round < rounds; round++) {
      for (const side of round % 2 ? [...sides].reverse() : sides) sequential.get(side.name)?.push(await measure(side, promptsPerRound, false));
    }
    const concurrent = new Map<string, Sample>();
    for (const side of sides) concurrent.set(side.name, await measure(side, concurrentPrompts, true));

    const seqMedian = (name: string): Sample => {
      const list = sequential.get(name) ?? [];
      return {
        wallMs: median(list.map((s) => s.wallMs)),
        clientCpuMs: median(list.map((s) => s.clientCpuMs)),
        fakeCpuMs: median(list.map((s) => s.fakeCpuMs)),
        http: median(list.map((s) => s.http)),
      };
    };
    const seqBase = seqMedian(BASELINE);
    const seqOurs = seqMedian(OURS);
    const conBase = concurrent.get(BASELINE) as Sample;
    const conOurs = concurrent.get(OURS) as Sample;
    const row = (label: string, s: Sample, base: Sample) => [
      label,
      fixed(s.wallMs, 3),
      fixed(s.clientCpuMs, 3),
      times(s.clientCpuMs / base.clientCpuMs),
      fixed(s.fakeCpuMs, 3),
      fixed(s.http, 2),
    ];
    return {
      id: 'attribution',
      title: `Where the time goes: fake in its own process (${rounds} x ${promptsPerRound} sequential, then ${concurrentPrompts} at once, per side)`,
      columns: ['side', 'wall ms/prompt', 'client CPU ms/prompt', 'client CPU ratio', 'fake CPU ms/prompt', 'HTTP/prompt'],
      rows: [
        row(`sequential: ${BASELINE}`, seqBase, seqBase),
        row(`sequential: ${OURS}`, seqOurs, seqBase),
        row(`at once: ${BASELINE}`, conBase, conBase),
        row(`at once: ${OURS}`, conOurs, conBase),
      ],
      verdicts: [],
      notes: [
        `sequential: the fake's own CPU per prompt is ${fixed(seqBase.fakeCpuMs, 3)} ms (baseline) / ${fixed(seqOurs.fakeCpuMs, 3)} ms (ComfyClient); the client's extra CPU per prompt is ${fixed(seqOurs.clientCpuMs - seqBase.clientCpuMs, 3)} ms`,
        `at once: client's extra CPU per prompt ${fixed(conOurs.clientCpuMs - conBase.clientCpuMs, 3)} ms`,
      ],
      checksum,
      data: {
        seqBaselineWallMs: seqBase.wallMs,
        seqOursWallMs: seqOurs.wallMs,
        seqBaselineClientCpuMs: seqBase.clientCpuMs,
        seqOursClientCpuMs: seqOurs.clientCpuMs,
        seqBaselineFakeCpuMs: seqBase.fakeCpuMs,
        seqOursFakeCpuMs: seqOurs.fakeCpuMs,
        conBaselineClientCpuMs: conBase.clientCpuMs,
        conOursClientCpuMs: conOurs.clientCpuMs,
        conBaselineFakeCpuMs: conBase.fakeCpuMs,
        conOursFakeCpuMs: conOurs.fakeCpuMs,
        conBaselineWallMs: conBase.wallMs,
        conOursWallMs: conOurs.wallMs,
      },
      elapsedMs: performance.now() - started,
    };
  } finally {
    hold.unsubscribe();
    await plain.close();
    await fake.stop();
  }
}

async function sequence(count: number, one: () => Promise<number>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < count; i++) out.push(await one());
  return out;
}

const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);
