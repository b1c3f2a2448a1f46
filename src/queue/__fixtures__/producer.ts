/**
 * A producer in a process of its own: adds `count` tiny-image jobs (ids `<prefix>-<n>`) to a queue
 * in one addBulk, prints `added <n>`, and exits at once (its Redis connection dropped, not closed).
 * argv: redis-url queue prefix count
 */
import { tinyImage } from '../../__fixtures__/workflows';
import { ComfyJobQueue } from '../ComfyJobQueue';

async function main(): Promise<void> {
  const [url, name, prefix, count] = process.argv.slice(2);
  const queue = new ComfyJobQueue({ connection: { url: url as string }, name: name as string });
  const n = Number(count);
  const jobs = Array.from({ length: n }, (_, i) => ({ workflow: tinyImage(`${prefix}-${i}`, i), options: { jobId: `${prefix}-${i}` } }));
  const added = await queue.addBulk(jobs);
  process.stdout.write(`added ${added.length}\n`, () => process.exit(0));
}

void main();
