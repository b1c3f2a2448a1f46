/**
 * Signed webhooks against a real HTTP receiver that verifies every request with the
 * `standardwebhooks` verifier and counts deliveries per webhook-id; a real Redis; for the crash, a
 * real worker process killed while it owes deliveries to a receiver that is down.
 */
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { runCliCaptured } from '../cli/__fixtures__/runCliCaptured';
import { Job, Queue } from 'bullmq';
import pino from 'pino';
import { filter, firstValueFrom, take, toArray } from 'rxjs';
import { failingImage, slowImage, tinyImage } from '../__fixtures__/workflows';
import { ComfyClient } from '../client';
import { ComfyOptionsError } from '../errors';
import { FakeComfyServer } from '../testing';
import { type LineProcess, startWorker } from './__fixtures__/processes';
import { REDIS_URL, redisClient, requireRedis, uniqueQueueName } from './__fixtures__/redis';
import { dumpQueueKeys } from './__fixtures__/redisDump';
import { WebhookReceiver } from './__fixtures__/webhookReceiver';
import { ComfyJobQueue } from './ComfyJobQueue';
import { ComfyWorker } from './ComfyWorker';
import { JobData } from './jobData';
import type { WorkerWebhookOptions } from './delivery/options';

jest.setTimeout(60_000);

const connection = { url: REDIS_URL };

const cli = (args: readonly string[]) => runCliCaptured(['--plain', ...args]);
const SECRET = `whsec_${randomBytes(32).toString('base64')}`;

