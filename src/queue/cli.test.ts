/**
 * `comfyui-rx worker`, `enqueue --wait` and `jobs` against a real Redis reached through a Redis
 * user with a password (an ACL user made here), and a FakeComfyServer: the password never
 * appears in any output or log line.
 */
import { randomUUID } from 'node:crypto';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { failingImage, tinyImage } from '../__fixtures__/workflows';
import { runCliCaptured } from '../cli/__fixtures__/runCliCaptured';
import { FakeComfyServer } from '../testing';
import { REDIS_URL, redisClient, requireRedis, uniqueQueueName } from './__fixtures__/redis';
import { type LineProcess, startWorker } from './__fixtures__/processes';
import { ComfyJobQueue } from './ComfyJobQueue';

jest.setTimeout(60_000);

const PASSWORD = `s3cret-${randomUUID()}`;
const USER = `comfyrx-${randomUUID().slice(0, 8)}`;

/** REDIS_URL with our user and password in it. */
const secretUrl = (): string => {
  const url = new URL(REDIS_URL);
  url.username = USER;
  url.password = PASSWORD;
  return url.toString();
};

const cli = (args: readonly string[]) => runCliCaptured(['--plain', '--log-level', 'debug', ...args]);

describe('queue CLI (worker, enqueue --wait, jobs)', () => {
  let fake: FakeComfyServer;
  let worker: LineProcess | undefined;
  let dir: string;
  const name = uniqueQueueName('cli');

  beforeAll(async () => {
    await requireRedis();
    const redis = redisClient();
    await redis.call('ACL', 'SETUSER', USER, 'on', `>${PASSWORD}`, '~*', '&*', '+@all');
    redis.disconnect();
    fake = await FakeComfyServer.start();
    dir = mkdtempSync(path.join(tmpdir(), 'comfyrx-qcli-'));
    writeFileSync(path.join(dir, 'ok.json'), JSON.stringify(tinyImage('cli-ok', 21)));
    writeFileSync(path.join(dir, 'fail.json'), JSON.stringify(failingImage('cli-fail', 22)));
    worker = await startWorker(secretUrl(), name, [fake.url], ['--out', path.join(dir, 'out'), '--log-level', 'debug']);
  });
  afterAll(async () => {
    await worker?.kill('SIGTERM');
    const queue = new ComfyJobQueue({ connection: { url: REDIS_URL }, name });
    await queue.obliterate();
    await queue.close();
    const redis = redisClient();
    await redis.call('ACL', 'DELUSER', USER);
    redis.disconnect();
    await fake?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('enqueue --wait runs the jobs through the worker process and exits 0; jobs --json counts them; no password anywhere', async () => {
    const enqueued = await cli(['enqueue', path.join(dir, 'ok.json'), '--redis', secretUrl(), '--queue', name, '--count', '2', '--wait']);
    expect(enqueued.code).toBe(0);
    expect(enqueued.stdout.match(/ completed: /g)).toHaveLength(2);
    const jobs = await cli(['--json', 'jobs', '--redis', secretUrl(), '--queue', name]);
    expect(jobs.code).toBe(0);
    expect(JSON.parse(jobs.stdout)).toMatchObject({ queue: name, counts: { completed: 2, failed: 0 } });
    await worker?.waitLine(/completed in/);
    for (const text of [enqueued.stdout, enqueued.stderr, jobs.stdout, jobs.stderr, worker?.lines.join('\n'), worker?.stderr]) {
      expect(text).not.toContain(PASSWORD);
    }
    expect(worker?.stderr.length).toBeGreaterThan(0); // debug logs were written, and checked above
  });

  it('enqueue --wait exits 1 when a job fails (execution error), and jobs lists the failure with its reason', async () => {
    const enqueued = await cli(['enqueue', path.join(dir, 'fail.json'), '--redis', secretUrl(), '--queue', name, '--wait']);
    expect(enqueued.code).toBe(1);
    expect(enqueued.stdout).toMatch(/failed: ComfyExecutionError/);
    const jobs = await cli(['jobs', '--redis', secretUrl(), '--queue', name]);
    expect(jobs.stdout).toMatch(/last failures:\n .*ComfyExecutionError/);
    expect(jobs.stdout + jobs.stderr + enqueued.stderr).not.toContain(PASSWORD);
  });
});
