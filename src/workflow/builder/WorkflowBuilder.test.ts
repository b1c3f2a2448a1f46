import { ComfyOptionsError, ComfyUnknownInputError, ComfyUnknownNodeClassError, ComfyUnknownOutputError, ComfyValidationError } from '../../errors';
import { fakeObjectInfo, objectInfo080 } from './__fixtures__/objectInfos';
import { WorkflowBuilder } from './WorkflowBuilder';

const info080 = objectInfo080();

describe('WorkflowBuilder', () => {
  describe('on the 0.8.0 /object_info', () => {
    it('builds an API prompt: readable ids from 1, titles from display names, links as [id, slot], defaults filled', () => {
      const g = new WorkflowBuilder(info080);
      const ckpt = g.add('CheckpointLoaderSimple', { ckpt_name: 'model.safetensors' });
      const latent = g.add('EmptyLatentImage', { batch_size: 2 });
      const text = g.add('CLIPTextEncode', { text: 'a red fox', clip: ckpt.output('CLIP') }, { title: 'Positive' });
      g.add('KSampler', { model: ckpt.output('MODEL'), positive: text.output(0), negative: text.output('CONDITIONING'), latent_image: latent.output('LATENT'), seed: 7 });
      expect(g.build({ validate: false })).toEqual({
        '1': { class_type: 'CheckpointLoaderSimple', inputs: { ckpt_name: 'model.safetensors' }, _meta: { title: 'Load Checkpoint' } },
        '2': { class_type: 'EmptyLatentImage', inputs: { width: 512, height: 512, batch_size: 2 }, _meta: { title: 'Empty Latent Image' } },
        '3': { class_type: 'CLIPTextEncode', inputs: { text: 'a red fox', clip: ['1', 1] }, _meta: { title: 'Positive' } },
        '4': {
          class_type: 'KSampler',
          inputs: { model: ['1', 0], seed: 7, steps: 20, cfg: 8, positive: ['3', 0], negative: ['3', 0], latent_image: ['2', 0], denoise: 1 },
          _meta: { title: 'KSampler' },
        },
      });
    });

    it('build() validates as the server would: a 400 answer becomes a ComfyValidationError with its node_errors', () => {
      const blended = (reachedByOutput: boolean) => {
        const g = new WorkflowBuilder(info080);
        const image = g.add('EmptyImage', { width: 8, height: 8 });
        const blend = g.add('ImageBlend', { image1: image.output(0), image2: image.output('IMAGE'), blend_factor: 2, blend_mode: 'normal' }, { id: 'blend' });
        g.add('PreviewImage', { images: reachedByOutput ? blend.output(0) : image.output(0) });
        return g;
      };
      expect(Object.keys(blended(false).build())).toEqual(['1', '2', 'blend']); // nothing reaches the bad blend: the server runs the rest
      let error: unknown;
      try {
        blended(true).build();
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(ComfyValidationError);
      expect(error).toMatchObject({ errorType: 'prompt_outputs_failed_validation', nodeErrors: { blend: { class_type: 'ImageBlend', errors: [{ type: 'value_bigger_than_max', details: 'blend_factor' }] } } });
      expect((error as Error).message).toMatch(/node blend \(ImageBlend\): Value 2(\.0)? bigger than max of 1\.0: blend_factor/);
    });

    it('build() rejects a prompt when every output fails (400), and when only some do (the server would skip them)', () => {
      const g = new WorkflowBuilder(info080);
      const ckpt = g.add('CheckpointLoaderSimple', { ckpt_name: 'model.safetensors' }); // 0.8.0 lists no checkpoints
      g.add('SaveImage', { images: g.add('VAEDecode', { samples: g.add('EmptyLatentImage', {}).output(0), vae: ckpt.output('VAE') }).output(0) });
      expect(() => g.build()).toThrow(expect.objectContaining({ name: 'ComfyPromptRejectedError', errorType: 'prompt_outputs_failed_validation', nodeErrors: expect.objectContaining({ '1': expect.objectContaining({ errors: [expect.objectContaining({ type: 'value_not_in_list' })] }) }) }));
      g.add('PreviewImage', { images: g.add('EmptyImage', {}).output(0) });
      expect(() => g.build()).toThrow(/the server would run 1 output\(s\) and skip the rest: node 1 \(CheckpointLoaderSimple\)/);
      expect(Object.keys(g.build({ validate: false }))).toHaveLength(6);
    });

    it('lays inputs out in the declared order, whatever order they were given in', () => {
      const g = new WorkflowBuilder(info080);
      g.add('EmptyLatentImage', { batch_size: 1, height: 64, width: 32 });
      expect(Object.keys(g.build({ validate: false })['1']?.inputs ?? {})).toEqual(['width', 'height', 'batch_size']);
    });

    it('an undefined input is left out, so its default applies', () => {
      const g = new WorkflowBuilder(info080);
      g.add('EmptyLatentImage', { width: undefined, height: 64 });
      expect(g.build({ validate: false })['1']?.inputs).toEqual({ width: 512, height: 64, batch_size: 1 });
    });

    it('takes outputs by name, by a type one output has, or by index; a shared type must be taken by name or index', () => {
      const g = new WorkflowBuilder(info080);
      const conditioning = g.add('LTXVConditioning', {});
      expect(conditioning.output('negative').toJSON()).toEqual(['1', 1]);
      expect(conditioning.output(0).type).toBe('CONDITIONING');
      expect(conditioning.output('1').slot).toBe(1);
      expect(() => conditioning.output('CONDITIONING')).toThrow(/2 outputs have that type \(slots 0, 1\)/);
      expect(() => conditioning.output('CONDITIONING')).toThrow(ComfyUnknownOutputError);
    });

    it('rejects an unknown class, a misspelt input and a missing output with typed errors', () => {
      const g = new WorkflowBuilder(info080);
      expect(() => g.add('KSamplr', {})).toThrow(ComfyUnknownNodeClassError);
      const error = (() => {
        try {
          g.add('EmptyLatentImage', { widht: 512 });
        } catch (err) {
          return err;
        }
        return undefined;
      })();
      expect(error).toBeInstanceOf(ComfyUnknownInputError);
      expect(error).toMatchObject({ classType: 'EmptyLatentImage', input: 'widht', known: ['width', 'height', 'batch_size'], code: 'COMFYRX_UNKNOWN_INPUT' });
      const ckpt = g.add('CheckpointLoaderSimple', {});
      expect(() => ckpt.output('LATENT')).toThrow(new ComfyUnknownOutputError('CheckpointLoaderSimple', '1', 'LATENT', 'no output has that name or type (0 MODEL (MODEL), 1 CLIP (CLIP), 2 VAE (VAE))'));
      expect(() => ckpt.output(3)).toThrow(ComfyUnknownOutputError);
      expect(g.ids).toEqual(['1']); // the rejected adds left nothing behind
    });

    it('accepts hidden inputs and the dotted children of V3 dynamic inputs, not of others', () => {
      const g = new WorkflowBuilder(info080);
      g.add('ResizeImageMaskNode', { resize_type: 'scale by multiplier', 'resize_type.multiplier': 2 });
      g.add('SaveImage', { prompt: {} });
      expect(g.build({ validate: false })['1']?.inputs).toMatchObject({ resize_type: 'scale by multiplier', 'resize_type.multiplier': 2 });
      expect(() => g.add('ResizeImageMaskNode', { 'scale_method.x': 1 })).toThrow(ComfyUnknownInputError);
    });
  });

  describe('ids and links', () => {
    it('gives the next free whole number, skipping ids chosen by hand; a taken id is an error', () => {
      const g = new WorkflowBuilder();
      g.add('A', {}, { id: 2 });
      expect([g.add('B', {}).id, g.add('C', {}).id, g.add('D', {}, { id: 'x' }).id]).toEqual(['1', '3', 'x']);
      expect(() => g.add('E', {}, { id: '2' })).toThrow(ComfyOptionsError);
      expect(() => g.add('E', {}, { id: '' })).toThrow(ComfyOptionsError);
      expect(() => g.add('E', {}, { id: 1.5 })).toThrow(ComfyOptionsError);
    });

    it('refuses a link made by another builder', () => {
      const other = new WorkflowBuilder().add('CheckpointLoaderSimple', {});
      const g = new WorkflowBuilder();
      expect(() => g.add('CLIPTextEncode', { clip: other.output(1) })).toThrow(/link from another WorkflowBuilder/);
    });
  });

  describe('without /object_info (untyped)', () => {
    it('takes any class and input as given, titles are class names, outputs by index only', () => {
      const g = new WorkflowBuilder();
      const node = g.add('MyPackNode', { strength: 0.5, custom: { a: 1 } }, { id: 10 });
      g.add('SaveImage', { images: node.output(0), raw: ['10', 1] });
      expect(g.build()).toEqual({
        '10': { class_type: 'MyPackNode', inputs: { strength: 0.5, custom: { a: 1 } }, _meta: { title: 'MyPackNode' } },
        '1': { class_type: 'SaveImage', inputs: { images: ['10', 0], raw: ['10', 1] }, _meta: { title: 'SaveImage' } },
      });
      expect(() => node.output('IMAGE')).toThrow(/by index only/);
    });
  });

  describe("on the fake's /object_info", () => {
    it('builds a text2image prompt with the models the fake lists', async () => {
      const g = new WorkflowBuilder(await fakeObjectInfo());
      const ckpt = g.add('CheckpointLoaderSimple', { ckpt_name: 'v1-5-pruned-emaonly.safetensors' });
      const positive = g.add('CLIPTextEncode', { text: 'a fox', clip: ckpt.output('CLIP') });
      const negative = g.add('CLIPTextEncode', { text: 'blurry', clip: ckpt.output('CLIP') });
      const sampled = g.add('KSampler', { model: ckpt.output('MODEL'), positive: positive.output(0), negative: negative.output(0), latent_image: g.add('EmptyLatentImage', {}).output(0), sampler_name: 'euler', scheduler: 'normal' });
      const image = g.add('VAEDecode', { samples: sampled.output('LATENT'), vae: ckpt.output('VAE') });
      g.add('SaveImage', { images: image.output('IMAGE') });
      const prompt = g.build();
      expect(Object.keys(prompt)).toEqual(['1', '2', '3', '4', '5', '6', '7']);
      expect(prompt['4']?.class_type).toBe('EmptyLatentImage'); // added inline, before the KSampler that takes it
      expect(prompt['5']?.inputs).toEqual({ model: ['1', 0], seed: 0, steps: 20, cfg: 8, sampler_name: 'euler', scheduler: 'normal', positive: ['2', 0], negative: ['3', 0], latent_image: ['4', 0], denoise: 1 });
      expect(prompt['7']).toEqual({ class_type: 'SaveImage', inputs: { images: ['6', 0], filename_prefix: 'ComfyUI' }, _meta: { title: 'Save Image' } });
      expect(() => g.add('ResizeImageMaskNode', {})).toThrow(ComfyUnknownNodeClassError);
      g.add('SaveImage', { images: g.add('VAEDecode', { samples: sampled.output(0), vae: g.add('CheckpointLoaderSimple', { ckpt_name: 'missing.safetensors' }).output('VAE') }).output(0) });
      expect(() => g.build()).toThrow(/node 8 \(CheckpointLoaderSimple\): Value not in list: ckpt_name: 'missing.safetensors' not in/);
    });
  });
});
