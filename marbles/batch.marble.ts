import { type Observable, NEVER, filter, map, tap } from 'rxjs';
import type { TestScheduler } from 'rxjs/testing';
import text2imageJson from '../examples/workflows/text2image.json';
import text2videoJson from '../examples/workflows/text2video.json';
import type { BatchEvent, BatchItem, BatchSummary } from '../src/batch/batchEvents';
import type { BatchTarget } from '../src/batch/batchTarget';
import { generate } from '../src/batch/generate';
import { repeatWorkflow } from '../src/batch/repeatWorkflow';
import { type BatchPlan, runBatch } from '../src/batch/runBatch';
import { text2image } from '../src/batch/text2image';
import { ComfyExecutionError, ComfyHttpError, ComfyPromptRejectedError } from '../src/errors';
import type { SavedFile } from '../src/outputs/saveOutputs';
import { Workflow } from '../src/protocol/api';
import type { DoneEvent, PromptEvent } from '../src/prompt/events';
import { newTestScheduler } from './helpers/testScheduler';

const template = Workflow.parse(text2imageJson);
const TEMPLATE_SEED = 156680208700286;

const queued = (n: number): PromptEvent => ({ type: 'queued', promptId: `p${n}`, number: n, nodeErrors: {} });
const progress: PromptEvent = { type: 'progress', node: '3', value: 1, max: 2, percent: 50 };
const done = (n: number, elapsedMs = 1): DoneEvent => ({ type: 'done', promptId: `p${n}`, outputs: {}, elapsedMs });
const oom = new ComfyExecutionError('p2', '3', 'KSampler', 'out of memory', 'RuntimeError', []);

/** A BatchTarget whose n-th run is `runs[n]`; records the workflows it was given. */
function fakeTarget(runs: Observable<PromptEvent>[], hold: Observable<unknown> = NEVER) {
  const workflows: Workflow[] = [];
  const target: BatchTarget = {
    run: (workflow) => {
      workflows.push(workflow);
      const next = runs[workflows.length - 1];
      if (!next) throw new Error(`unexpected run #${workflows.length}`);
      return next;
    },
    httpFor: () => {
      throw new Error('no downloads in marble tests');
    },
    hold: () => hold,
  };
  return { target, workflows };
}

const DESCRIPTIONS = ['a fox', 'a lighthouse'];

/** The item at description d, image i (0-based) of a batch of `descriptions` x `per`. */
function item(d: number, i: number, seed: number, descriptions = DESCRIPTIONS, per = 1, noun = 'image'): BatchItem {
  const total = descriptions.length * per;
  const index = d * per + i;
  return {
    index,
    total,
    descriptionIndex: d,
    descriptionCount: descriptions.length,
    description: descriptions[d] ?? '',
    imageIndex: i,
    perDescription: per,
    seed,
    label: `[${index + 1}/${total}] description ${d + 1}/${descriptions.length}, ${noun} ${i + 1}/${per}`,
  };
}

const ev = {
  start: (it: BatchItem): BatchEvent => ({ type: 'item-start', item: it }),
  prompt: (it: BatchItem, event: PromptEvent): BatchEvent => ({ type: 'prompt', item: it, event }),
  saved: (it: BatchItem, file: SavedFile): BatchEvent => ({ type: 'saved', item: it, file }),
  done: (it: BatchItem, n: number, elapsedMs: number, files: SavedFile[] = []): BatchEvent => ({ type: 'item-done', item: it, promptId: `p${n}`, files, elapsedMs }),
  failed: (it: BatchItem, error: Error, elapsedMs: number): BatchEvent => ({ type: 'item-failed', item: it, error, elapsedMs }),
  summary: (summary: Partial<BatchSummary> & Pick<BatchSummary, 'total' | 'elapsedMs' | 'perItemMs'>): BatchEvent => ({
    type: 'summary',
    summary: { done: 0, failed: 0, skipped: 0, stopped: false, files: 0, ...summary },
  }),
};
const onlySummary = filter((e: BatchEvent) => e.type === 'summary');
const seedOf = (workflow: Workflow | undefined) => workflow?.['3']?.inputs.seed;
const textOf = (workflow: Workflow | undefined) => workflow?.['6']?.inputs.text;

