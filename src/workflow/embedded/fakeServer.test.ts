import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { FakeComfyServer } from '../../testing';
import { ComfyNoWorkflowError } from '../../errors';
import { readEmbeddedWorkflow } from './readEmbeddedWorkflow';

type Graph = Record<string, { class_type: string; inputs: Record<string, unknown> }>;
type FileRef = { filename: string; subfolder: string; type: string };
const load = (name: string): Graph => JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'examples', 'workflows', name), 'utf8')) as Graph;
const UI_WORKFLOW = JSON.parse(readFileSync(join(__dirname, '..', '__fixtures__', 'img2img__img2img_workflow.workflow.json'), 'utf8')) as unknown;

describe("the fake's savers embed the workflow as a real server's do", () => {
  let fake: FakeComfyServer;
  beforeEach(async () => {
    fake = await FakeComfyServer.start();
  });
  afterEach(() => fake.stop());

  /** Runs `prompt` with `extra_data`, returns the bytes of the first file node `saver` saved. */
  async function savedFile(prompt: Graph, saver: string, extraData: Record<string, unknown>): Promise<Buffer> {
    const response = await fetch(`${fake.url}/prompt`, { method: 'POST', body: JSON.stringify({ prompt, extra_data: extraData }) });
    const { prompt_id: promptId } = (await response.json()) as { prompt_id: string };
    expect(await fake.promptFinished(promptId)).toEqual({ promptId, status: 'success' });
    const ref = (fake.historyOf(promptId)?.outputs[saver] as { images: FileRef[] }).images[0] as FileRef;
    const view = await fetch(`${fake.url}/view?${new URLSearchParams(ref)}`);
    expect(view.status).toBe(200);
    return Buffer.from(await view.arrayBuffer());
  }

  it('SaveImage: the PNG at /view carries the prompt and extra_pnginfo.workflow', async () => {
    const prompt = load('text2image.json');
    const file = await savedFile(prompt, '9', { extra_pnginfo: { workflow: UI_WORKFLOW } });
    expect(readEmbeddedWorkflow(file)).toEqual({ container: 'png', workflow: UI_WORKFLOW, prompt });
    expect(PNG.sync.read(file).width).toBeGreaterThan(0);
  });

  it('SaveAnimatedWEBP: the WebP carries them in its EXIF chunk', async () => {
    const prompt = load('text2video.json');
    const file = await savedFile(prompt, Object.keys(prompt).find((id) => prompt[id]?.class_type === 'SaveAnimatedWEBP') as string, { extra_pnginfo: { workflow: UI_WORKFLOW } });
    expect(readEmbeddedWorkflow(file)).toEqual({ container: 'webp', workflow: UI_WORKFLOW, prompt });
  });

  it('SaveAnimatedPNG: the APNG carries them in comf chunks', async () => {
    const prompt = load('text2video.json');
    const saver = Object.keys(prompt).find((id) => prompt[id]?.class_type === 'SaveAnimatedWEBP') as string;
    const { images, filename_prefix: prefix, fps } = prompt[saver]?.inputs ?? {};
    prompt[saver] = { class_type: 'SaveAnimatedPNG', inputs: { images, filename_prefix: prefix, fps, compress_level: 4 } };
    const file = await savedFile(prompt, saver, { extra_pnginfo: { workflow: UI_WORKFLOW } });
    expect(file.includes(Buffer.from('comfworkflow\0'))).toBe(true);
    expect(readEmbeddedWorkflow(file)).toEqual({ container: 'png', workflow: UI_WORKFLOW, prompt });
  });

  it('embeds the prompt alone when the request sent no extra_pnginfo (as SaveImage does: the prompt always)', async () => {
    const prompt = load('text2image.json');
    const file = await savedFile(prompt, '9', {});
    expect(readEmbeddedWorkflow(file)).toEqual({ container: 'png', prompt });
  });

  it("a PNG without ComfyUI's text chunks holds no workflow: ComfyNoWorkflowError", () => {
    expect(() => readEmbeddedWorkflow(PNG.sync.write(new PNG({ width: 1, height: 1 })))).toThrow(ComfyNoWorkflowError);
  });
});
