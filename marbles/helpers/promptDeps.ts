import pino from 'pino';
import { NEVER, type Observable, of } from 'rxjs';
import type { TestScheduler } from 'rxjs/testing';
import type { HistoryEntry, PromptResponse, QueueResponse } from '../../src/protocol/api';
import type { ComfyMessage } from '../../src/protocol/messages';
import type { PromptDeps } from '../../src/prompt/runPrompt';
import type { ConnectionEvent } from '../../src/transport/socketHub';

export const workflow = {
  '1': { class_type: 'EmptyImage', inputs: { width: 64, height: 64, batch_size: 1, color: 0 } },
  '9': { class_type: 'SaveImage', inputs: { images: ['1', 0], filename_prefix: 'x' } },
};
export const accepted: PromptResponse = { prompt_id: 'p1', number: 7, node_errors: {} };
export const open = (connection = 1): ConnectionEvent => ({ kind: 'open', sid: 'c1', connection });

export interface FakeDeps {
  connection$?: Observable<ConnectionEvent>;
  inbox$?: Observable<ComfyMessage>;
  queuePrompt$?: Observable<PromptResponse>;
  history?: (promptId: string) => Observable<HistoryEntry | undefined>;
  queue$?: Observable<QueueResponse>;
  deleteFromQueue$?: Observable<void>;
  interrupt$?: Observable<void>;
  stallWarnAfterMs?: number;
  recheckDelayMs?: number;
  timeoutMs?: number;
}

/** PromptDeps made of marble fakes; records what the prompt posted and cancelled. */
export function fakeDeps(ts: TestScheduler, fake: FakeDeps = {}) {
  const calls = { posted: [] as unknown[], deleted: [] as string[][], interrupted: [] as (string | undefined)[], attached: [] as string[] };
  const deps: { -readonly [K in keyof PromptDeps]: PromptDeps[K] } = {
    clientId: 'c1',
    connection$: fake.connection$ ?? NEVER,
    attach: (promptId) => {
      calls.attached.push(promptId);
      return fake.inbox$ ?? NEVER;
    },
    http: {
      queuePrompt: (body) => {
        calls.posted.push(body);
        return fake.queuePrompt$ ?? of(accepted);
      },
      history: (id) => (fake.history ? fake.history(id) : of(undefined)),
      deleteFromQueue: (ids) => {
        calls.deleted.push([...ids]);
        return fake.deleteFromQueue$ ?? of(undefined);
      },
      interrupt: (id) => {
        calls.interrupted.push(id);
        return fake.interrupt$ ?? of(undefined);
      },
    },
    queue$: fake.queue$ ?? of({ queue_running: [], queue_pending: [] }),
    scheduler: ts,
    logger: pino({ level: 'silent' }),
    newPromptId: () => 'p1',
    stallWarnAfterMs: fake.stallWarnAfterMs ?? 1_000,
    recheckDelayMs: fake.recheckDelayMs ?? 5,
    timeoutMs: fake.timeoutMs,
  };
  return { deps, calls };
}