describe('generate (batch)', () => {
  let ts: TestScheduler;
  beforeEach(() => (ts = newTestScheduler()));

  describe('order and numbering', () => {
    it('runs items one after another: item 2 is submitted only once item 1 has ended', () => {
      ts.run(({ cold, expectObservable, expectSubscriptions }) => {
        const run1 = cold('-q-p-(d|)', { q: queued(1), p: progress, d: done(1, 5) });
        const run2 = cold('-----q-(d|)', { q: queued(2), d: done(2, 7) });
        const { target } = fakeTarget([run1, run2]);
        const [a, b] = [item(0, 0, 10), item(1, 0, 11)] as const;
        const batch$ = generate({ target, workflow: template, descriptions: DESCRIPTIONS, seed: { policy: 'increment', value: 10 }, scheduler: ts });
        expectObservable(batch$).toBe('sq-p-(dDt)r-(eEZ|)', {
          s: ev.start(a),
          q: ev.prompt(a, queued(1)),
          p: ev.prompt(a, progress),
          d: ev.prompt(a, done(1, 5)),
          D: ev.done(a, 1, 5),
          t: ev.start(b),
          r: ev.prompt(b, queued(2)),
          e: ev.prompt(b, done(2, 7)),
          E: ev.done(b, 2, 7),
          Z: ev.summary({ total: 2, done: 2, elapsedMs: 12, perItemMs: [5, 7] }),
        });
        expectSubscriptions(run1.subscriptions).toBe('^----!');
        expectSubscriptions(run2.subscriptions).toBe('-----^------!');
      });
    });

    it('with concurrency 2, two items run at once and the third starts when one ends', () => {
      ts.run(({ cold, expectObservable, expectSubscriptions }) => {
        const run1 = cold('--------(d|)', { d: done(1) });
        const run2 = cold('----(d|)', { d: done(2) });
        const run3 = cold('----(d|)', { d: done(3) });
        const { target } = fakeTarget([run1, run2, run3]);
        const starts$ = generate({ target, workflow: template, descriptions: ['a', 'b', 'c'], concurrency: 2, scheduler: ts }).pipe(
          filter((e) => e.type === 'item-start' || e.type === 'summary'),
          map((e) => (e.type === 'item-start' ? e.item.index : `done ${e.type === 'summary' ? e.summary.done : ''}`)),
        );
        expectObservable(starts$).toBe('(ab)c---(z|)', { a: 0, b: 1, c: 2, z: 'done 3' });
        expectSubscriptions(run1.subscriptions).toBe('^-------!');
        expectSubscriptions(run2.subscriptions).toBe('^---!');
        expectSubscriptions(run3.subscriptions).toBe('----^---!');
      });
    });

    it('numbers items description by description, image by image, with 1-based labels', () => {
      ts.run(({ cold, expectObservable }) => {
        const runs = [1, 2, 3, 4, 5, 6].map((n) => cold('-(d|)', { d: done(n) }));
        const { target } = fakeTarget(runs);
        const labels$ = generate({ target, workflow: template, descriptions: ['a', 'b'], perDescription: 3, scheduler: ts }).pipe(
          filter((e) => e.type === 'item-start'),
          map((e) => (e.type === 'item-start' ? [e.item.index, e.item.descriptionIndex, e.item.imageIndex, e.item.description, e.item.label] : [])),
        );
        expectObservable(labels$).toBe('abcdef|', {
          a: [0, 0, 0, 'a', '[1/6] description 1/2, image 1/3'],
          b: [1, 0, 1, 'a', '[2/6] description 1/2, image 2/3'],
          c: [2, 0, 2, 'a', '[3/6] description 1/2, image 3/3'],
          d: [3, 1, 0, 'b', '[4/6] description 2/2, image 1/3'],
          e: [4, 1, 1, 'b', '[5/6] description 2/2, image 2/3'],
          f: [5, 1, 2, 'b', '[6/6] description 2/2, image 3/3'],
        });
      });
    });

    it("says 'video' in labels of a text2video batch", () => {
      ts.run(({ cold, expectObservable }) => {
        const { target } = fakeTarget([cold('(d|)', { d: done(1) })]);
        const label$ = generate({ target, workflow: Workflow.parse(text2videoJson), descriptions: ['a drone shot'], scheduler: ts }).pipe(
          filter((e) => e.type === 'item-start'),
          map((e) => (e.type === 'item-start' ? e.item.label : '')),
        );
        expectObservable(label$).toBe('(l|)', { l: '[1/1] description 1/1, video 1/1' });
      });
    });
  });

  describe('the held socket', () => {
    it('holds the target once, from subscription to the summary, around every item', () => {
      ts.run(({ cold, expectObservable, expectSubscriptions }) => {
        const hold = cold('-o--o-', { o: 'open' }); // values ignored; never completes by itself
        const runs = [1, 2, 3, 4].map((n) => cold('-(d|)', { d: done(n) }));
        const { target } = fakeTarget(runs, hold);
        const batch$ = generate({ target, workflow: template, descriptions: ['a', 'b'], perDescription: 2, scheduler: ts });
        expectObservable(batch$.pipe(onlySummary)).toBe('----(Z|)', { Z: ev.summary({ total: 4, done: 4, elapsedMs: 4, perItemMs: [1, 1, 1, 1] }) });
        expectSubscriptions(hold.subscriptions).toBe('^---!');
        expectSubscriptions(runs[0]!.subscriptions).toBe('^!');
        expectSubscriptions(runs[1]!.subscriptions).toBe('-^!');
        expectSubscriptions(runs[2]!.subscriptions).toBe('--^!');
        expectSubscriptions(runs[3]!.subscriptions).toBe('---^!');
      });
    });

    it('a hold that fails does not end the batch (the items report their own failures)', () => {
      ts.run(({ cold, expectObservable, expectSubscriptions }) => {
        const hold = cold('-#');
        const runs = [1, 2].map((n) => cold('--(d|)', { d: done(n) }));
        const { target } = fakeTarget(runs, hold);
        expectObservable(generate({ target, workflow: template, descriptions: DESCRIPTIONS, scheduler: ts }).pipe(onlySummary)).toBe('----(Z|)', {
          Z: ev.summary({ total: 2, done: 2, elapsedMs: 4, perItemMs: [2, 2] }),
        });
        expectSubscriptions(hold.subscriptions).toBe('^!');
      });
    });
  });

  describe('seeds and the template', () => {
    const seedsOf = (policy: Parameters<typeof generate>[0]['seed'], descriptions = DESCRIPTIONS, per = 2) => {
      const { target, workflows } = fakeTarget(Array.from({ length: descriptions.length * per }, (_, n) => ts.createColdObservable<PromptEvent>('(d|)', { d: done(n + 1) })));
      const starts: BatchItem[] = [];
      ts.run(() => {
        generate({ target, workflow: template, descriptions, perDescription: per, seed: policy, scheduler: ts }).subscribe((e) => e.type === 'item-start' && starts.push(e.item));
      });
      expect(workflows.map(seedOf)).toEqual(starts.map((s) => s.seed)); // the item's seed is the one submitted
      return workflows.map(seedOf) as number[];
    };

    it("'increment' adds the item index to the value, or to the template's seed", () => {
      expect(seedsOf({ policy: 'increment', value: 100 })).toEqual([100, 101, 102, 103]);
      expect(seedsOf({ policy: 'increment' })).toEqual([0, 1, 2, 3].map((i) => TEMPLATE_SEED + i));
    });

    it("'fixed' gives every item the value, or the template's seed", () => {
      expect(seedsOf({ policy: 'fixed', value: 7 })).toEqual([7, 7, 7, 7]);
      expect(seedsOf({ policy: 'fixed' })).toEqual([TEMPLATE_SEED, TEMPLATE_SEED, TEMPLATE_SEED, TEMPLATE_SEED]);
    });

    it("'random' (the default) gives distinct safe-integer seeds; with a value the sequence is reproducible", () => {
      for (const seeds of [seedsOf(undefined), seedsOf({ policy: 'random' })]) {
        expect(new Set(seeds).size).toBe(4);
        for (const seed of seeds) expect(Number.isSafeInteger(seed) && seed >= 0).toBe(true);
      }
      const once = seedsOf({ policy: 'random', value: 42 });
      expect(new Set(once).size).toBe(4);
      expect(seedsOf({ policy: 'random', value: 42 })).toEqual(once);
      expect(seedsOf({ policy: 'random', value: 43 })).not.toEqual(once);
    });

    it('writes each description and seed into its own clone; the template is never mutated', () => {
      const pristine = structuredClone(template);
      const { target, workflows } = fakeTarget([1, 2].map((n) => ts.createColdObservable<PromptEvent>('(d|)', { d: done(n) })));
      ts.run(() => {
        generate({ target, workflow: template, descriptions: DESCRIPTIONS, strategy: text2image({ width: 768, steps: 4, filenamePrefix: 'batch' }), seed: { policy: 'increment', value: 5 }, scheduler: ts }).subscribe();
      });
      expect(template).toEqual(pristine);
      expect(workflows.map(textOf)).toEqual(DESCRIPTIONS);
      expect(workflows.map(seedOf)).toEqual([5, 6]);
      expect(workflows[0]).not.toBe(workflows[1]);
      expect(workflows[1]?.['5']?.inputs).toEqual({ width: 768, height: 512, batch_size: 1 });
      expect(workflows[1]?.['3']?.inputs.steps).toBe(4);
      expect(workflows[1]?.['9']?.inputs.filename_prefix).toBe('batch');
      expect(workflows[1]?.['7']?.inputs.text).toBe('text, watermark'); // the negative prompt is left alone
    });
  });

  describe('failures', () => {
    it('reports a failed item and goes on with the next one', () => {
      let failed: unknown;
      ts.run(({ cold, expectObservable, expectSubscriptions }) => {
        const runs = [cold('-(d|)', { d: done(1) }), cold('-----q-#', { q: queued(2) }, oom), cold('-----(d|)', { d: done(3) })];
        const { target } = fakeTarget(runs);
        const three = ['a', 'b', 'c'];
        const [a, b, c] = [item(0, 0, 1, three), item(1, 0, 2, three), item(2, 0, 3, three)] as const;
        const batch$ = generate({ target, workflow: template, descriptions: three, seed: { policy: 'increment', value: 1 }, scheduler: ts }).pipe(
          tap((e) => e.type === 'item-failed' && (failed = e.error)),
        );
        expectObservable(batch$).toBe('s(dDt)q-(Fu)-(eEZ|)', {
          s: ev.start(a),
          d: ev.prompt(a, done(1)),
          D: ev.done(a, 1, 1),
          t: ev.start(b),
          q: ev.prompt(b, queued(2)),
          F: ev.failed(b, oom, 7),
          u: ev.start(c),
          e: ev.prompt(c, done(3)),
          E: ev.done(c, 3, 5),
          Z: ev.summary({ total: 3, done: 2, failed: 1, elapsedMs: 13, perItemMs: [1, 7, 5] }),
        });
        expectSubscriptions(runs[2]!.subscriptions).toBe('--------^----!');
      });
      expect(failed).toBe(oom);
      expect(failed).toBeInstanceOf(ComfyExecutionError);
    });

    it('stopOnError: the first failure ends the batch with a summary; the rest never run', () => {
      ts.run(({ cold, expectObservable, expectSubscriptions }) => {
        const hold = cold('-');
        const runs = [cold('-(d|)', { d: done(1) }), cold<PromptEvent>('--#', undefined, oom), cold('-(d|)', { d: done(3) })];
        const { target } = fakeTarget(runs, hold);
        const batch$ = generate({ target, workflow: template, descriptions: ['a', 'b', 'c'], seed: { policy: 'fixed', value: 0 }, stopOnError: true, scheduler: ts });
        const tail$ = batch$.pipe(filter((e) => e.type === 'item-failed' || e.type === 'summary'));
        expectObservable(tail$).toBe('---(FZ|)', {
          F: ev.failed(item(1, 0, 0, ['a', 'b', 'c']), oom, 2),
          Z: ev.summary({ total: 3, done: 1, failed: 1, skipped: 1, stopped: true, elapsedMs: 3, perItemMs: [1, 2] }),
        });
        expectSubscriptions(runs[2]!.subscriptions).toBe([]);
        expectSubscriptions(hold.subscriptions).toBe('^--!');
      });
    });

    it('stopOnError as a test: a failure it accepts (a rejection) ends the batch, one it does not (an execution error) lets it go on', () => {
      ts.run(({ cold, expectObservable, expectSubscriptions }) => {
        const rejected = new ComfyPromptRejectedError('Prompt outputs failed validation', 'prompt_outputs_failed_validation', {});
        const runs = [cold<PromptEvent>('-#', undefined, oom), cold<PromptEvent>('-#', undefined, rejected), cold('-(d|)', { d: done(3) })];
        const { target } = fakeTarget(runs);
        const stopOnError = (error: Error) => error instanceof ComfyPromptRejectedError;
        const batch$ = generate({ target, workflow: template, descriptions: ['a', 'b', 'c'], seed: { policy: 'fixed', value: 0 }, stopOnError, scheduler: ts });
        expectObservable(batch$.pipe(filter((e) => e.type === 'item-failed' || e.type === 'summary'))).toBe('-F(GZ|)', {
          F: ev.failed(item(0, 0, 0, ['a', 'b', 'c']), oom, 1),
          G: ev.failed(item(1, 0, 0, ['a', 'b', 'c']), rejected, 1),
          Z: ev.summary({ total: 3, failed: 2, skipped: 1, stopped: true, elapsedMs: 2, perItemMs: [1, 1] }),
        });
        expectSubscriptions(runs[2]!.subscriptions).toBe([]);
      });
    });

    it('a run that completes without done is a failed item, not a hang', () => {
      ts.run(({ cold, expectObservable }) => {
        const { target } = fakeTarget([cold('-q|', { q: queued(1) })]);
        expectObservable(generate({ target, workflow: template, descriptions: ['a'], scheduler: ts }).pipe(onlySummary)).toBe('--(Z|)', {
          Z: ev.summary({ total: 1, failed: 1, elapsedMs: 2, perItemMs: [2] }),
        });
      });
    });
  });

  describe('unsubscribing', () => {
    it('cancels the running item, releases the hold and starts no other item', () => {
      ts.run(({ cold, expectObservable, expectSubscriptions }) => {
        const hold = cold('-');
        const runs = [cold('-(d|)', { d: done(1) }), cold('-----q-----(d|)', { q: queued(2) }), cold('(d|)', { d: done(3) })];
        const { target } = fakeTarget(runs, hold);
        const types$ = generate({ target, workflow: template, descriptions: ['a', 'b', 'c'], scheduler: ts }).pipe(map((e) => e.type));
        expectObservable(types$, '--------!').toBe('s(pDs)q', { s: 'item-start', p: 'prompt', D: 'item-done', q: 'prompt' });
        expectSubscriptions(runs[1]!.subscriptions).toBe('-^------!');
        expectSubscriptions(runs[2]!.subscriptions).toBe([]);
        expectSubscriptions(hold.subscriptions).toBe('^-------!');
      });
    });
  });
});

