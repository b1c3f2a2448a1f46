/**
 * compose: the batch is just an Observable, so it composes with any Rx pipeline. One batch,
 * shared by three consumers: running statistics (`scan`), the saved files in pairs
 * (`bufferCount`, e.g. for a contact sheet), and a deadline (`takeUntil`) that stops everything,
 * cancelling the running prompt on the server and skipping the rest.
 *
 *   npx tsx examples/compose.ts [deadline-seconds]
 */
import { type BatchEvent, generate } from 'comfyui-rx';
import { bufferCount, filter, lastValueFrom, map, merge, scan, share, takeUntil, tap, timer } from 'rxjs';
import { loadWorkflow, openTarget, outputDir } from './_target';

const DESCRIPTIONS = ['a cactus in a tuxedo', 'a whale made of clouds', 'a library inside a seashell', 'a bicycle for ants', 'a volcano baking bread'];

async function main(): Promise<void> {
  const deadlineMs = Number(process.argv[2] ?? 60) * 1000;
  const { client, close } = await openTarget();
  try {
    const batch$ = generate({ target: client, workflow: loadWorkflow('text2image'), descriptions: DESCRIPTIONS, out: { dir: outputDir('compose') } }).pipe(
      takeUntil(timer(deadlineMs)), // past the deadline: unsubscribe = cancel on the server
      share(), // one batch for every consumer below
    );

    const stats$ = batch$.pipe(
      filter((event): event is Extract<BatchEvent, { type: 'item-done' | 'item-failed' }> => event.type === 'item-done' || event.type === 'item-failed'),
      scan((acc, event) => ({ ok: acc.ok + (event.type === 'item-done' ? 1 : 0), failed: acc.failed + (event.type === 'item-failed' ? 1 : 0), ms: acc.ms + event.elapsedMs }), { ok: 0, failed: 0, ms: 0 }),
      map((acc) => `stats: ${acc.ok} ok, ${acc.failed} failed, ${(acc.ms / (acc.ok + acc.failed)).toFixed(0)} ms per item on average`),
    );
    const pairs$ = batch$.pipe(
      filter((event): event is Extract<BatchEvent, { type: 'saved' }> => event.type === 'saved'),
      map((event) => event.file.path),
      bufferCount(2), // the last, odd one comes alone when the batch ends
      map((paths) => `contact sheet of ${paths.length}: ${paths.join(' + ')}`),
    );
    const summary$ = batch$.pipe(
      filter((event): event is Extract<BatchEvent, { type: 'summary' }> => event.type === 'summary'),
      map(({ summary }) => `summary: ${summary.done}/${summary.total} done, ${summary.files} files`),
    );

    let finished = false;
    await lastValueFrom(merge(stats$, pairs$, summary$.pipe(tap(() => (finished = true)))).pipe(tap((line) => console.log(line))), { defaultValue: undefined });
    if (!finished) console.log(`deadline of ${deadlineMs / 1000}s reached: the running prompt was cancelled, the rest skipped`);
  } finally {
    await close();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
