/**
 * queue-service: the queue run as a service. A worker signs webhooks (Standard Webhooks) and
 * serves /metrics, /healthz and /readyz; a receiver in this process verifies each webhook with the
 * `standardwebhooks` package before trusting it; one job runs through it. In production the worker
 * is `comfyui-rx worker --webhook-secret ... --metrics-port 9464` (see the README, "Running it as a service").
 *
 *   REDIS_URL=redis://127.0.0.1:6379 npx tsx examples/queue-service.ts
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ComfyJobQueue, ComfyWorker, serveMetrics } from 'comfyui-rx/queue';
import { Webhook } from 'standardwebhooks';
import { loadWorkflow, openTarget } from './_target';

async function main(): Promise<void> {
  const target = await openTarget();
  const connection = { url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' };
  const name = `example-${randomUUID().slice(0, 8)}`;
  const secret = `whsec_${randomBytes(32).toString('base64')}`; // shared by the workers and the receiver only

  // the receiver: verify, then trust; answer 2xx fast (retries come with the same webhook-id)
  const verifier = new Webhook(secret);
  let received!: (event: { type: string; data: { jobId: string } }) => void;
  const first = new Promise<{ type: string; data: { jobId: string } }>((resolve) => (received = resolve));
  const receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      try {
        const event = verifier.verify(body, req.headers as Record<string, string>) as { type: string; data: { jobId: string } };
        res.writeHead(204).end();
        received(event);
      } catch {
        res.writeHead(400).end();
      }
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', () => resolve()));
  const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/comfy`;

  const queue = new ComfyJobQueue({ connection, name });
  const worker = new ComfyWorker({ connection, name, target: target.client, webhooks: { secret } });
  const metrics = await serveMetrics({ port: 0, host: '127.0.0.1', registry: worker.metrics.registry, ready: () => worker.readiness() });
  try {
    await worker.waitUntilReady();
    const { id } = await queue.add(loadWorkflow('text2image'), { webhook: hookUrl });
    const event = await first;
    console.log(`webhook verified: ${event.type} for job ${event.data.jobId} (added as ${id})`);
    console.log(`/readyz: ${(await fetch(`${metrics.url}/readyz`)).status}`);
    const text = await (await fetch(`${metrics.url}/metrics`)).text();
    console.log(text.split('\n').filter((line) => line.startsWith('comfyui_rx_jobs_total') || line.startsWith('comfyui_rx_webhook_deliveries_total')).join('\n'));
  } finally {
    await metrics.close();
    await worker.close();
    await queue.obliterate();
    await queue.close();
    receiver.close();
    target.client.close();
    await target.close();
  }
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