describe('runBatch (saving)', () => {
  let ts: TestScheduler;
  beforeEach(() => (ts = newTestScheduler()));

  const file = (name: string): SavedFile => ({
    path: `/out/${name}`,
    bytes: 3,
    nodeId: '9',
    kind: 'images',
    source: { filename: name, subfolder: '', type: 'output' },
    animated: false,
    skipped: false,
  });
  const plan = (target: BatchTarget, save: BatchPlan['save'], descriptions = DESCRIPTIONS): BatchPlan => ({
    target,
    template,
    locations: { text: ['6.inputs.text'], seed: ['3.inputs.seed'], width: [], height: [], length: [], batchSize: [], steps: [], filenamePrefix: [], image: [] },
    settings: {},
    descriptions,
    perDescription: 1,
    seedFor: (index) => index,
    noun: 'image',
    save,
    stopOnError: false,
    concurrency: 1,
    runOptions: {},
    scheduler: ts,
  });

  it('saves each item after its prompt is done, before the next item starts; files are counted', () => {
    ts.run(({ cold, expectObservable, expectSubscriptions }) => {
      const x = file('x.png');
      const y = file('y.png');
      const z = file('z.png');
      const saves = [cold('-x-(y|)', { x, y }), cold('--(z|)', { z })];
      const runs = [cold('-(d|)', { d: done(1) }), cold('-----(d|)', { d: done(2) })];
      const { target } = fakeTarget(runs);
      const dones: DoneEvent[] = [];
      const batch$ = runBatch(
        plan(target, (finished) => {
          dones.push(finished);
          return saves[dones.length - 1] ?? NEVER;
        }),
      );
      const [a, b] = [item(0, 0, 0), item(1, 0, 1)] as const;
      expectObservable(batch$).toBe('sdx-(yYt)p-(zZS|)', {
        s: ev.start(a),
        d: ev.prompt(a, done(1)),
        x: ev.saved(a, x),
        y: ev.saved(a, y),
        Y: ev.done(a, 1, 4, [x, y]),
        t: ev.start(b),
        p: ev.prompt(b, done(2)),
        z: ev.saved(b, z),
        Z: ev.done(b, 2, 7, [z]),
        S: ev.summary({ total: 2, done: 2, elapsedMs: 11, perItemMs: [4, 7], files: 3 }),
      });
      expectSubscriptions(saves[0]!.subscriptions).toBe('-^--!');
      expectSubscriptions(runs[1]!.subscriptions).toBe('----^----!');
    });
  });

  it('a failed download fails the item (the files saved before it are reported and counted) and the batch goes on', () => {
    const refused = new ComfyHttpError(404, 'GET', 'http://127.0.0.1:1/view', 'Not Found');
    ts.run(({ cold, expectObservable }) => {
      const x = file('x.png');
      const saves = [cold('(x#)', { x }, refused), cold<SavedFile>('|')];
      let calls = 0;
      const { target } = fakeTarget([cold('(d|)', { d: done(1) }), cold('(d|)', { d: done(2) })]);
      const [a, b] = [item(0, 0, 0), item(1, 0, 1)] as const;
      expectObservable(runBatch(plan(target, () => saves[calls++] ?? NEVER))).toBe('(sdxFtpDS|)', {
        s: ev.start(a),
        d: ev.prompt(a, done(1)),
        x: ev.saved(a, x),
        F: ev.failed(a, refused, 0),
        t: ev.start(b),
        p: ev.prompt(b, done(2)),
        D: ev.done(b, 2, 0),
        S: ev.summary({ total: 2, done: 1, failed: 1, elapsedMs: 0, perItemMs: [0, 0], files: 1 }),
      });
    });
  });
});

