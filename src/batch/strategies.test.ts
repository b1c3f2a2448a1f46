import text2imageJson from '../../examples/workflows/text2image.json';
import text2videoJson from '../../examples/workflows/text2video.json';
import { ComfyOptionsError } from '../errors';
import { Workflow } from '../protocol/api';
import { ComfyLocateError } from './comfyLocateError';
import { detectStrategy } from './detectStrategy';
import { text2image } from './text2image';
import { text2video } from './text2video';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { image2image } from './image2image';
import { image2video } from './image2video';

const image = Workflow.parse(text2imageJson);
const video = Workflow.parse(text2videoJson);

/** Catches what `fn` throws (the test fails if it does not throw). */
function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a throw');
}

describe('text2image', () => {
  it('finds the positive prompt, seed, size, steps and file prefix of the SD1.5 default graph', () => {
    expect(text2image().locate(image)).toEqual({
      text: ['6.inputs.text'],
      seed: ['3.inputs.seed'],
      width: ['5.inputs.width'],
      height: ['5.inputs.height'],
      length: [],
      batchSize: ['5.inputs.batch_size'],
      steps: ['3.inputs.steps'],
      filenamePrefix: ['9.inputs.filename_prefix'],
      image: [],
    });
  });

  it('never picks the negative prompt, whatever the node order', () => {
    const swapped = Workflow.parse({ ...text2imageJson, '3': { ...text2imageJson['3'], inputs: { ...text2imageJson['3'].inputs, positive: ['7', 0], negative: ['6', 0] } } });
    expect(text2image().locate(swapped).text).toEqual(['7.inputs.text']);
  });

  it('explicit paths win and are not searched for', () => {
    const located = text2image().locate(image, { text: '7.inputs.text', seed: ['3.inputs.seed'] });
    expect(located.text).toEqual(['7.inputs.text']);
    expect(located.seed).toEqual(['3.inputs.seed']);
  });

  it('an explicit path naming a missing node or input is an options error naming the option', () => {
    expect(thrown(() => text2image().locate(image, { seed: '99.inputs.seed' }))).toEqual(
      new ComfyOptionsError('paths.seed: node "99" is not in the workflow (its nodes: 3, 4, 5, 6, 7, 8, 9)'),
    );
    const error = thrown(() => text2image().locate(image, { text: '6.inputs.txt' }));
    expect(error).toBeInstanceOf(ComfyOptionsError);
    expect(error.message).toBe('paths.text: node 6 (CLIPTextEncode) has no input "txt" (its inputs: text, clip)');
  });

  it('follows SD3/Flux graphs: SamplerCustomAdvanced -> guider -> FluxGuidance -> CLIPTextEncode, seed on RandomNoise', () => {
    const flux = Workflow.parse({
      '6': { class_type: 'CLIPTextEncode', inputs: { text: 'x', clip: ['11', 0] } },
      '11': { class_type: 'DualCLIPLoader', inputs: {} },
      '13': { class_type: 'SamplerCustomAdvanced', inputs: { noise: ['25', 0], guider: ['22', 0], latent_image: ['27', 0] } },
      '22': { class_type: 'BasicGuider', inputs: { model: ['12', 0], conditioning: ['26', 0] } },
      '25': { class_type: 'RandomNoise', inputs: { noise_seed: 1 } },
      '26': { class_type: 'FluxGuidance', inputs: { guidance: 3.5, conditioning: ['6', 0] } },
      '27': { class_type: 'EmptySD3LatentImage', inputs: { width: 1024, height: 1024, batch_size: 1 } },
    });
    const located = text2image({ width: 512 }).locate(flux);
    expect(located.text).toEqual(['6.inputs.text']);
    expect(located.seed).toEqual(['25.inputs.noise_seed']);
    expect(located.width).toEqual(['27.inputs.width']);
  });

  it('a text linked to a string node resolves to that node', () => {
    const linked = Workflow.parse({ ...text2imageJson, '6': { ...text2imageJson['6'], inputs: { text: ['20', 0], clip: ['4', 1] } }, '20': { class_type: 'PrimitiveStringMultiline', inputs: { value: 'hi' } } });
    expect(text2image().locate(linked).text).toEqual(['20.inputs.value']);
  });

  it('says what it looked for and what the graph has when there is no sampler', () => {
    const plain = Workflow.parse({
      '1': { class_type: 'EmptyImage', inputs: { width: 64, height: 64, batch_size: 1, color: 0 } },
      '9': { class_type: 'SaveImage', inputs: { images: ['1', 0], filename_prefix: 'x' } },
    });
    const error = thrown(() => text2image().locate(plain));
    expect(error).toBeInstanceOf(ComfyLocateError);
    expect(error).toMatchObject({ strategy: 'text2image', graph: ['1: EmptyImage', '9: SaveImage'] });
    expect((error as ComfyLocateError).missing.map((m) => m.key)).toEqual(['text', 'seed']);
    expect(error.message).toContain('text2image cannot find where to put text, seed in this workflow.');
    expect(error.message).toContain('a sampler (KSampler, KSamplerAdvanced, SamplerCustom, SamplerCustomAdvanced) whose positive input leads to a text encoder (CLIPTextEncode.text');
    expect(error.message).toContain('no sampler in the workflow');
    expect(error.message).toContain('seed: looked for KSampler.seed, KSamplerAdvanced.noise_seed, SamplerCustom.noise_seed, RandomNoise.noise_seed');
    expect(error.message).toContain('The workflow has: 1: EmptyImage, 9: SaveImage.');
    expect(error.message).toContain("paths: { text: '6.inputs.text' }");
  });

  it('says where the positive link dead-ends', () => {
    const odd = Workflow.parse({ ...text2imageJson, '6': { class_type: 'MysteryConditioning', inputs: { clip: ['4', 1] } } });
    const error = thrown(() => text2image().locate(odd));
    expect(error).toBeInstanceOf(ComfyLocateError);
    expect(error.message).toContain('KSampler 3.positive leads to MysteryConditioning 6, which is no known text encoder and has no conditioning input to follow');
    expect((error as ComfyLocateError).missing.map((m) => m.key)).toEqual(['text']);
  });

  it('a setting needs its place: width on a graph without an image latent fails, naming the latents', () => {
    const error = thrown(() => text2image({ width: 768 }).locate(video));
    expect(error).toBeInstanceOf(ComfyLocateError);
    expect(error.message).toContain('width: looked for EmptyLatentImage.width, EmptySD3LatentImage.width');
  });

  it('rejects invalid settings when made', () => {
    expect(() => text2image({ width: -1 })).toThrow(ComfyOptionsError);
    expect(() => text2image({ steps: 2.5 })).toThrow(/steps/);
    expect(() => text2image({ fps: 3 } as object)).toThrow(/fps/);
  });
});

