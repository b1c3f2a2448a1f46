/**
 * manual-connection: hold ONE WebSocket across many workflows with `client.connect()`. Every
 * `run` shares it; between prompts it stays open (no reconnect, no lost completion message),
 * and it closes when you unsubscribe the hold (after the client's short linger).
 *
 *   npx tsx examples/manual-connection.ts
 */
import { firstValueFrom } from 'rxjs';
import { loadWorkflow, openTarget } from './_target';

const SUBJECTS = ['a paper boat in a storm', 'a lantern-lit treehouse', 'a clockwork hummingbird'];

async function main(): Promise<void> {
  const { client, close } = await openTarget();
  const hold = client.connect(); // opens the shared socket and keeps it open
  try {
    const workflow = loadWorkflow('text2image');
    for (const [index, subject] of SUBJECTS.entries()) {
      workflow['6'].inputs.text = subject;
      workflow['3'].inputs.seed = 1000 + index;
      const done = await client.runAsync(workflow); // sequential awaits, one socket
      console.log(`#${index + 1} "${subject}": prompt ${done.promptId} done in ${done.elapsedMs} ms, outputs of node(s) ${Object.keys(done.outputs).join(', ')}`);
      console.log(`   socket open: ${client.isConnected}, connections so far: ${client.connectionCount}`);
    }
    const queue = await firstValueFrom(client.http.queue());
    console.log(`server queue now: ${queue.queue_running.length} running, ${queue.queue_pending.length} pending`);
    if (client.connectionCount !== 1) throw new Error(`expected one connection for the whole session, got ${client.connectionCount}`);
    console.log(`${SUBJECTS.length} workflows on ${client.connectionCount} connection`);
  } finally {
    hold.unsubscribe(); // let the socket go
    await close();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
