import { Writable } from 'node:stream';
import { createCliLogger } from './createCliLogger';
import type { JobItem } from './jobItem';
import { LogSink } from './logSink';
import { BarsRenderer } from './render/BarsRenderer';

/** A terminal-like stream recording what is written to it. */
function terminal(): { stream: NodeJS.WriteStream; text: () => string } {
  let written = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      written += chunk.toString();
      done();
    },
  }) as unknown as NodeJS.WriteStream;
  Object.assign(stream, { isTTY: true, columns: 120, rows: 40, cursorTo: () => true, moveCursor: () => true, clearLine: () => true, clearScreenDown: () => true });
  return { stream, text: () => written };
}

describe('LogSink', () => {
  it('writes at once when nothing draws; while diverted, warnings go to the target and the rest waits, in order, for the end', () => {
    const out: string[] = [];
    const shown: string[] = [];
    const sink = new LogSink((text) => out.push(text));
    sink.write('before\n', 30);
    const undivert = sink.divertTo((text) => shown.push(text));
    sink.write('info 1\n', 30);
    sink.write('warn\n', 40);
    sink.write('debug\n', 20);
    sink.write('error\n', 50);
    sink.write('unlevelled\n');
    expect([out, shown]).toEqual([['before\n'], ['warn\n', 'error\n', 'unlevelled\n']]);
    undivert();
    expect(out).toEqual(['before\n', 'info 1\n', 'debug\n']);
    sink.write('after\n', 30);
    expect(out.at(-1)).toBe('after\n');
  });

  it('holds at most 1000 lines and says how many it dropped', () => {
    const out: string[] = [];
    const sink = new LogSink((text) => out.push(text));
    const undivert = sink.divertTo(() => undefined);
    for (let i = 0; i < 1_005; i++) sink.write(`line ${i}\n`, 30);
    undivert();
    expect(out).toHaveLength(1_001);
    expect(out[0]).toMatch(/^\(5 earlier log lines were dropped/);
    expect(out[1]).toBe('line 5\n');
  });

  it('with progress bars on a terminal: info logs appear below the bars once they stop, warnings above them at once', () => {
    const stderr: string[] = [];
    const sink = new LogSink((text) => stderr.push(text));
    const logger = createCliLogger({ level: 'info', pretty: false, sink });
    const { stream, text } = terminal();
    const renderer = new BarsRenderer(stream, sink);
    const item: JobItem = { index: 0, total: 1, label: '[1/1]' };
    renderer.itemStart(item);
    logger.info('socket open');
    logger.warn('the server is slow');
    expect(stderr).toEqual([]); // nothing lands among the bars
    renderer.stop();
    expect(text()).toContain('the server is slow'); // above the bars, through them
    expect(text()).not.toContain('socket open');
    expect(stderr.map((line) => (JSON.parse(line) as { msg: string }).msg)).toEqual(['socket open']); // after the bars stopped
  });
});
