/**
 * async-iterate: the same streams, consumed with `for await` (rxjs-for-await's `eachValueFrom`)
 * for code that prefers loops to subscriptions. Leaving a loop early (break, return, throw)
 * unsubscribes, which cancels the prompt on the server.
 *
 *   npx tsx examples/async-iterate.ts
 */
import { generate, saveOutputs } from 'comfyui-rx';
import { eachValueFrom } from 'rxjs-for-await';
import { loadWorkflow, openTarget, outputDir } from './_target';

async function main(): Promise<void> {
  const { client, close } = await openTarget();
  try {
    // 1. One prompt: every event in order, then its outputs saved.
    const workflow = loadWorkflow('text2image');
    workflow['6'].inputs.text = 'an owl librarian stacking glowing books';
    for await (const event of eachValueFrom(client.run(workflow))) {
      if (event.type === 'executing') console.log(`node ${event.node} (${event.classType ?? '?'})`);
      else if (event.type === 'progress' && event.value % 5 === 0) console.log(`  step ${event.value}/${event.max}`);
      else if (event.type === 'done') {
        for await (const file of eachValueFrom(saveOutputs(client.http, event.outputs, { dir: outputDir('async-iterate') }))) console.log(`saved ${file.path}`);
      }
    }

    // 2. A batch, item by item; a `break` here would cancel the running prompt and skip the rest.
    const batch$ = generate({
      target: client,
      workflow: loadWorkflow('text2image'),
      descriptions: ['a snail racing a rocket', 'a cloud knitting a sweater'],
      out: { dir: outputDir('async-iterate') },
    });
    for await (const event of eachValueFrom(batch$)) {
      if (event.type === 'item-start') console.log(`${event.item.label}: ${event.item.description}`);
      if (event.type === 'saved') console.log(`  saved ${event.file.path}`);
      if (event.type === 'item-failed') console.log(`  failed: ${event.error.message}`);
      if (event.type === 'summary') {
        console.log(`${event.summary.done}/${event.summary.total} done`);
        if (event.summary.failed) process.exitCode = 1;
      }
    }
  } finally {
    await close();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
