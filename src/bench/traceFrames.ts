import { readdirSync } from 'node:fs';
import { TRACE_DIR, loadTrace } from '../testing/traces';

/** Text frames of recordings of a real ComfyUI 0.8.0, as the socket delivered them (JSON strings). */
export interface RecordedFrames {
  /** Every text frame, in recording order. */
  readonly frames: readonly string[];
  /** The prompt ids these frames mention (`data.prompt_id`), in order of first appearance. */
  readonly promptIds: readonly string[];
}

const PROMPT_ID = /"prompt_id":"([^"]+)"/g;

/** The text frames of the named traces (default: every `.jsonl` in the fixtures). */
export function recordedFrames(names: readonly string[] = traceNames()): RecordedFrames {
  const frames: string[] = [];
  for (const name of names) {
    for (const event of loadTrace(name)) {
      if (event.kind === 'frame' && event.frame.kind === 'text') frames.push(JSON.stringify(event.frame.message));
    }
  }
  const ids = new Set<string>();
  for (const frame of frames) for (const match of frame.matchAll(PROMPT_ID)) ids.add(match[1] as string);
  return { frames, promptIds: [...ids] };
}

/** Names of every recorded scenario. */
export function traceNames(): string[] {
  return readdirSync(TRACE_DIR)
    .filter((file) => file.endsWith('.jsonl'))
    .map((file) => file.slice(0, -'.jsonl'.length))
    .sort();
}

/** `frame` with every recorded prompt id replaced through `rename`. */
export function renamePromptIds(frame: string, rename: (recorded: string) => string): string {
  return frame.replace(PROMPT_ID, (_all, id: string) => `"prompt_id":"${rename(id)}"`);
}
