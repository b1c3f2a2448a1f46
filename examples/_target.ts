/**
 * Shared by the examples: a ComfyClient of `COMFYUI_URL` when it is set, else of an embedded
 * FakeComfyServer (placeholder pictures, no GPU) started here and stopped by `close()`.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ComfyClient } from 'comfyui-rx';
import { Workflow } from 'comfyui-rx/protocol';
import { FakeComfyServer } from 'comfyui-rx/testing';

export interface ExampleTarget {
  readonly client: ComfyClient;
  /** The embedded fake, when COMFYUI_URL is unset. */
  readonly fake?: FakeComfyServer;
  /** Stops the embedded fake (if any). */
  close(): Promise<void>;
}

/** Connects to COMFYUI_URL, or starts an embedded fake (and says so). */
export async function openTarget(options: { stepLatencyMs?: number } = {}): Promise<ExampleTarget> {
  const url = process.env.COMFYUI_URL;
  if (url) {
    const client = new ComfyClient({ url });
    console.log(`Using ComfyUI at ${client.url}`);
    return { client, close: async () => undefined };
  }
  const fake = await FakeComfyServer.start({ stepLatencyMs: options.stepLatencyMs ?? 15 });
  console.log(`COMFYUI_URL is not set: using an embedded FakeComfyServer at ${fake.url} (placeholder pictures)`);
  const client = new ComfyClient({ url: fake.url, lingerMs: 0 });
  return {
    client,
    fake,
    close: async () => {
      if (fake.stats.wsOpen > 0) await fake.waitFor('ws-close').catch(() => undefined); // let the client leave first
      await fake.stop();
    },
  };
}

/** A template shipped in examples/workflows: `text2image`, `image2image` (SD 1.5), `text2video` or `image2video` (LTX-Video). */
export function loadWorkflow(name: 'text2image' | 'text2video' | 'image2image' | 'image2video'): Workflow {
  return Workflow.parse(JSON.parse(readFileSync(path.join(__dirname, 'workflows', `${name}.json`), 'utf8')));
}

/** Where an example saves its files: ./output/<example> under the current folder. */
export function outputDir(example: string): string {
  return path.resolve('output', example);
}
