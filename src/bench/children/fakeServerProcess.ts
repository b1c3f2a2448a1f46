import { once } from 'node:events';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import type { FakeComfyServerOptions } from '../../testing';
import { forkTs } from '../harness/childProcess';
import type { FakeChildCommand, FakeChildReply } from './fakeServer.child';

/** Parent-side handle of `fakeServer.child.ts`: a fake server in another process. */
export class FakeServerProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {}

  /** Forks the child and waits until it listens. Options must be JSON (no latency function). */
  static async start(options: FakeComfyServerOptions = {}): Promise<FakeServerProcess> {
    const child = forkTs(path.join(__dirname, 'fakeServer.child.ts'), [JSON.stringify(options)]);
    const [reply] = (await Promise.race([once(child, 'message'), once(child, 'exit').then(() => [undefined])])) as [FakeChildReply | undefined];
    if (reply?.kind !== 'ready') throw new Error('fake server child did not start');
    return new FakeServerProcess(child, reply.url);
  }

  /** The child's CPU time so far (user + system, µs) and its HTTP request count. */
  async usage(): Promise<{ cpuMicros: number; httpRequests: number }> {
    const reply = await this.ask({ cmd: 'usage' });
    if (reply.kind !== 'usage') throw new Error(`unexpected reply ${reply.kind}`);
    return reply;
  }

  /** Stops the fake and waits for the process to exit. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = once(this.child, 'exit');
    this.child.send({ cmd: 'stop' } satisfies FakeChildCommand);
    await exited;
  }

  private async ask(command: FakeChildCommand): Promise<FakeChildReply> {
    const answer = once(this.child, 'message');
    this.child.send(command);
    const [reply] = (await answer) as [FakeChildReply];
    return reply;
  }
}
