import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { animatedPng } from '../../testing/media';
import { embedPngMetadata } from './embedPngMetadata';
import { readEmbeddedWorkflow } from './readEmbeddedWorkflow';
import { readEmbeddedWorkflowFromFile } from './readEmbeddedWorkflowFromFile';

const FIXTURES = join(__dirname, '__fixtures__');
const PAIRS = join(__dirname, '..', '__fixtures__');
const readJson = (path: string): unknown => JSON.parse(readFileSync(path, 'utf8'));
const IMG2IMG = { prompt: readJson(join(PAIRS, 'img2img__img2img_workflow.prompt.json')), workflow: readJson(join(PAIRS, 'img2img__img2img_workflow.workflow.json')) };

/** Files written by ComfyUI's own saver code (PIL, PyAV over FFmpeg): see __fixtures__/README.md. */
const SAVER_FILES: readonly (readonly [file: string, container: string])[] = [
  ['SaveImage.png', 'png'],
  ['SaveAnimatedPNG.png', 'png'],
  ['SaveAnimatedWEBP.webp', 'webp'],
  ['SaveVideo.mp4', 'mp4'],
  ['SaveWEBM.webm', 'webm'],
  ['SaveAudio.flac', 'flac'],
  ['SaveAudio.mp3', 'mp3'],
  ['SaveAudio.opus', 'ogg'],
];

describe('readEmbeddedWorkflow on files ComfyUI savers wrote', () => {
  it.each(SAVER_FILES)('%s (%s) gives back the workflow and prompt it was given', async (file, container) => {
    const path = join(FIXTURES, file);
    const expected = { container, ...IMG2IMG };
    expect(readEmbeddedWorkflow(readFileSync(path))).toEqual(expected);
    expect(await readEmbeddedWorkflowFromFile(path)).toEqual(expected);
  });

  it('reads a QuickTime file from the ffmpeg CLI (moov first) whose prompt holds NaN', async () => {
    const result = await readEmbeddedWorkflowFromFile(join(FIXTURES, 'ffmpeg-faststart-nan.mov'));
    expect(result).toEqual({
      container: 'mp4',
      prompt: { '3': { class_type: 'KSampler', inputs: { seed: 42, cfg: Number.NaN } } },
      workflow: { last_node_id: 3, nodes: [{ id: 3, type: 'KSampler' }], links: [], version: 0.4 },
    });
  });
});

describe('embedPngMetadata', () => {
  const picture = () => {
    const image = new PNG({ width: 2, height: 2 });
    image.data.fill(200);
    return PNG.sync.write(image);
  };
  const pairs = readdirSync(PAIRS).filter((name) => name.endsWith('.workflow.json')).map((name) => name.replace('.workflow.json', ''));

  it.each(pairs)('round-trips the shared pair %s through a PNG', (pair) => {
    const prompt = readJson(join(PAIRS, `${pair}.prompt.json`));
    const workflow = readJson(join(PAIRS, `${pair}.workflow.json`));
    const file = embedPngMetadata(picture(), { prompt, workflow });
    expect(readEmbeddedWorkflow(file)).toEqual({ container: 'png', prompt, workflow });
    expect(PNG.sync.read(file).data).toEqual(PNG.sync.read(picture()).data); // still a valid PNG of the same pixels
  });

  it('writes the chunks SaveImage writes, in its order and byte layout (the PIL-written file; Python writes 8.0 where JS has 8)', () => {
    const real = readFileSync(join(FIXTURES, 'SaveImage.png'));
    const ours = embedPngMetadata(picture(), IMG2IMG);
    const textChunks = (bytes: Buffer) => {
      const found: string[] = [];
      for (let position = 8; position < bytes.length; position += 12 + bytes.readUInt32BE(position)) {
        const type = bytes.toString('latin1', position + 4, position + 8);
        found.push(type === 'tEXt' ? `tEXt:${bytes.toString('latin1', position + 8, position + 8 + bytes.readUInt32BE(position))}` : type);
      }
      return found.filter((entry) => entry === 'IHDR' || entry.startsWith('tEXt') || entry === 'IDAT');
    };
    const integralFloats = (entry: string) => entry.replace(/(?<=[ [])(-?\d+)\.0(?=[,\]}])/g, '$1');
    expect(textChunks(ours)).toEqual(textChunks(real).map(integralFloats));
  });

  it("writes SaveAnimatedPNG's comf chunks before IEND, as PIL does (the real file; Python writes 8.0 where JS has 8)", () => {
    const chunkList = (bytes: Buffer) => {
      const found: { type: string; data: string }[] = [];
      for (let position = 8; position < bytes.length; position += 12 + bytes.readUInt32BE(position)) {
        found.push({ type: bytes.toString('latin1', position + 4, position + 8), data: bytes.toString('latin1', position + 8, position + 8 + bytes.readUInt32BE(position)) });
      }
      return found;
    };
    const real = chunkList(readFileSync(join(FIXTURES, 'SaveAnimatedPNG.png')));
    const ours = chunkList(embedPngMetadata(animatedPng({ width: 16, height: 16, seed: 1, frames: 3, fps: 6 }), IMG2IMG, { chunk: 'comf' }));
    expect(ours.slice(-3).map((c) => c.type)).toEqual(['comf', 'comf', 'IEND']);
    expect(ours.slice(-3)).toEqual(real.slice(-3).map((c) => ({ ...c, data: c.data.replace(/(?<=[ [])(-?\d+)\.0(?=[,\]}])/g, '$1') })));
    expect(readEmbeddedWorkflow(embedPngMetadata(animatedPng({ width: 16, height: 16, seed: 1, frames: 3, fps: 6 }), IMG2IMG, { chunk: 'comf' }))).toEqual({ container: 'png', ...IMG2IMG });
  });

  it('replaces an older workflow, keeps other text, puts extra keys after prompt, skips undefined', () => {
    const old = embedPngMetadata(picture(), { workflow: { old: true }, parameters: 'a cat' });
    const file = embedPngMetadata(old, { workflow: { nodes: [] }, prompt: { '1': {} }, note: 'é', skipped: undefined });
    const keys: string[] = [];
    for (let position = 8; position < file.length; position += 12 + file.readUInt32BE(position)) {
      if (file.toString('latin1', position + 4, position + 8) === 'tEXt') keys.push(file.toString('latin1', position + 8, file.indexOf(0, position + 8)));
    }
    expect(keys).toEqual(['prompt', 'workflow', 'note', 'parameters']);
    expect(readEmbeddedWorkflow(file)).toEqual({ container: 'png', workflow: { nodes: [] }, prompt: { '1': {} } });
    expect(file.includes(Buffer.from('"\\u00e9"'))).toBe(true);
  });

  it('refuses what is not a PNG, and keys that are not PNG keywords', () => {
    expect(() => embedPngMetadata(Buffer.from('GIF89a'), { prompt: {} })).toThrow(/not a PNG/);
    expect(() => embedPngMetadata(picture(), { ['x'.repeat(80)]: 1 })).toThrow(RangeError);
  });
});
