import { EXIT_CODES_HELP } from '../exitCodes';
import { optionValues as v } from '../optionValues';
import type { RegisterCommand } from './RegisterCommand';

/** `comfyui-rx fake`: see {@link fakeCommand} in `./fakeCommand`. */
export const registerFake: RegisterCommand = (program, withContext) => {
  program
    .command('fake')
    .description('start the embedded FakeComfyServer (placeholder images, no GPU) and run until Ctrl-C')
    .option('--port <port>', 'port to listen on (0: a free one)', v.port, 8188)
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .option('--step-latency <ms>', 'time per sampler step', v.nonNegativeInt, 40)
    .option('--node-latency <ms>', 'time per node', v.nonNegativeInt, 0)
    .option('--no-cache', 'run every node every time (default: unchanged nodes come from the cache, like ComfyUI)')
    .option('--previews', 'samplers send a JPEG preview per step (as with --preview-method auto)', false)
    .option('--server-version <version>', 'the ComfyUI version to answer as: 0.8.0 (recorded answers) or a newer one such as 0.38.1', v.serverVersion, '0.8.0')
    .addHelpText('after', `\nExamples:\n  comfyui-rx fake --port 8189 &\n  comfyui-rx fake --server-version 0.38.1\n  COMFYUI_URL=http://127.0.0.1:8189 comfyui-rx generate --descriptions examples/descriptions.txt\n${EXIT_CODES_HELP}`)
    .action(
      withContext((ctx, options: { port: number; host: string; stepLatency: number; nodeLatency: number; cache: boolean; previews: boolean; serverVersion: string }) =>
        import('./fakeCommand').then(({ fakeCommand }) =>
          fakeCommand(ctx, { port: options.port, host: options.host, stepLatencyMs: options.stepLatency, nodeLatencyMs: options.nodeLatency, cache: options.cache, previews: options.previews, serverVersion: options.serverVersion }),
        ),
      ),
    );
};
