import { Observable, Subject, VirtualTimeScheduler, concat, from, throwError } from 'rxjs';
import { ComfyExecutionError } from '../errors';
import type { SavedFile } from '../outputs';
import type { PromptEvent } from '../prompt/events';
import type { BatchEvent, BatchItem } from '../batch';
import { JsonRenderer } from './render/JsonRenderer';
import { LinesRenderer } from './render/LinesRenderer';
import { renderJob } from './renderJob';

const workflow = { '1': { class_type: 'EmptyImage', inputs: {} }, '2': { class_type: 'SaveImage', inputs: {} } };
const item = (index: number, description: string): BatchItem => ({
  index,
  total: 2,
  descriptionIndex: index,
  descriptionCount: 2,
  description,
  imageIndex: 0,
  perDescription: 1,
  seed: 7 + index,
  label: `[${index + 1}/2]`,
});
const first = item(0, 'a red fox');
const second = item(1, 'a blue whale');
const file: SavedFile = { path: `${process.cwd()}/out/a.png`, bytes: 1234, nodeId: '2', kind: 'images', source: { filename: 'a.png', subfolder: '', type: 'output' }, animated: false, skipped: false };
const failure = new ComfyExecutionError('p2', '1', 'EmptyImage', 'boom', 'RuntimeError', []);

const prompt = (item: BatchItem, event: PromptEvent): BatchEvent => ({ type: 'prompt', item, event });
const job: BatchEvent[] = [
  { type: 'item-start', item: first },
  prompt(first, { type: 'queued', promptId: 'p1', number: 1, nodeErrors: {} }),
  prompt(first, { type: 'executing', node: '1', classType: 'EmptyImage' }),
  prompt(first, { type: 'progress', node: '1', value: 1, max: 10, percent: 10 }),
  prompt(first, { type: 'progress', node: '1', value: 2, max: 10, percent: 20 }),
  prompt(first, { type: 'progress', node: '1', value: 5, max: 10, percent: 50 }),
  prompt(first, { type: 'done', promptId: 'p1', outputs: {}, elapsedMs: 5 }),
  { type: 'saved', item: first, file },
  { type: 'item-done', item: first, promptId: 'p1', files: [file], elapsedMs: 1500 },
  { type: 'item-start', item: second },
  prompt(second, { type: 'queued', promptId: 'p2', number: 2, nodeErrors: {} }),
  { type: 'item-failed', item: second, error: failure, elapsedMs: 500 },
  { type: 'summary', summary: { total: 2, done: 1, failed: 1, skipped: 0, stopped: false, elapsedMs: 2000, perItemMs: [1500, 500], files: 1 } },
];

describe('renderJob', () => {
  it('prints plain lines: the description, each milestone, saved files, the end of each item and the summary', async () => {
    const lines: string[] = [];
    const result = await renderJob(from(job), new LinesRenderer((text) => lines.push(text), 'out'), { workflow, scheduler: new VirtualTimeScheduler() });
    expect(result).toEqual({
      summary: { total: 2, done: 1, failed: 1, skipped: 0, stopped: false, elapsedMs: 2000, perItemMs: [1500, 500], files: 1 },
      failures: [{ item: second, error: failure }],
      interrupted: false,
      done: 1,
      saved: [file],
    });
    const text = lines.join('');
    expect(text.split('\n').filter((line) => line.startsWith('[1/2]'))).toEqual([
      '[1/2] "a red fox"',
      '[1/2] submitting | 0.0s',
      '[1/2] queued | 0.0s',
      '[1/2] running node 1 EmptyImage | prompt 0% | 0.0s',
      '[1/2] running node 1 EmptyImage 50% | prompt 25% | 0.0s', // 10% and 20% stay below the first 25% step
      '[1/2] saved out/a.png (1.2 kB)',
      '[1/2] done in 1.5s, 1 file',
    ]);
    expect(text).toContain('[2/2] failed: Node 1 (EmptyImage) failed: RuntimeError: boom\n');
    expect(text).toContain('1/2 done, 1 failed, 1 file saved in out/ (2.0s)\n  failed: [2/2] (why: above)\n');
    expect(text.split('RuntimeError: boom')).toHaveLength(2); // the reason is told once
  });

  it('writes one JSON object per line with --json, errors as fields without stack', async () => {
    const lines: string[] = [];
    await renderJob(from(job), new JsonRenderer((text) => lines.push(text)), { workflow, scheduler: new VirtualTimeScheduler() });
    const objects = lines.join('').trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    const progress = (o: Record<string, unknown>) => (o.type === 'progress' ? `progress:${(o.view as { state: string }).state}` : o.type);
    expect(objects.map(progress)).toEqual([
      'item-start',
      'progress:submitting',
      'progress:queued',
      'progress:running',
      'progress:running',
      'progress:done',
      'saved',
      'item-done',
      'item-start',
      'progress:submitting',
      'progress:queued',
      'progress:failed',
      'item-failed',
      'summary',
    ]);
    const failed = objects.find((o) => o.type === 'item-failed') as { error: Record<string, unknown> };
    expect(failed.error).toMatchObject({ name: 'ComfyExecutionError', code: 'COMFYRX_EXECUTION', nodeId: '1', nodeType: 'EmptyImage' });
    expect(JSON.stringify(objects)).not.toContain('stack');
    expect(objects[objects.length - 1]).toMatchObject({ type: 'summary', total: 2, done: 1, failed: 1, failures: [{ index: 1, label: '[2/2]' }] });
  });

  it('stops on abort: unsubscribes from the job, resolves as interrupted and tells what was done and saved', async () => {
    const controller = new AbortController();
    let unsubscribed = false;
    const events$ = new Observable<BatchEvent>((subscriber) => {
      for (const event of job.slice(0, 11)) subscriber.next(event); // item 1 saved and done, item 2 queued
      return () => (unsubscribed = true);
    });
    const lines: string[] = [];
    const result = renderJob(events$, new LinesRenderer((text) => lines.push(text), 'out'), { workflow, signal: controller.signal, scheduler: new VirtualTimeScheduler() });
    expect(unsubscribed).toBe(false);
    controller.abort();
    await expect(result).resolves.toEqual({ failures: [], interrupted: true, done: 1, saved: [file] });
    expect(unsubscribed).toBe(true);
    expect(lines.at(-1)).toBe('interrupted: 1/2 done, 1 file saved in out/:\n  out/a.png\n');
  });

  it('rejects when the job itself errors, after releasing the renderer', async () => {
    const happened: string[] = [];
    const renderer = new (class extends LinesRenderer {
      override stop(): void {
        happened.push('renderer stopped');
        super.stop();
      }
    })(() => undefined);
    const queueRemaining$ = new Subject<number>(); // followed by the item's progress view while it draws
    const result = renderJob(concat(from(job.slice(0, 2)), throwError(() => new Error('no strategy'))), renderer, { workflow, queueRemaining$ }).catch((error: unknown) => {
      happened.push(`rejected: ${(error as Error).message}`);
      expect(queueRemaining$.observed).toBe(false); // the views are unsubscribed too
    });
    await result;
    expect(happened).toEqual(['renderer stopped', 'rejected: no strategy']);
  });
});
