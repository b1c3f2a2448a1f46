import { type MonoTypeOperatorFunction, type SchedulerLike, filter, identity } from 'rxjs';
import { z } from 'zod';
import { ComfyOptionsError } from '../errors';
import { formatIssues } from '../util/formatIssues';
import { keepLatest } from '../operators/keepLatest';
import type { PromptEvent } from './events';

/**
 * The `previews` run option: `'all'` (default) passes every preview; `'latest'` keeps only the
 * newest preview of each node while the subscriber is busy (fast samplers and video models send many
 * a second); `'none'` drops them. No other event is ever delayed or dropped.
 */
export const PreviewPolicy = z.enum(['all', 'latest', 'none']);
export type PreviewPolicy = z.infer<typeof PreviewPolicy>;

/**
 * A prompt's events under a {@link PreviewPolicy}. With `'latest'`, a preview waits until the
 * scheduler's next turn (the subscriber has returned to the event loop) and is replaced by any newer
 * preview of the same node meanwhile (see `keepLatest`); held previews are dropped by the end.
 * ```text
 * source:  -xpqp-e-(d|)     p, q = previews of one node (in one burst), x, e = other events
 * latest:  -x---q-e-(d|)    (the newest of the burst once the subscriber is free)
 * none:    -x-----e-(d|)
 * ```
 * @example comfy.run(workflow, { previews: 'latest' }) // what runPrompt applies
 */
export function previewPolicy(policy: PreviewPolicy, scheduler: SchedulerLike): MonoTypeOperatorFunction<PromptEvent> {
  switch (policy) {
    case 'all':
      return identity;
    case 'none':
      return filter((event) => event.type !== 'preview');
    case 'latest':
      return keepLatest({ keyOf: (event) => (event.type === 'preview' ? (event.node ?? '') : undefined), scheduler });
  }
}

/**
 * The `previews` option of a run or a watch, checked: `'all'` when absent.
 * @throws ComfyOptionsError for any other value (thrown inside `defer`, it fails the stream).
 */
export function previewPolicyOption(value: unknown): PreviewPolicy {
  if (value === undefined) return 'all'; // the common case, without a schema walk
  const parsed = PreviewPolicy.safeParse(value);
  if (!parsed.success) throw new ComfyOptionsError(`Invalid option previews: ${formatIssues(parsed.error.issues)}`, parsed.error.issues);
  return parsed.data;
}
