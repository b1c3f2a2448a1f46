#!/usr/bin/env node
import { ExitCode } from './exitCodes';
import { runCli } from './runCli';

/** After the command ends, anything still holding the event loop gets this long before we exit anyway. */
const EXIT_GRACE_MS = 3_000;

// `comfyui-rx ... | head`: a closed pipe is not an error worth a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? ExitCode.ok);
    throw err;
  });
}

const controller = new AbortController();
process.on('SIGINT', () => {
  if (controller.signal.aborted) process.exit(ExitCode.interrupted); // second Ctrl-C: leave now
  controller.abort();
});

runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, openStdin: () => process.stdin, env: process.env, signal: controller.signal }).then((code) => {
  process.exitCode = code;
  setTimeout(() => process.exit(code), EXIT_GRACE_MS).unref();
});
