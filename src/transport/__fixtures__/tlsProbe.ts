/**
 * Run as a child process with NODE_EXTRA_CA_CERTS pointing at the fixture certificate (Node reads it
 * only at start-up): calls GET /prompt over https and opens the socket over wss, then prints both.
 * Usage: tsx tlsProbe.ts https://127.0.0.1:PORT/
 */
import pino from 'pino';
import { filter, firstValueFrom } from 'rxjs';
import { ComfyHttp } from '../http';
import { connectSocket } from '../socket';

async function main(): Promise<void> {
  const logger = pino({ level: 'silent' });
  const http = new ComfyHttp({ url: process.argv[2]!, logger });
  const info = await firstValueFrom(http.queueInfo());
  const open = await firstValueFrom(connectSocket({ url: http.endpoint.ws('tls-client'), logger }).pipe(filter((e) => e.kind === 'open')));
  process.stdout.write(JSON.stringify({ info, open }));
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(String(err));
    process.exit(1);
  },
);
