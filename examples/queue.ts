/**
 * queue: durable jobs across processes. A producer adds workflows to a Redis queue; a worker runs
 * them on a ComfyUI server (here both in this process, on the embedded FakeComfyServer unless
 * COMFYUI_URL is set); the producer follows each job with events$ and awaits its result. In real
 * deployments producers and workers are separate processes (`comfyui-rx worker`).
 *
 *   REDIS_URL=redis://127.0.0.1:6379 npx tsx examples/queue.ts
 */
import { randomUUID } from 'node:crypto';
import { ComfyJobQueue, ComfyWorker } from 'comfyui-rx/queue';
import { lastValueFrom, tap } from 'rxjs';
import { loadWorkflow, openTarget, outputDir } from './_target';

async function main(): Promise<void> {
  const target = await openTarget();
  const connection = { url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' };
  const name = `example-${randomUUID().slice(0, 8)}`; // a queue of its own, removed at the end
  const queue = new ComfyJobQueue({ connection, name });
  const worker = new ComfyWorker({ connection, name, target: target.client, out: { dir: outputDir('queue') } });
  try {
    const workflow = loadWorkflow('text2image');
    const jobs = await queue.addBulk(
      ['a lighthouse at dusk', 'a fox in the snow'].map((text, i) => ({ workflow: { ...workflow, '6': { ...workflow['6'], inputs: { ...workflow['6']?.inputs, text } } }, options: { jobId: `example-${i + 1}` } })),
    );
    console.log(`queued ${jobs.length} jobs on ${queue.where}`);
    await Promise.all(
      jobs.map(({ id }) =>
        lastValueFrom(
          queue.events$(id).pipe(
            tap((event) => {
              if (event.type === 'state') console.log(`${id}: ${event.state}`);
              if (event.type === 'active') console.log(`${id}: running on ${event.server} (prompt ${event.promptId})`);
              if (event.type === 'completed') console.log(`${id}: completed, saved ${event.result.files.map((file) => file.path).join(', ')}`);
              if (event.type === 'failed') console.log(`${id}: failed with ${event.error.name}${event.willRetry ? ' (will retry)' : ''}`);
            }),
          ),
        ),
      ),
    );
    const result = await queue.result(jobs[0]!.id); // later, from anywhere: the outputs (or the typed error)
    console.log(`result of ${jobs[0]!.id}: prompt ${result.promptId} on ${result.server}, ${result.files.length} file(s)`);
  } finally {
    await worker.close();
    await queue.obliterate();
    await queue.close();
    target.client.close();
    await target.close();
  }
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
