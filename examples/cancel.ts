/**
 * cancel: unsubscribing cancels on the server. A pending prompt is removed from the queue (it
 * never runs); a running one is interrupted (only ours: `POST /interrupt {prompt_id}`). The
 * server's own /queue and /history show it.
 *
 *   npx tsx examples/cancel.ts
 */
import { type ComfyClient, type PromptEvent, type Workflow } from 'comfyui-rx';
import { type Observable, type Subscription, filter, firstValueFrom, interval, map, share, switchMap, takeWhile } from 'rxjs';
import { loadWorkflow, openTarget } from './_target';

/** Resolves once `event$` shows an event of the given type. */
function whenEvent(event$: Observable<PromptEvent>, type: PromptEvent['type']): Promise<void> {
  return firstValueFrom(event$.pipe(filter((event) => event.type === type), map(() => undefined)));
}

/** Polls the server's queue until the prompt is neither running nor pending. */
async function untilOffTheQueue(client: ComfyClient, promptId: string): Promise<void> {
  const inQueue = (ids: readonly (readonly [number, string, ...unknown[]])[]) => ids.some((item) => item[1] === promptId);
  await firstValueFrom(
    interval(100).pipe(
      switchMap(() => client.http.queue()),
      takeWhile((queue) => inQueue(queue.queue_running) || inQueue(queue.queue_pending), true),
      filter((queue) => !inQueue(queue.queue_running) && !inQueue(queue.queue_pending)),
    ),
  );
}

/** Submits a workflow; resolves with its id (from `queued`), its events, and the subscription that holds it. */
async function submit(client: ComfyClient, workflow: Workflow): Promise<{ promptId: string; events$: Observable<PromptEvent>; subscription: Subscription }> {
  const events$ = client.run(workflow).pipe(share());
  const queued = firstValueFrom(events$.pipe(filter((event): event is Extract<PromptEvent, { type: 'queued' }> => event.type === 'queued')));
  const subscription = events$.subscribe({ error: () => undefined }); // the prompt lives as long as this subscription
  const { promptId } = await queued;
  return { promptId, events$, subscription };
}

async function describe(client: ComfyClient, promptId: string, name: string): Promise<void> {
  const queue = await firstValueFrom(client.http.queue());
  const listed = [...queue.queue_running, ...queue.queue_pending].some((item) => item[1] === promptId);
  const entry = await firstValueFrom(client.http.history(promptId));
  const history = entry ? `history: ${entry.status?.status_str ?? '?'} (${(entry.status?.messages ?? []).map(([type]) => type).join(', ')})` : 'history: none (it never ran)';
  console.log(`${name} ${promptId.slice(0, 8)}: in the queue: ${listed ? 'yes' : 'no'}; ${history}`);
}

async function main(): Promise<void> {
  const { client, close } = await openTarget({ stepLatencyMs: 100 }); // slow sampling: time to cancel
  const hold = client.connect();
  try {
    const slow = (text: string): Workflow => {
      const workflow = loadWorkflow('text2image');
      workflow['6'].inputs.text = text;
      return workflow;
    };
    const first = await submit(client, slow('a very slow snail painting'));
    const second = await submit(client, slow('a queue that never moves')); // waits behind the first
    await whenEvent(first.events$, 'progress'); // the first one is sampling now

    console.log('unsubscribing from the pending prompt...');
    second.subscription.unsubscribe();
    await untilOffTheQueue(client, second.promptId);
    await describe(client, second.promptId, 'pending prompt');

    console.log('unsubscribing from the running prompt...');
    first.subscription.unsubscribe();
    await untilOffTheQueue(client, first.promptId);
    await describe(client, first.promptId, 'running prompt');
  } finally {
    hold.unsubscribe();
    await close();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
