import { FakeComfyServer } from '../testing';
import { benchConfig } from './config';
import { realServerBench } from './realServer.bench';
import { BASELINE, OURS, PEERS } from './sides';

describe('the real-server mode (COMFYUI_URL), against a fake server', () => {
  let fake: FakeComfyServer;
  beforeAll(async () => (fake = await FakeComfyServer.start({ nodeLatencyMs: 2 })));
  afterAll(() => fake.stop());

  it('runs every side on the server it is given, each prompt to its end, and reports client CPU per prompt against the baseline', async () => {
    const quick = benchConfig(true);
    const before = fake.stats.httpRequests;
    const result = await realServerBench(fake.url, quick);
    const sides = [BASELINE, OURS, ...PEERS.map((peer) => peer.name)];
    expect(result.rows.map((row) => row[0])).toEqual(sides);
    const { rounds, promptsPerRound } = quick.realServer;
    const dropped = PEERS.filter((_, i) => result.data[`peer${i}Dropped`] === 1).length;
    expect(result.checksum).toBe((sides.length - dropped) * rounds * promptsPerRound); // one output node a prompt
    expect(fake.stats.httpRequests - before).toBeGreaterThanOrEqual(2 * 2 * rounds * promptsPerRound); // baseline and ours: POST + /history
    for (const key of ['baselineCpuMs', 'oursCpuMs', 'cpuRatio', 'baselineWallMs', 'oursWallMs']) expect(result.data[key]).toBeGreaterThan(0);
    expect(result.verdicts).toHaveLength(1);
    expect(result.verdicts[0]!.met).toBe(result.data.cpuRatio! <= 1);
  }, 60_000);
});
