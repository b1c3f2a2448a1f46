import type { HistoryEntry } from '../../protocol';
import type { V2Job, V2JobError, V2JobStatus, V2Output, V2Progress } from '../../surfaces/v2/wire';
import { V2_TERMINAL_STATUSES } from '../../surfaces/v2/wire';
import { isPlainObject } from '../../util/isPlainObject';
import { mimeOf } from '../media';
import type { HistoryStore } from '../server/historyStore';
import type { PromptQueue } from '../server/promptQueue';
import { inOneDay } from './fakeAssets';
import { type FakeV2Quirks, selectedJob } from './fakeV2Options';

/** A read of a job right after its end may meet the proxy's race within this window (ms). */
const RACE_WINDOW_MS = 1_000;

/** One job the proxy accepted: its submission and what its event messages told so far. */
export interface FakeV2Job {
  readonly id: string;
  /** 1-based submission order (selects the jobs a fractional quirk hits). */
  readonly seq: number;
  readonly createdAt: string;
  /** The workflow as submitted (asset references kept). */
  readonly workflow: Record<string, unknown>;
  readonly metadata?: unknown;
  readonly priority?: number;
  nodesDone: number;
  nodesTotal: number;
  currentNode?: string;
  step?: number;
  steps?: number;
  /** How the execution messages said it ended (before the final `executing null`). */
  outcome?: 'succeeded' | 'failed' | 'canceled';
  /** `Date.now()` of the final `executing null`. */
  endedAt?: number;
  /** Removed from the queue by a working cancel. */
  canceledWhilePending: boolean;
  raceServed: boolean;
}

/** How a view is built: with `race`, a selected job's first read after its end says `expired`. */
export interface ViewOptions {
  readonly race?: boolean;
}

/** What the job registry reads from the native side and the fake's knobs. */
export interface FakeV2JobsDeps {
  readonly history: HistoryStore;
  readonly queue: PromptQueue;
  readonly quirks: () => FakeV2Quirks;
  /** The signed output asset id of a file of a job. */
  readonly outputId: (jobId: string, file: { filename: string; subfolder: string; type: string }) => string;
}

const NOW_ISO = () => new Date().toISOString().replace('Z', '+00:00');

/** Output keys whose files are videos (VideoHelperSuite's `gifs`, core `video`). */
const VIDEO_KEYS = new Set(['gifs', 'video', 'videos']);

/**
 * The proxy's jobs: an in-memory record per accepted submission (newest first in lists), and
 * views of them built the way comfy-api-proxy builds them: `/history` first (succeeded, failed,
 * canceled with outputs and error), then `/queue` (running, queued with its position), else
 * `expired`, with the race of reading a job that finishes between those two reads.
 */
export class FakeV2Jobs {
  private readonly jobs = new Map<string, FakeV2Job>();
  private readonly order: FakeV2Job[] = [];

  constructor(private readonly deps: FakeV2JobsDeps) {}

  get(id: string): FakeV2Job | undefined {
    return this.jobs.get(id);
  }

  get count(): number {
    return this.order.length;
  }

  add(id: string, workflow: Record<string, unknown>, extra: { metadata?: unknown; priority?: number }): FakeV2Job {
    const job: FakeV2Job = {
      id,
      seq: this.order.length + 1,
      createdAt: NOW_ISO(),
      workflow,
      ...(extra.metadata !== undefined ? { metadata: extra.metadata } : {}),
      ...(extra.priority !== undefined ? { priority: extra.priority } : {}),
      nodesDone: 0,
      nodesTotal: 0,
      canceledWhilePending: false,
      raceServed: false,
    };
    this.jobs.set(id, job);
    this.order.push(job);
    return job;
  }

  /** Newest first. */
  newestFirst(): FakeV2Job[] {
    return [...this.order].reverse();
  }

  /** The job's status as the proxy would read it now. */
  status(job: FakeV2Job, options: ViewOptions = {}): { status: V2JobStatus; queuePosition: number | null; entry?: HistoryEntry } {
    const entry = this.deps.history.get(job.id);
    if (entry) {
      const quirks = this.deps.quirks();
      const racy = options.race && !job.raceServed && selectedJob(job.seq, quirks.expiredRace) && Date.now() - (job.endedAt ?? 0) <= RACE_WINDOW_MS;
      if (racy) {
        job.raceServed = true;
        return { status: 'expired', queuePosition: null };
      }
      return { status: entryStatus(entry), queuePosition: null, entry };
    }
    const place = this.deps.queue.locate(job.id);
    if (place?.state === 'running') return { status: 'running', queuePosition: null };
    if (place?.state === 'pending') return { status: 'queued', queuePosition: place.ahead };
    return { status: job.canceledWhilePending ? 'canceled' : 'expired', queuePosition: null };
  }

