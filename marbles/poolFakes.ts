import { NEVER, type Observable, defer, of, throwError } from 'rxjs';
import type { TestScheduler } from 'rxjs/testing';
import type { PoolClient } from '../src/pool';
import type { HistoryEntry, QueueResponse, SystemStats } from '../src/protocol/api';
import type { ObjectInfo } from '../src/protocol/objectInfo';
import type { PromptEvent } from '../src/prompt/events';
import type { RunOptions } from '../src/prompt/runPrompt';

/** Marble fakes of the clients a ComfyPool drives (no sockets, no HTTP). */

export const imageWorkflow = {
  '1': { class_type: 'EmptyImage', inputs: { width: 8, height: 8, batch_size: 1, color: 0 } },
  '9': { class_type: 'SaveImage', inputs: { images: ['1', 0], filename_prefix: 'x' } },
};
export const samplerWorkflow = {
  '3': { class_type: 'KSampler', inputs: {} },
  '9': { class_type: 'SaveImage', inputs: { images: ['3', 0], filename_prefix: 'x' } },
};

/** An `/object_info` answer listing these classes. */
export const objectInfo = (...classTypes: string[]): ObjectInfo =>
  Object.fromEntries(classTypes.map((name) => [name, { input: {}, output: [], name }]));
export const ALL_CLASSES = ['EmptyImage', 'SaveImage', 'KSampler'];

export const stats: SystemStats = { system: { os: 'posix' }, devices: [] } as unknown as SystemStats; // only its arrival matters

export const queued = (promptId = 'p1'): PromptEvent => ({ type: 'queued', promptId, number: 1, nodeErrors: {} });
export const done = (promptId = 'p1', elapsedMs = 0): PromptEvent => ({ type: 'done', promptId, outputs: {}, elapsedMs });
export const emptyQueue: QueueResponse = { queue_running: [], queue_pending: [] };

export interface FakeClientSpec {
  /** `run` answers: the n-th call gets the n-th (the last one repeats). Default: queued + done at once. */
  runs?: Observable<PromptEvent>[];
  /** Hot status values. Default: never. */
  queueRemaining$?: Observable<number>;
  /** Default: every class of ALL_CLASSES, at once. A list: the n-th fetch gets the n-th (the last one repeats). */
  objectInfo?: Observable<ObjectInfo> | Observable<ObjectInfo>[];
  /** n-th probe gets the n-th (the last one repeats). Default: stats at once. */
  systemStats?: Observable<SystemStats>[];
  history?: (promptId: string) => Observable<HistoryEntry | undefined>;
  queue?: Observable<QueueResponse>;
}

export interface FakeCalls {
  runs: { frame: number; workflow: unknown; options: RunOptions | undefined }[];
  objectInfo: number[];
  systemStats: number[];
  deleted: string[][];
  interrupted: (string | undefined)[];
}

/** A PoolClient made of marble observables; `calls` records what the pool asked of it, with the frame. */
export function fakeClient(ts: TestScheduler, url: string, spec: FakeClientSpec = {}): { client: PoolClient; calls: FakeCalls } {
  const calls: FakeCalls = { runs: [], objectInfo: [], systemStats: [], deleted: [], interrupted: [] };
  const nth = <T>(list: Observable<T>[] | undefined, n: number, fallback: Observable<T>): Observable<T> => (list && list.length > 0 ? list[Math.min(n, list.length - 1)]! : fallback);
  const client: PoolClient = {
    url,
    run: (workflow, options) =>
      defer(() => {
        calls.runs.push({ frame: ts.now(), workflow, options });
        return nth(spec.runs, calls.runs.length - 1, of(queued(options?.promptId), done(options?.promptId)));
      }),
    queueRemaining$: spec.queueRemaining$ ?? NEVER,
    http: {
      objectInfo: () =>
        defer(() => {
          calls.objectInfo.push(ts.now());
          const all = of(objectInfo(...ALL_CLASSES));
          return Array.isArray(spec.objectInfo) ? nth(spec.objectInfo, calls.objectInfo.length - 1, all) : (spec.objectInfo ?? all);
        }),
      systemStats: () =>
        defer(() => {
          calls.systemStats.push(ts.now());
          return nth(spec.systemStats, calls.systemStats.length - 1, of(stats));
        }),
      history: (promptId) => (spec.history ? spec.history(promptId) : of(undefined)),
      queue: () => spec.queue ?? of(emptyQueue),
      deleteFromQueue: (ids) =>
        defer(() => {
          calls.deleted.push([...ids]);
          return of(undefined);
        }),
      interrupt: (id) =>
        defer(() => {
          calls.interrupted.push(id);
          return of(undefined);
        }),
    },
  };
  return { client, calls };
}

/** An observable that fails like an unreachable server. */
export const unreachable = <T>(error: Error): Observable<T> => throwError(() => error);
