import { EventEmitter } from 'node:events';

/** How a prompt ended on the fake. */
export type FakePromptStatus = 'success' | 'error' | 'interrupted';

/** Payloads of the events `FakeComfyServer.events` emits (observation for tests, no sleeps needed). */
export interface FakeServerEventMap {
  /** A socket was accepted. `clientId` is the query value (`''` if none), `sid` the id the server uses. */
  'ws-open': { readonly clientId: string; readonly sid: string };
  /** A socket closed (either side). */
  'ws-close': { readonly clientId: string; readonly sid: string };
  /** `POST /prompt` queued a prompt. */
  'prompt-queued': { readonly promptId: string; readonly clientId?: string; readonly number: number };
  /** The worker picked a prompt up. */
  'prompt-started': { readonly promptId: string };
  /** A node started running (not for cached nodes). */
  'node-executing': { readonly promptId: string; readonly node: string; readonly classType: string };
  /** A progress step (`progress` message), whether or not anyone received it. */
  'progress': { readonly promptId: string; readonly node: string; readonly value: number; readonly max: number };
  /** A prompt ended; its history entry is written and its last message sent. */
  'prompt-finished': { readonly promptId: string; readonly status: FakePromptStatus };
  /** `POST /queue` removed pending prompts (`delete` or `clear`). */
  'queue-deleted': { readonly promptIds: readonly string[] };
  /** `POST /interrupt`; `hit` tells whether a running prompt was flagged. */
  'interrupt': { readonly promptId?: string; readonly hit: boolean };
  /** A request was processed but its answer dropped (`dropNextResponse`): the connection closed instead. */
  'response-dropped': { readonly method: string; readonly path: string };
  /** A v2 event stream freed its slot (ended, or its client was found gone at a write or heartbeat). */
  'v2-stream-released': { readonly jobId: string; readonly open: number };
  /** Every HTTP answer (path without query). */
  'http': { readonly method: string; readonly path: string; readonly status: number };
}

export type FakeServerEventName = keyof FakeServerEventMap;

/** The typed emitter behind `FakeComfyServer.events`. */
export type FakeServerEmitter = EventEmitter<{ [K in FakeServerEventName]: [FakeServerEventMap[K]] }>;

/** Creates the emitter (no listener limit warnings: tests attach many `waitFor`s). */
export function createFakeServerEmitter(): FakeServerEmitter {
  const emitter: FakeServerEmitter = new EventEmitter();
  emitter.setMaxListeners(0);
  return emitter;
}
