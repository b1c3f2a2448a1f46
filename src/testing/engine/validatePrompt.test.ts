import { NodeCatalog } from '../nodes/catalog';
import { DEFAULT_MODEL_FOLDERS } from '../nodes/modelFiles';
import { FileStore } from '../server/fileStore';
import { validatePrompt, type ValidationOutcome } from './validatePrompt';
import { PyException } from './pythonExceptions';

const catalog = new NodeCatalog(DEFAULT_MODEL_FOLDERS);
const env = { files: new FileStore() };
const validate = (prompt: unknown, targets?: unknown) => validatePrompt(prompt, catalog, env, targets);
const failed = (outcome: ValidationOutcome) => {
  if (outcome.ok) throw new Error('expected a failure');
  return outcome;
};

const empty = (extra: Record<string, unknown> = {}) => ({ class_type: 'EmptyImage', inputs: { width: 8, height: 8, batch_size: 1, color: 0, ...extra } });
const save = (source: string) => ({ class_type: 'SaveImage', inputs: { images: [source, 0], filename_prefix: 'v' } });
const sampler = (inputs: Record<string, unknown>) => ({
  '4': { class_type: 'CheckpointLoaderSimple', inputs: { ckpt_name: 'v1-5-pruned-emaonly.safetensors' } },
  '5': { class_type: 'EmptyLatentImage', inputs: { width: 64, height: 64, batch_size: 1 } },
  '6': { class_type: 'CLIPTextEncode', inputs: { text: 'x', clip: ['4', 1] } },
  '3': { class_type: 'KSampler', inputs: { seed: 1, steps: 2, cfg: 7, sampler_name: 'euler', scheduler: 'normal', denoise: 1, model: ['4', 0], positive: ['6', 0], negative: ['6', 0], latent_image: ['5', 0], ...inputs } },
  '8': { class_type: 'VAEDecode', inputs: { samples: ['3', 0], vae: ['4', 2] } },
  '9': save('8'),
});

describe('validatePrompt', () => {
  it('coerces literals like Python (int(), float(), __value__) into the returned prompt without touching the request', () => {
    const request = { '1': empty({ width: '12', height: 5.7, batch_size: { __value__: 2 } }), '2': save('1') };
    const outcome = validate(request);
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.prompt['1']?.inputs).toMatchObject({ width: 12, height: 5, batch_size: 2 });
    expect(request['1'].inputs.width).toBe('12');
    expect(outcome.outputs).toEqual(['2']);
  });

  it('prints FLOAT bounds as Python floats', () => {
    const high = failed(validate(sampler({ denoise: 1.5 })));
    expect(high.nodeErrors['3']?.errors[0]).toMatchObject({ type: 'value_bigger_than_max', message: 'Value 1.5 bigger than max of 1.0', details: 'denoise' });
    const low = failed(validate(sampler({ cfg: -1 })));
    expect(low.nodeErrors['3']?.errors[0]?.message).toBe('Value -1.0 smaller than min of 0.0');
  });

  it('abbreviates combo lists longer than 20 and drops input_config', () => {
    const outcome = failed(validate(sampler({ sampler_name: 'nope' })));
    expect(outcome.nodeErrors['3']?.errors[0]).toMatchObject({
      type: 'value_not_in_list',
      details: "sampler_name: 'nope' not in (list of length 42)",
      extra_info: { input_name: 'sampler_name', input_config: null, received_value: 'nope' },
    });
  });

  it('reports bad links, and exceptions inside linked nodes on those nodes', () => {
    const bad = failed(validate({ '1': empty(), '2': { class_type: 'SaveImage', inputs: { images: ['1', 0, 1], filename_prefix: 'x' } } }));
    expect(bad.nodeErrors['2']?.errors[0]).toMatchObject({ type: 'bad_linked_input', details: 'images' });

    const inner = failed(validate({ '2': { class_type: 'ImageInvert', inputs: { image: ['99', 0] } }, '3': save('2') }));
    expect(inner.error).toEqual({ type: 'prompt_outputs_failed_validation', message: 'Prompt outputs failed validation', details: '', extra_info: {} });
    expect(inner.nodeErrors['2']?.errors[0]).toMatchObject({
      type: 'exception_during_inner_validation',
      details: "'99'",
      extra_info: { input_name: 'images', exception_type: 'KeyError', linked_node: ['2', 0] }, // the consumer's input, as in Python
    });
    expect(inner.nodeErrors['2']?.dependent_outputs).toEqual(['3']);
  });

  it('lists every failing output a node error belongs to (ComfyUI appends per failed output)', () => {
    const outcome = failed(validate({ '1': empty({ width: 0 }), '2': save('1'), '3': save('1') }));
    expect(outcome.nodeErrors['1']?.dependent_outputs).toEqual(['2', '3']);
  });

  it('answers invalid_prompt for a node without class_type and throws (500) for a non-object prompt', () => {
    expect(failed(validate({ '1': { inputs: {} } })).error).toEqual({
      type: 'invalid_prompt',
      message: 'Cannot execute because a node is missing the class_type property.',
      details: "Node ID '#1'",
      extra_info: {},
    });
    expect(() => validate([1, 2])).toThrow(PyException);
  });

  it('keeps only partial_execution_targets among the outputs', () => {
    expect(failed(validate({ '1': empty(), '2': save('1') }, ['9'])).error.type).toBe('prompt_no_outputs');
  });
});
