/**
 * A `ComfyWorker` with the default lock settings in a process of its own whose event loop the test
 * blocks on demand: SIGUSR2 blocks it (synchronously, `Atomics.wait`) for `blockMs`. Prints
 * `ready`, `active <jobId>`, `blocking`, `unblocked`, `completed <jobId>`.
 * argv: redis-url queue comfy-url blockMs
 */
import { ComfyClient } from '../../client';
import { ComfyWorker } from '../ComfyWorker';

const say = (line: string): void => void process.stdout.write(`${line}\n`); // a pipe: written synchronously on Linux

async function main(): Promise<void> {
  const [redis, name, url, blockMs] = process.argv.slice(2);
  const client = new ComfyClient({ url: url as string, lingerMs: 0 });
  const worker = new ComfyWorker({ connection: { url: redis as string }, name: name as string, target: client });
  worker.activity$.subscribe((event) => {
    if (event.type === 'active' || event.type === 'completed') say(`${event.type} ${event.jobId}`);
  });
  process.on('SIGUSR2', () => {
    say('blocking');
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Number(blockMs));
    say('unblocked');
  });
  process.once('SIGTERM', () => void worker.close().then(() => (client.close(), process.exit(0))));
  await worker.waitUntilReady();
  say('ready');
}

void main();