describe('text2video', () => {
  it('finds the LTX-Video places: positive text through LTXVConditioning, SamplerCustom.noise_seed, the video latent, LTXVScheduler.steps, SaveAnimatedWEBP', () => {
    expect(text2video({ length: 25 }).locate(video)).toEqual({
      text: ['6.inputs.text'],
      seed: ['72.inputs.noise_seed'],
      width: ['70.inputs.width'],
      height: ['70.inputs.height'],
      length: ['70.inputs.length'],
      batchSize: ['70.inputs.batch_size'],
      steps: ['71.inputs.steps'],
      filenamePrefix: ['41.inputs.filename_prefix'],
      image: [],
    });
  });

  it('needs a video latent for length, and says so', () => {
    const error = thrown(() => text2video({ length: 25 }).locate(image));
    expect(error).toBeInstanceOf(ComfyLocateError);
    expect(error.message).toContain('text2video cannot find where to put length in this workflow.');
    expect(error.message).toContain('length: looked for EmptyLTXVLatentVideo.length, EmptyHunyuanLatentVideo.length');
  });

  it('a graph whose sampler is not linked says so', () => {
    const broken = Workflow.parse({ ...text2videoJson, '72': { ...text2videoJson['72'], inputs: { ...text2videoJson['72'].inputs, positive: 'oops' } } });
    const error = thrown(() => text2video().locate(broken));
    expect(error.message).toContain('SamplerCustom 72.positive is not linked to anything');
  });
});

describe('detectStrategy', () => {
  it('picks text2video for the LTX graph and text2image for SD1.5', () => {
    expect(detectStrategy(video).name).toBe('text2video');
    expect(detectStrategy(image).name).toBe('text2image');
  });
});

describe('image2image and image2video', () => {
  const read = (name: string): Workflow => JSON.parse(readFileSync(join(__dirname, '../../examples/workflows', name), 'utf8')) as Workflow;

  it('image2image finds the Load node by class, the seed, steps and prefix; the text when the template has one', () => {
    const locations = image2image({ steps: 10 }).locate(read('image2image.json'));
    expect(locations).toMatchObject({ image: ['10.inputs.image'], text: ['6.inputs.text'], seed: ['3.inputs.seed'], steps: ['3.inputs.steps'], filenamePrefix: ['9.inputs.filename_prefix'] });
  });

  it('image2video finds the Load node feeding LTXVImgToVideo, the text through LTXVConditioning and LTXVImgToVideo, and the size on LTXVImgToVideo', () => {
    const locations = image2video({ width: 512, length: 49 }).locate(read('image2video.json'));
    expect(locations).toMatchObject({ image: ['78.inputs.image'], text: ['6.inputs.text'], seed: ['72.inputs.noise_seed'], width: ['77.inputs.width'], length: ['77.inputs.length'] });
  });

  it('a template without a Load node is a ComfyLocateError naming what it looked for', () => {
    expect(() => image2image().locate(read('text2image.json'))).toThrow(/image2image cannot find where to put image in this workflow\.\n {2}image: looked for LoadImage\.image, LoadImageOutput\.image/);
  });
});
