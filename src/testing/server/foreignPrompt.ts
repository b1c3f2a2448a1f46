import { randomUUID } from 'node:crypto';
import type { QueueItem } from '../../protocol';

/**
 * A pending queue item of another client, as `/queue` shows one that a Python script queued with
 * non-finite floats in its inputs (`float('nan')`, `float('inf')`): Python's `json` writes them as
 * `NaN` / `Infinity`, which strict JSON parsers refuse.
 */
export function foreignQueueItem(): QueueItem {
  const promptId = `foreign-${randomUUID()}`;
  const prompt = {
    '1': { class_type: 'KSampler', inputs: { seed: 1, steps: 20, cfg: Number.NaN, denoise: Number.POSITIVE_INFINITY, sampler_name: 'euler', scheduler: 'normal' } },
    '2': { class_type: 'SaveImage', inputs: { images: ['1', 0], filename_prefix: 'theirs' } },
  };
  return [1_000_000, promptId, prompt, { client_id: 'python-next-door', create_time: 0 }, ['2']];
}
