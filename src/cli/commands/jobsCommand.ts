import type { CliContext } from '../CliContext';
import { ExitCode } from '../exitCodes';
import { describeJobError, loadQueue, redisConnection } from './loadQueue';

/** How many recent failures `comfyui-rx jobs` lists. */
const FAILURES_SHOWN = 10;

/** `comfyui-rx jobs`: counts of a queue's jobs by state, its last failures with their reasons, and the webhooks not delivered (`--json`: one object). */
export async function jobsCommand(ctx: CliContext, options: { readonly redis: string; readonly queue: string }): Promise<ExitCode> {
  const { ComfyJobQueue } = await loadQueue();
  const queue = new ComfyJobQueue({ connection: redisConnection(options.redis), name: options.queue, logger: ctx.logger });
  try {
    const [counts, failures, webhookFailures] = await Promise.all([queue.counts(), queue.lastFailures(FAILURES_SHOWN), queue.lastDeliveryFailures(FAILURES_SHOWN)]);
    if (ctx.json) {
      ctx.out(`${JSON.stringify({ queue: options.queue, redis: queue.where, counts, failures, webhookFailures })}\n`);
      return ExitCode.ok;
    }
    ctx.out(`queue ${options.queue} on ${queue.where}\n`);
    ctx.out(`${Object.entries(counts).map(([state, n]) => `${state} ${n}`).join('  ')}\n`);
    if (failures.length > 0) ctx.out(`last failures:\n${failures.map((f) => `  ${f.id} (after ${f.attemptsMade} attempt(s)): ${describeJobError(f.error)}`).join('\n')}\n`);
    if (webhookFailures.length > 0) {
      ctx.out(`webhooks not delivered:\n${webhookFailures.map((f) => `  job ${f.jobId} ${f.type} to ${f.url} (${f.webhookId}, ${f.attempts} attempt(s)): ${f.error}`).join('\n')}\n`);
    }
    return ExitCode.ok;
  } finally {
    await queue.close();
  }
}
