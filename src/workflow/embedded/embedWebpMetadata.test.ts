import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { animatedWebp } from '../../testing/media';
import { embedWebpMetadata } from './embedWebpMetadata';
import { readEmbeddedWorkflow } from './readEmbeddedWorkflow';

const PAIRS = join(__dirname, '..', '__fixtures__');
const readJson = (name: string): unknown => JSON.parse(readFileSync(join(PAIRS, name), 'utf8'));
const IMG2IMG = { prompt: readJson('img2img__img2img_workflow.prompt.json'), workflow: readJson('img2img__img2img_workflow.workflow.json') };

/** The chunks of a WebP: FourCC and data. */
function chunks(file: Buffer): { fourCC: string; data: Buffer }[] {
  const out: { fourCC: string; data: Buffer }[] = [];
  for (let position = 12; position + 8 <= file.length; ) {
    const size = file.readUInt32LE(position + 4);
    out.push({ fourCC: file.toString('latin1', position, position + 4), data: file.subarray(position + 8, position + 8 + size) });
    position += 8 + size + (size & 1);
  }
  return out;
}

describe('embedWebpMetadata', () => {
  const animation = animatedWebp({ width: 16, height: 16, seed: 1, frames: 3, fps: 6 });

  it('embeds prompt and workflow so that readEmbeddedWorkflow gives them back', () => {
    const file = embedWebpMetadata(animation, IMG2IMG);
    expect(readEmbeddedWorkflow(file)).toEqual({ container: 'webp', ...IMG2IMG });
    expect(file.readUInt32LE(4)).toBe(file.length - 8);
    expect((chunks(file)[0]?.data[0] ?? 0) & 0x08).toBe(0x08); // VP8X EXIF flag
    expect(chunks(file).map((chunk) => chunk.fourCC)).toEqual(['VP8X', 'ANIM', 'ANMF', 'ANMF', 'ANMF', 'EXIF']);
  });

  it('writes the EXIF block PIL writes for SaveAnimatedWEBP (the real file; Python writes 8.0 where JS has 8)', () => {
    const real = chunks(readFileSync(join(__dirname, '__fixtures__', 'SaveAnimatedWEBP.webp'))).find((chunk) => chunk.fourCC === 'EXIF');
    const ours = chunks(embedWebpMetadata(animation, IMG2IMG)).find((chunk) => chunk.fourCC === 'EXIF');
    const realText = (real?.data ?? Buffer.alloc(0)).toString('latin1');
    const ourText = (ours?.data ?? Buffer.alloc(0)).toString('latin1');
    // Same header, IFD and strings once the float spelling is aligned (which shifts the later offsets by the removed bytes).
    expect(ourText.slice(0, 14 + 2)).toEqual(realText.slice(0, 14 + 2));
    const strings = (text: string) => text.split('\0').filter((part) => part.startsWith('prompt:') || part.startsWith('workflow:'));
    expect(strings(ourText)).toEqual(strings(realText).map((s) => s.replace(/(?<=[ [])(-?\d+)\.0(?=[,\]}])/g, '$1')));
  });

  it('replaces an earlier EXIF chunk and refuses a WebP without VP8X', () => {
    const twice = embedWebpMetadata(embedWebpMetadata(animation, { workflow: { old: true } }), { workflow: { nodes: [] } });
    expect(chunks(twice).filter((chunk) => chunk.fourCC === 'EXIF')).toHaveLength(1);
    expect(readEmbeddedWorkflow(twice)).toEqual({ container: 'webp', workflow: { nodes: [] } });
    expect(() => embedWebpMetadata(Buffer.from('RIFF\x10\0\0\0WEBPVP8L\x04\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0'), { prompt: {} })).toThrow(/extended WebP/);
  });
});