describe('webhooks (real receiver, real Redis)', () => {
  let fake: FakeComfyServer;
  let client: ComfyClient;
  let receiver: WebhookReceiver;
  let logs = '';
  const logger = pino({ level: 'debug' }, new Writable({ write: (chunk: Buffer, _enc, done) => ((logs += chunk.toString()), done()) }));
  const queues: ComfyJobQueue[] = [];
  const workers: ComfyWorker[] = [];
  const processes: LineProcess[] = [];

  beforeAll(async () => {
    await requireRedis();
    fake = await FakeComfyServer.start({ nodeLatencyMs: 1 });
    client = new ComfyClient({ url: fake.url, lingerMs: 0 });
    receiver = await WebhookReceiver.start(SECRET);
  });
  afterAll(async () => {
    await Promise.all(processes.map((p) => p.kill('SIGKILL')));
    await Promise.all(workers.map((w) => w.close()));
    for (const queue of queues) {
      await queue.obliterate();
      await queue.close();
    }
    await receiver?.stop();
    client?.close();
    await fake?.stop();
  });
  beforeEach(() => receiver.reset());

  const newQueue = (topic: string): ComfyJobQueue => {
    const queue = new ComfyJobQueue({ connection, name: uniqueQueueName(topic), logger });
    queues.push(queue);
    return queue;
  };
  const newWorker = async (name: string, webhooks: Partial<WorkerWebhookOptions>): Promise<ComfyWorker> => {
    const worker = new ComfyWorker({ connection, name, target: client, concurrency: 4, logger, webhooks: { secret: SECRET, ...webhooks } });
    workers.push(worker);
    await worker.waitUntilReady();
    return worker;
  };

  it('signs every delivery; a receiver answering 500 gets retries with the same webhook-id; each event is accepted once', async () => {
    const queue = newQueue('hooks');
    await newWorker(queue.name, { retry: { attempts: 5, backoffMs: 20 } });
    receiver.answer = ({ seen }) => (seen < 2 ? 500 : 204); // each id: 500, 500, then accepted
    const url = `${receiver.url}/hooks`;
    const [a, b, bad, slow] = await queue.addBulk([
      { workflow: tinyImage('hook-a', 41), options: { webhook: url } },
      { workflow: tinyImage('hook-b', 42), options: { webhook: url } },
      { workflow: failingImage('hook-boom', 43), options: { webhook: url } },
      { workflow: slowImage('hook-slow', 8, 20, 44), options: { webhook: { url, progress: true } } },
    ]);
    const results = await Promise.all([a, b, slow].map((job) => queue.result(job!.id)));
    await expect(queue.result(bad!.id)).rejects.toMatchObject({ name: 'ComfyExecutionError' });
    await receiver.waitForAccepted(7); // 3 completed, 1 failed, 3 progress milestones
    expect(receiver.received.filter((r) => !r.valid)).toEqual([]);
    expect([...receiver.accepted.values()]).toEqual([1, 1, 1, 1, 1, 1, 1]);
    for (const id of receiver.accepted.keys()) expect(receiver.received.filter((r) => r.id === id).map((r) => r.status)).toEqual([500, 500, 204]);
    const events = receiver.acceptedEvents();
    const of = (jobId: string, type: string) => events.filter((e) => e.data.jobId === jobId && e.type === type);
    expect(of(a!.id, 'job.completed')).toEqual([
      expect.objectContaining({ data: expect.objectContaining({ state: 'completed', promptId: results[0]!.promptId, outputs: results[0]!.outputs, references: results[0]!.references }) }),
    ]);
    expect(of(b!.id, 'job.completed')).toHaveLength(1);
    expect(of(bad!.id, 'job.failed')).toEqual([expect.objectContaining({ data: expect.objectContaining({ state: 'failed', error: expect.objectContaining({ name: 'ComfyExecutionError' }) }) })]);
    expect(of(slow!.id, 'job.progress').map((e) => e.data.progress?.percent).sort()).toEqual([25, 50, 75]);
    expect(of(slow!.id, 'job.completed')).toHaveLength(1);
  });

  it('a receiver that always answers 500, or never answers: the last attempt is recorded on the job and listed by jobs; nothing hangs', async () => {
    const queue = newQueue('hooks-fail');
    const worker = await newWorker(queue.name, { retry: { attempts: 2, backoffMs: 10 }, timeoutMs: 300 });
    receiver.answer = ({ path }) => (path === '/never' ? 'never' : 500);
    const failed = firstValueFrom(worker.deliveries$.pipe(filter((d) => d.outcome === 'failed'), take(2), toArray()));
    const [down, silent] = await queue.addBulk([
      { workflow: tinyImage('hook-500', 45), options: { webhook: `${receiver.url}/down?token=abc` } },
      { workflow: tinyImage('hook-never', 46), options: { webhook: `${receiver.url}/never` } },
    ]);
    await Promise.all([queue.result(down!.id), queue.result(silent!.id)]); // the jobs complete whatever the receiver does
    const outcomes = await failed;
    expect(outcomes.map((o) => [o.jobId, o.attempt, o.error?.fields.reason]).sort()).toEqual(
      [
        [down!.id, 2, 'status'],
        [silent!.id, 2, 'timeout'],
      ].sort(),
    );
    const raw = new Queue(queue.name, { connection });
    const stored = JobData.parse((await Job.fromId(raw, down!.id))?.data);
    await raw.close();
    expect(stored.deliveryFailures).toEqual([
      expect.objectContaining({ type: 'job.completed', url: `${receiver.url}/down`, attempts: 2, error: expect.objectContaining({ name: 'ComfyWebhookError', fields: expect.objectContaining({ status: 500 }) }) }),
    ]);
    const listed = await queue.lastDeliveryFailures();
    expect(listed.map((f) => f.jobId).sort()).toEqual([down!.id, silent!.id].sort());
    expect(JSON.stringify(listed)).not.toContain('token=abc');
    const jobs = await cli(['jobs', '--redis', REDIS_URL, '--queue', queue.name]);
    expect(jobs.code).toBe(0);
    expect(jobs.stdout).toMatch(new RegExp(`webhooks not delivered:\\n(.*\\n)*  job ${down!.id} job.completed to ${receiver.url}/down .*the receiver answered 500`));
  });

  it('bad input: an invalid or credentialed webhook URL is refused at add, an invalid secret at worker start; neither is echoed', async () => {
    const queue = newQueue('hooks-bad');
    await expect(queue.add(tinyImage('x'), { webhook: 'ftp://example.com/hook' })).rejects.toThrow(/expected http:\/\/ or https:\/\//);
    await expect(queue.add(tinyImage('x'), { webhook: 'not a url' })).rejects.toBeInstanceOf(ComfyOptionsError);
    const credentialed = await queue.add(tinyImage('x'), { webhook: 'https://user:hunter2@example.com/hook' }).catch((err: unknown) => err as Error);
    expect(credentialed).toBeInstanceOf(ComfyOptionsError);
    expect((credentialed as Error).message).not.toContain('hunter2');
    expect(await queue.counts()).toMatchObject({ waiting: 0 });
    const weak = 'whsec_c2hvcnQ='; // 5 bytes
    const error = (() => {
      try {
        new ComfyWorker({ connection, name: queue.name, target: client, webhooks: { secret: weak } });
      } catch (err) {
        return err as Error;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ComfyOptionsError);
    expect(error?.message).not.toContain('c2hvcnQ');
    expect(() => new ComfyWorker({ connection, name: queue.name, target: client, webhooks: { secret: SECRET, url: 'mailto:x@example.com' } })).toThrow(ComfyOptionsError);
  });

  it('the secret is in no log line, no job, no delivery and no error stored in Redis', async () => {
    const redis = redisClient();
    try {
      const stored = (await Promise.all(queues.map((queue) => dumpQueueKeys(redis, queue.name)))).join('\n');
      expect(stored).toContain('job.completed'); // the dump does hold the deliveries
      expect(stored).not.toContain(SECRET);
      expect(stored).not.toContain(SECRET.slice('whsec_'.length));
      expect(logs).toContain('webhook delivered');
      expect(logs).not.toContain(SECRET.slice('whsec_'.length));
    } finally {
      redis.disconnect();
    }
  });

  it('a receiver down while its worker is killed: after it comes back, every terminal state arrives once per id, signed, from another worker', async () => {
    const queue = newQueue('hooks-kill');
    await receiver.down();
    const owing = await startWorker(REDIS_URL, queue.name, [fake.url], ['--webhook', `${receiver.url}/kill`, '--webhook-backoff', '100'], {
      ...process.env,
      COMFYUI_RX_WEBHOOK_SECRET: SECRET,
    });
    processes.push(owing);
    const jobs = await queue.addBulk([
      { workflow: tinyImage('kill-a', 51) },
      { workflow: tinyImage('kill-b', 52) },
      { workflow: failingImage('kill-boom', 53), options: { attempts: 1 } },
    ]);
    await Promise.all([queue.result(jobs[0]!.id), queue.result(jobs[1]!.id), queue.result(jobs[2]!.id).catch(() => undefined)]);
    await owing.kill('SIGKILL'); // it owed the three deliveries: enqueued, attempted against a closed port, delayed
    expect(receiver.received).toHaveLength(0);
    await receiver.up();
    await newWorker(queue.name, { retry: { attempts: 10, backoffMs: 100 } });
    await receiver.waitForAccepted(3);
    expect(receiver.received.filter((r) => !r.valid)).toEqual([]);
    expect([...receiver.accepted.values()]).toEqual([1, 1, 1]);
    const events = receiver.acceptedEvents();
    expect(events.map((e) => `${e.data.jobId} ${e.type}`).sort()).toEqual([`${jobs[0]!.id} job.completed`, `${jobs[1]!.id} job.completed`, `${jobs[2]!.id} job.failed`].sort());
    expect(owing.lines.join('\n') + owing.stderr).not.toContain(SECRET.slice('whsec_'.length));
  });
});