  /** Whether the job is over (for streams deciding when to end). */
  isTerminal(job: FakeV2Job): boolean {
    return V2_TERMINAL_STATUSES.has(this.status(job).status);
  }

  /** The Job resource (`GET /api/v2/jobs/{id}`, list items, submit and cancel answers). */
  view(job: FakeV2Job, origin: string, options: ViewOptions & { override?: V2JobStatus; outputUrl?: (id: string) => string } = {}): V2Job {
    const read = this.status(job, options);
    const status = options.override ?? read.status;
    const base = `${origin}/api/v2/jobs/${job.id}`;
    const outputs = read.entry && status === 'succeeded' ? this.outputs(job, read.entry, options.outputUrl ?? ((id) => `${origin}/api/v2/assets/${id}/content`)) : [];
    return {
      id: job.id,
      status,
      created_at: job.createdAt,
      started_at: null,
      completed_at: null,
      expires_at: new Date(Date.parse(job.createdAt) + 86_400_000).toISOString().replace('Z', '+00:00'),
      queue_position: read.queuePosition,
      progress: status === 'running' || status === 'canceling' ? { value: 0, nodes_done: 0, nodes_total: 0 } : null,
      outputs,
      error: read.entry && status === 'failed' ? entryError(read.entry) : null,
      outputs_reused: false,
      urls: { self: base, events: `${base}/events`, cancel: `${base}/cancel` },
      ...(job.metadata !== undefined ? { metadata: job.metadata } : {}),
      ...(job.priority !== undefined ? { priority: job.priority } : {}),
    };
  }

  /** The progress snapshot the stream sends after a message moved the job. */
  progress(job: FakeV2Job): V2Progress {
    const fraction = job.steps ? (job.step ?? 0) / job.steps : 0;
    const value = job.nodesTotal > 0 ? (job.nodesDone + fraction) / job.nodesTotal : 0;
    return {
      value,
      nodes_done: job.nodesDone,
      nodes_total: job.nodesTotal,
      ...(job.currentNode !== undefined ? { current_node: job.currentNode, step: job.step ?? 0, steps: job.steps ?? 1 } : {}),
    };
  }

  /** Output assets of one `executed` output (or of every node of a history entry). */
  outputsOf(jobId: string, nodeId: string, output: unknown, url: (id: string) => string): V2Output[] {
    if (!isPlainObject(output)) return [];
    const files: V2Output[] = [];
    for (const [key, items] of Object.entries(output)) {
      if (key === 'animated' || !Array.isArray(items)) continue;
      for (const item of items) {
        if (!isPlainObject(item) || typeof item.filename !== 'string') continue;
        const file = { filename: item.filename, subfolder: typeof item.subfolder === 'string' ? item.subfolder : '', type: typeof item.type === 'string' ? item.type : 'output' };
        const id = this.deps.outputId(jobId, file);
        files.push({
          node_id: nodeId,
          name: file.filename,
          type: key === 'images' ? 'image' : VIDEO_KEYS.has(key) ? 'video' : key === 'audio' ? 'audio' : 'file',
          content_type: mimeOf(file.filename),
          size_bytes: 0,
          id,
          hash: null,
          url: url(id),
          url_expires_at: inOneDay(),
          job_id: jobId,
        });
      }
    }
    return files;
  }

  private outputs(job: FakeV2Job, entry: HistoryEntry, url: (id: string) => string): V2Output[] {
    return Object.entries(entry.outputs).flatMap(([nodeId, output]) => this.outputsOf(job.id, nodeId, output, url));
  }
}

/** A finished prompt's v2 status, from its history entry. */
function entryStatus(entry: HistoryEntry): V2JobStatus {
  const events = entry.status?.messages.map(([event]) => event) ?? [];
  if (events.includes('execution_interrupted')) return 'canceled';
  return events.includes('execution_error') || entry.status?.status_str === 'error' ? 'failed' : 'succeeded';
}

/** `job.error` from the `execution_error` a history entry records. */
function entryError(entry: HistoryEntry): V2JobError {
  const message = entry.status?.messages.find(([event]) => event === 'execution_error');
  const data = isPlainObject(message?.[1]) ? message[1] : {};
  return {
    code: 'node_execution_error',
    message: typeof data.exception_message === 'string' ? data.exception_message : 'execution failed',
    node_id: typeof data.node_id === 'string' ? data.node_id : null,
    class_type: typeof data.node_type === 'string' ? data.node_type : null,
    traceback: null,
  };
}
