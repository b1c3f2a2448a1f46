import path from 'node:path';
import type { CliContext } from '../CliContext';
import type { ExitCode } from '../exitCodes';
import { openClient } from '../openClient';
import { packageRoot } from '../packageRoot';
import { runJobCommand } from '../runJobCommand';
import { type GenerateCommandOptions, batchEvents, generateLabel, prepareGenerate } from './generateCommand';

/** Options of `comfyui-rx demo`. */
export interface DemoCommandOptions {
  readonly out: string;
  readonly per: number;
  /** Default: `examples/descriptions.txt` of the package. */
  readonly descriptions?: string;
}

/** The demo's descriptions shipped with the package. */
export function demoDescriptions(): string {
  return path.join(packageRoot(), 'examples', 'descriptions.txt');
}

/**
 * `comfyui-rx demo` (`npm start`): a text2image batch of the shipped descriptions, against
 * `--url`/`COMFYUI_URL` when set, else against an embedded FakeComfyServer (it says so), with
 * progress and a summary; the pictures land in `--out` (default `./output`).
 */
export async function demoCommand(ctx: CliContext, options: DemoCommandOptions): Promise<ExitCode> {
  const generateOptions: GenerateCommandOptions = { strategy: 'text2image', descriptions: options.descriptions ?? demoDescriptions(), per: options.per, out: options.out, set: [] };
  const { workflow, descriptions } = await prepareGenerate(ctx, generateOptions);
  const target = await openClient(ctx, { fakeWhenUnset: true });
  const notices = target.fake
    ? [
        `COMFYUI_URL is not set: the demo runs on an embedded FakeComfyServer at ${target.client.url}`,
        'It draws placeholder pictures (no model). Set COMFYUI_URL=http://HOST:8188 (or pass --url) to use a real ComfyUI.',
      ]
    : [`Demo on ComfyUI at ${target.client.url}`];
  return runJobCommand(ctx, { target, workflow, outDir: options.out, notices, events$: batchEvents(target, workflow, descriptions, generateOptions), labelOf: generateLabel(generateOptions) });
}
