import { benchConfig } from './config';
import { embeddedBench } from './embedded.bench';

describe('embedded bench (quick mode)', () => {
  it('reads every file on both sides; by path reads a small part of the files with metadata up front or at a far offset', async () => {
    const result = await embeddedBench(benchConfig(true));
    expect(result.rows).toHaveLength(3);
    for (const row of result.rows) expect(row).toHaveLength(result.columns.length);
    for (const i of [0, 1, 2]) {
      expect(result.data[`wholeMs_${i}`]).toBeGreaterThan(0);
      expect(result.data[`byPathMs_${i}`]).toBeGreaterThan(0);
    }
    expect(result.data.bytesRead_0).toBeLessThanOrEqual(128 * 1024); // the PNG's head only
    expect(result.data.bytesRead_2).toBeLessThanOrEqual(128 * 1024); // ftyp, the mdat header, the moov
    expect(result.data.bytesRead_1).toBeLessThan(0.1 * 4 * 2 ** 20); // one page per IDAT header
    for (const verdict of result.verdicts) expect(verdict.met).toBe(verdict.value <= verdict.target);
  }, 60_000);
});