describe('repeatWorkflow (run --count)', () => {
  let ts: TestScheduler;
  beforeEach(() => (ts = newTestScheduler()));

  /** Two samplers with their own seeds: each run moves both by its index. */
  const twoSamplers = Workflow.parse({
    '3': { class_type: 'KSampler', inputs: { seed: 100, steps: 2 } },
    '4': { class_type: 'SamplerCustom', inputs: { noise_seed: 500 } },
  });
  const run = (index: number, total: number, seed: number): BatchItem => ({
    ...item(0, index, seed, [''], total, 'run'),
    label: `[${index + 1}/${total}] description 1/1, run ${index + 1}/${total}`,
  });

  it('is a batch: runs one after another on one hold, every seed input + the run index, a failure reported and the next run started', () => {
    ts.run(({ cold, expectObservable, expectSubscriptions }) => {
      const runs = [cold('-----(d|)', { d: done(1) }), cold<PromptEvent>('-----#', undefined, oom), cold('-----(d|)', { d: done(3) })];
      const hold = cold('-');
      const { target, workflows } = fakeTarget(runs, hold);
      const [a, b, c] = [run(0, 3, 100), run(1, 3, 101), run(2, 3, 102)] as const;
      const batch$ = repeatWorkflow({ target, workflow: twoSamplers, count: 3, scheduler: ts });
      expectObservable(batch$).toBe('s----(dDt)(Fu)-(pES|)', {
        s: ev.start(a),
        d: ev.prompt(a, done(1)),
        D: ev.done(a, 1, 5),
        t: ev.start(b),
        F: ev.failed(b, oom, 5),
        u: ev.start(c),
        p: ev.prompt(c, done(3)),
        E: ev.done(c, 3, 5),
        S: ev.summary({ total: 3, done: 2, failed: 1, elapsedMs: 15, perItemMs: [5, 5, 5] }),
      });
      expectSubscriptions(hold.subscriptions).toBe('^--------------!');
      ts.flush();
      expect(workflows.map((w) => [w['3']?.inputs.seed, w['4']?.inputs.noise_seed])).toEqual([
        [100, 500],
        [101, 501],
        [102, 502],
      ]);
      expect(twoSamplers['3']?.inputs.seed).toBe(100); // never mutated
    });
  });

  it('firstSeedOffset 1 gives the first run new seeds too (a file re-run)', () => {
    ts.run(({ cold, expectObservable }) => {
      const { target, workflows } = fakeTarget([cold('(d|)', { d: done(1) })]);
      expectObservable(repeatWorkflow({ target, workflow: twoSamplers, count: 1, firstSeedOffset: 1, scheduler: ts }).pipe(onlySummary)).toBe('(S|)', {
        S: ev.summary({ total: 1, done: 1, elapsedMs: 0, perItemMs: [0] }),
      });
      ts.flush();
      expect(workflows.map((w) => [w['3']?.inputs.seed, w['4']?.inputs.noise_seed])).toEqual([[101, 501]]);
    });
  });
});
