import objectInfo from './__fixtures__/object_info-0.8.0.json';
import { ComfyProtocolError } from '../errors';
import { ObjectInfoIndex } from './objectInfoIndex';

describe('ObjectInfoIndex on the real 0.8.0 /object_info', () => {
  const index = ObjectInfoIndex.from(objectInfo);

  it('lists inputs in input_order, combos as COMBO with their values', () => {
    const ksampler = index.get('KSampler')!;
    expect(ksampler.inputs.map((i) => i.name)).toEqual(['model', 'seed', 'steps', 'cfg', 'sampler_name', 'scheduler', 'positive', 'negative', 'latent_image', 'denoise']);
    const sampler = ksampler.inputsByName.get('sampler_name')!;
    expect(sampler.type).toBe('COMBO');
    expect(sampler.combo).toContain('euler');
    expect(ksampler.inputsByName.get('seed')!.options.control_after_generate).toBe(true);
    expect(ksampler.outputs).toEqual([{ index: 0, type: 'LATENT', name: 'LATENT', isList: false }]);
    expect(ksampler.outputNode).toBe(false);
  });

  it('keeps each spec as declared in config ([type, options], {} without options)', () => {
    expect(index.get('PreviewImage')!.inputsByName.get('images')!.config).toEqual(['IMAGE', {}]);
    const upscale = index.get('ImageScale')!.inputsByName.get('upscale_method')!;
    expect(upscale.config).toEqual([['nearest-exact', 'bilinear', 'area', 'bicubic', 'lanczos'], {}]);
    const blend = index.get('ImageBlend')!.inputsByName.get('blend_mode')!;
    expect(blend.config).toEqual(['COMBO', { multiselect: false, options: ['normal', 'multiply', 'screen', 'overlay', 'soft_light', 'difference'] }]);
  });

  it('reads hidden inputs and output nodes', () => {
    const save = index.get('SaveImage')!;
    expect(save.outputNode).toBe(true);
    expect(save.hidden).toEqual(expect.arrayContaining(['prompt', 'extra_pnginfo']));
  });

  it('answers undefined for an unknown class and has() for every listed one', () => {
    expect(index.get('NoSuchNode')).toBeUndefined();
    expect(index.classTypes()).toHaveLength(Object.keys(objectInfo).length);
    expect(index.classTypes().every((name) => index.has(name))).toBe(true);
  });

  it('parses every class of the real answer', () => {
    for (const name of index.classTypes()) expect(index.get(name)!.name).toBe(name);
  });

  it('a malformed class fails with a ComfyProtocolError naming it, and only when looked up', () => {
    const bad = ObjectInfoIndex.from({ Good: { name: 'Good', input: {}, output: [] }, Bad: { input: { required: { x: 5 } } } });
    expect(bad.get('Good')!.inputs).toEqual([]);
    expect(() => bad.get('Bad')).toThrow(ComfyProtocolError);
    expect(() => bad.get('Bad')).toThrow(/'Bad'/);
    expect(() => ObjectInfoIndex.from([1, 2])).toThrow(ComfyProtocolError);
  });
});
