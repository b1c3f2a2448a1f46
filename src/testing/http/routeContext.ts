import type { PromptWorker } from '../engine/promptWorker';
import type { OutputCache } from '../engine/outputCache';
import type { FakeServerEmitter } from '../fakeServerEvents';
import type { NodeCatalog } from '../nodes/catalog';
import type { ModelFolders } from '../nodes/modelFiles';
import type { FileRenderer } from '../media/renderFile';
import type { FaultPlan } from '../server/faultPlan';
import type { FileStore } from '../server/fileStore';
import type { FakeServerProfile } from '../server/serverProfile';
import type { HistoryStore } from '../server/historyStore';
import type { PromptQueue } from '../server/promptQueue';
import type { FakeRequest, Reply } from './reply';

/** The server state routes read and change. */
export interface RouteContext {
  readonly worker: PromptWorker;
  readonly queue: PromptQueue;
  readonly history: HistoryStore;
  readonly files: FileStore;
  readonly renderer: FileRenderer;
  readonly catalog: NodeCatalog;
  readonly cache: OutputCache;
  readonly events: FakeServerEmitter;
  /** POSTs per prompt id (`stats.promptPosts`). */
  readonly promptPosts: Map<string, number>;
  /** The server feature flags (`GET /features`, the WS reply). */
  features(): Record<string, unknown>;
  /** Which ComfyUI the fake answers as (version, behaviour, node replacements). */
  readonly server: FakeServerProfile;
  readonly models: ModelFolders;
  /** Fault knobs (the foreign prompts `GET /queue` shows). */
  readonly faults: FaultPlan;
  /** `[host, port]` for `system_stats.argv`. */
  address(): { host: string; port: number };
}

/** A route handler. */
export type Handler = (request: FakeRequest, context: RouteContext) => Reply | Promise<Reply>;
