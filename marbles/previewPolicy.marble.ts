import type { TestScheduler } from 'rxjs/testing';
import type { PromptEvent } from '../src/prompt/events';
import { previewPolicy } from '../src/prompt/previewPolicy';
import { newTestScheduler } from './helpers/testScheduler';

const preview = (node: string, byte: number): PromptEvent => ({ type: 'preview', node, mime: 'image/jpeg', data: Buffer.from([byte]) });
const values: Record<string, PromptEvent> = {
  x: { type: 'executing', node: '3', classType: 'KSampler' },
  p: preview('3', 1),
  q: preview('3', 2),
  r: preview('3', 3),
  s: preview('9', 4),
  e: { type: 'progress', node: '3', value: 1, max: 2, percent: 50 },
  d: { type: 'done', promptId: 'p1', outputs: {}, elapsedMs: 5 },
};

describe('previewPolicy', () => {
  let ts: TestScheduler;
  beforeEach(() => (ts = newTestScheduler()));

  it("'all' passes every event as it is", () => {
    ts.run(({ cold, expectObservable }) => {
      expectObservable(cold('-x(pq)e-d|', values).pipe(previewPolicy('all', ts))).toBe('-x(pq)e-d|', values);
    });
  });

  it("'none' drops the previews, and only them", () => {
    ts.run(({ cold, expectObservable }) => {
      expectObservable(cold('-xp(qr)e-d|', values).pipe(previewPolicy('none', ts))).toBe('-x-----e-d|', values);
    });
  });

  it("'latest' keeps the newest preview of a burst per node, and delays no other event", () => {
    ts.run(({ cold, expectObservable }) => {
      // p, q, r of node 3 come in one turn with s of node 9: p and q are replaced by r; e passes first
      const source = cold('-x(pqrse)--d|', values);
      const expected = '   -x(ers)----d|';
      expectObservable(source.pipe(previewPolicy('latest', ts))).toBe(expected, values);
    });
  });

  it("'latest' drops a preview still held when the prompt ends", () => {
    ts.run(({ cold, expectObservable }) => {
      expectObservable(cold('-x(pd|)', values).pipe(previewPolicy('latest', ts))).toBe('-x(d|)', values);
    });
  });
});
