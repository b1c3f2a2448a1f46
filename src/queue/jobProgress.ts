import { z } from 'zod';

/** What a worker reports through BullMQ's `job.updateProgress` (throttled; the last one always sent). */
export const JobProgress = z.object({
  state: z.enum(['submitting', 'queued', 'running', 'done', 'failed']),
  promptId: z.string().optional(),
  server: z.string().optional(),
  /** The node running now and its class. */
  node: z.string().optional(),
  classType: z.string().optional(),
  /** Percent (0-100) of the running node, of the whole prompt. */
  nodePercent: z.number().min(0).max(100).optional(),
  percent: z.number().min(0).max(100).optional(),
  /** Prompts ahead of this one in the server's queue. */
  queuePosition: z.number().int().nonnegative().optional(),
});
export type JobProgress = z.infer<typeof JobProgress>;
