import { lastValueFrom, merge, tap } from 'rxjs';
import type { CliContext } from '../CliContext';
import { ExitCode } from '../exitCodes';
import { exitCodeOfFailures } from '../exitCodeOf';
import { type WorkflowFile, readWorkflowFile } from '../readWorkflowFile';
import { checkSetFiles } from '../checkSetFiles';
import { CliUsageError } from '../CliUsageError';
import { type SetAssignment, inputsOption, splitSetAssignments } from '../setAssignment';
import type { InputsOption } from '../../inputs/resolveInputs';
import { describeJobError, loadQueue, redisConnection } from './loadQueue';

/** Options of `comfyui-rx enqueue`. */
export interface EnqueueCommandOptions {
  readonly redis: string;
  readonly queue: string;
  readonly count: number;
  readonly wait: boolean;
  /** Each job's webhook. */
  readonly webhook?: string;
  /** Progress milestones to the webhook too. */
  readonly webhookProgress?: boolean;
  /** `--set` assignments: values set in each (API-format) workflow, `@FILE` / `@URL` carried as job inputs. */
  readonly set?: readonly SetAssignment[];
}

/**
 * A workflow file as a job: API workflows get the `--set` values; `@FILE` / `@URL` become job
 * inputs (the file by its absolute path: the workers must see it, a shared folder; or a URL).
 * A UI workflow takes files only (keys as typed; the worker converts it, then places them).
 */
function jobOf(file: WorkflowFile, set: readonly SetAssignment[]): { workflow: Record<string, unknown>; inputs: InputsOption } {
  if (file.format === 'api') return splitSetAssignments(file.workflow, set);
  const values = set.filter((assignment) => assignment.file === undefined);
  if (values.length) throw new CliUsageError(`--set ${values[0]?.text}: a UI-format workflow takes only @FILE values in a job (convert it first: comfyui-rx convert)`);
  return { workflow: file.workflow, inputs: Object.fromEntries(set.map((assignment) => [assignment.path.join('.'), assignment.file as string])) };
}

/**
 * `comfyui-rx enqueue FILE...`: adds each workflow (`--count` times) as a job and prints the ids.
 * With `--wait`, follows the jobs (a line per state change and per progress step of 10%) and
 * exits with the codes of `run` (0 all completed, 1 some failed, 3 unreachable, 4 rejected, 130 Ctrl-C).
 */
export async function enqueueCommand(ctx: CliContext, files: readonly string[], options: EnqueueCommandOptions): Promise<ExitCode> {
  const { ComfyJobQueue, reviveError } = await loadQueue();
  checkSetFiles(options.set ?? []);
  // either format: the worker's client converts UI workflows
  const workflows = await Promise.all(files.map(async (file) => jobOf(await readWorkflowFile(file), options.set ?? [])));
  const queue = new ComfyJobQueue({ connection: redisConnection(options.redis), name: options.queue, logger: ctx.logger });
  const line = (value: Record<string, unknown>, text: string): void => ctx.out(ctx.json ? `${JSON.stringify(value)}\n` : `${text}\n`);
  try {
    const webhook = options.webhook ? { url: options.webhook, progress: options.webhookProgress ?? false } : undefined;
    const jobs = workflows.flatMap(({ workflow, inputs }) => Array.from({ length: options.count }, () => ({ workflow, options: { ...(webhook ? { webhook } : {}), ...inputsOption(inputs) } })));
    const added = await queue.addBulk(jobs);
    for (const { id } of added) line({ type: 'added', jobId: id, queue: options.queue }, `added job ${id} to ${options.queue} on ${queue.where}`);
    if (!options.wait) return ExitCode.ok;
    const failures: Error[] = [];
    const lastTenth = new Map<string, number>();
    const follow$ = merge(
      ...added.map(({ id }) =>
        queue.events$(id).pipe(
          tap((event) => {
            switch (event.type) {
              case 'active':
                return line(event, `job ${id} active on ${event.server}${event.reattached ? ' (reattached)' : ''}`);
              case 'progress': {
                const tenth = Math.floor((event.progress.percent ?? 0) / 10);
                if (tenth === lastTenth.get(id)) return undefined;
                lastTenth.set(id, tenth);
                return line(event, `job ${id} ${event.progress.state} ${event.progress.percent ?? 0}%${event.progress.classType ? ` ${event.progress.classType}` : ''}`);
              }
              case 'completed':
                return line(event, `job ${id} completed: ${event.result.files.map((f) => f.path).join(', ') || event.result.references.map((r) => r.url).join(', ')}`);
              case 'failed':
                if (!event.willRetry) failures.push(reviveError(event.error));
                return line(event, `job ${id} failed: ${describeJobError(event.error)}${event.willRetry ? ' (will retry)' : ''}`);
              case 'removed':
                failures.push(new Error(`job ${id} was removed`));
                return line(event, `job ${id} removed`);
              default:
                return undefined;
            }
          }),
        ),
      ),
    );
    const aborted = new Promise<'aborted'>((resolve) => ctx.signal.addEventListener('abort', () => resolve('aborted'), { once: true }));
    const end = await Promise.race([lastValueFrom(follow$, { defaultValue: undefined }).then(() => 'done' as const), aborted]);
    if (end === 'aborted') return ExitCode.interrupted; // the jobs stay queued: workers run them
    return exitCodeOfFailures(failures);
  } finally {
    await queue.close();
  }
}
