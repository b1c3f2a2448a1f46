/**
 * A worker's upload step in a process of its own, to measure its memory: streams one output from
 * a ComfyUI server's `/view` into a bucket with `S3Store` and prints `uploaded <bytes> rss-growth
 * <bytes>` (peak RSS sampled every 5 ms, minus RSS before the upload).
 * argv: comfy-url s3-endpoint bucket filename
 */
import { firstValueFrom } from 'rxjs';
import { ComfyClient } from '../../client';
import { S3Store } from '../delivery/s3Store';

async function main(): Promise<void> {
  const [url, endpoint, bucket, filename] = process.argv.slice(2) as [string, string, string, string];
  const client = new ComfyClient({ url, lingerMs: 0 });
  const store = new S3Store({ bucket, prefix: 'big', endpoint, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
  await store.check(); // the SDK loaded and connected before the baseline
  const baseline = process.memoryUsage.rss();
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 5);
  const [stored] = await firstValueFrom(store.upload(client.http, { '9': { images: [{ filename, subfolder: '', type: 'output' }] } }, 'job-big'));
  clearInterval(sampler);
  process.stdout.write(`uploaded ${stored?.bytes ?? 0} rss-growth ${peak - baseline}\n`, () => process.exit(0));
}

void main();
