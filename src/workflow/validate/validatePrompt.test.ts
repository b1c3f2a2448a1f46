import objectInfo from '../__fixtures__/object_info-0.8.0.json';
import { PromptValidation } from '../../protocol/validation';
import { ObjectInfoIndex } from '../objectInfoIndex';
import { validatePrompt } from './validatePrompt';

const index = ObjectInfoIndex.from(objectInfo);
const validate = (prompt: unknown, options = {}) => PromptValidation.parse(validatePrompt(prompt, index, options));

const empty = (extra: Record<string, unknown> = {}) => ({ class_type: 'EmptyImage', inputs: { width: 8, height: 8, batch_size: 1, color: 0, ...extra } });
const invert = (source: string) => ({ class_type: 'ImageInvert', inputs: { image: [source, 0] } });
const preview = (source: string) => ({ class_type: 'PreviewImage', inputs: { images: [source, 0] } });
const errorsOf = (answer: PromptValidation, id: string) => answer.node_errors[id]?.errors ?? [];

describe('validatePrompt', () => {
  it('writes the coercions into the returned prompt and leaves the request untouched', () => {
    const request = { '1': empty({ width: ' 1_6 ', height: 5.7, batch_size: { __value__: 2 }, color: true }), '2': preview('1') };
    const answer = validate(request);
    expect(answer.status).toBe(200);
    if (answer.status !== 200) return;
    expect((answer.prompt['1'] as { inputs: unknown }).inputs).toEqual({ width: 16, height: 5, batch_size: 2, color: 1 });
    expect(request['1'].inputs.width).toBe(' 1_6 ');
    expect(answer.outputs).toEqual(['2']);
  });

  it('rejects the int() literals Python rejects, with its messages', () => {
    for (const [value, text] of [
      ['1__0', "invalid literal for int() with base 10: '1__0'"],
      ['1.5', "invalid literal for int() with base 10: '1.5'"],
      ['0x10', "invalid literal for int() with base 10: '0x10'"],
      [[], 'Bad linked input'],
    ] as const) {
      const answer = validate({ '1': empty({ width: value }), '2': preview('1') });
      const [reason] = errorsOf(answer, '1');
      if (Array.isArray(value)) expect(reason?.message).toContain(text);
      else expect(reason).toMatchObject({ type: 'invalid_input_type', details: `width, ${value}, ${text}` });
    }
  });

  it('prints FLOAT bounds and values as Python floats (1e-05, 1e+16, inf), and lets NaN pass both bounds', () => {
    const blend = (factor: unknown) => ({ '1': empty(), '2': { class_type: 'ImageBlend', inputs: { image1: ['1', 0], image2: ['1', 0], blend_factor: factor, blend_mode: 'normal' } }, '3': preview('2') });
    expect(errorsOf(validate(blend(1e16)), '2')[0]?.message).toBe('Value 1e+16 bigger than max of 1.0');
    expect(errorsOf(validate(blend(-0.00001)), '2')[0]?.message).toBe('Value -1e-05 smaller than min of 0.0');
    expect(errorsOf(validate(blend('inf')), '2')[0]?.message).toBe('Value inf bigger than max of 1.0');
    expect(validate(blend('nan')).status).toBe(200);
  });

  it('matches comma-separated and wildcard types, and reports a link into a combo as a mismatch', () => {
    const resize = (source: string) => ({ class_type: 'ResizeImageMaskNode', inputs: { input: ['1', 0], resize_type: 'match size', 'resize_type.match': [source, 1], 'resize_type.crop': 'center', scale_method: 'area' } });
    expect(validate({ '1': { class_type: 'LoadImage', inputs: { image: 'x.png' } }, '2': resize('1'), '3': preview('2') }).node_errors['2']).toBeUndefined();
    const combo = validate({ '1': empty(), '2': { class_type: 'ImageBlend', inputs: { image1: ['1', 0], image2: ['1', 0], blend_factor: 0.5, blend_mode: ['4', 0] } }, '3': preview('2'), '4': { class_type: 'PrimitiveString', inputs: { value: 'x' } } });
    expect(errorsOf(combo, '2')[0]?.details).toBe('blend_mode, received_type(STRING) mismatch input_type(COMBO)');
  });

  it('gives a V3 dynamic input the last dotted part as required_input_missing details', () => {
    const answer = validate({ '1': empty(), '2': { class_type: 'ResizeImageMaskNode', inputs: { input: ['1', 0], resize_type: 'scale by multiplier', scale_method: 'area' } }, '3': preview('2') });
    expect(errorsOf(answer, '2')).toEqual([{ type: 'required_input_missing', message: 'Required input is missing', details: 'multiplier', extra_info: { input_name: 'resize_type.multiplier' } }]);
  });

  it('expands Autogrow inputs: the first `min` are required', () => {
    const answer = validate({ '1': empty(), '2': { class_type: 'BatchImagesNode', inputs: { 'images.image0': ['1', 0] } }, '3': preview('2') });
    expect(errorsOf(answer, '2').map((r) => [r.type, r.extra_info.input_name])).toEqual([['required_input_missing', 'images.image1']]);
  });

  it('asks the environment whether a LoadImage file exists, and raises inside the check for a linked or missing image', () => {
    const load = (image: unknown) => ({ '1': { class_type: 'LoadImage', inputs: image === undefined ? {} : { image } }, '2': preview('1') });
    expect(validate(load('a.png'), { env: { fileExists: (name: string) => name === 'a.png' } }).status).toBe(200);
    expect(errorsOf(validate(load('a.png')), '1')[0]).toMatchObject({ type: 'custom_validation_failed', details: 'image - Invalid image file: a.png' });
    expect(validate(load('out.png [output]')).status).toBe(200); // only the server knows its output folder
    expect(errorsOf(validate(load(undefined)), '1')[0]).toMatchObject({
      type: 'exception_during_inner_validation',
      details: "LoadImage.VALIDATE_INPUTS() missing 1 required positional argument: 'image'",
      extra_info: { exception_type: 'TypeError' },
    });
    const linked = validate({ ...load(['3', 0]), '3': { class_type: 'PrimitiveString', inputs: { value: 'a.png' } } });
    expect(errorsOf(linked, '1')[0]?.details).toBe("'NoneType' object has no attribute 'endswith'");
  });

  it('answers 500 where the server itself raises: a prompt or node that is not an object, an unhashable class_type', () => {
    for (const prompt of [null, [1], 'x', { '1': 5 }, { '1': { class_type: ['x'], inputs: {} } }]) {
      const answer = validate(prompt);
      expect([prompt, answer.status, answer.status !== 200 && answer.error.type]).toEqual([prompt, 500, 'server_exception']);
    }
  });

  it('selects outputs by partial_execution_targets as Python compares them (strings only; a string target is a substring test)', () => {
    const prompt = { '1': empty(), '2': preview('1'), '3': { class_type: 'SaveImage', inputs: { images: ['1', 0] } } };
    expect(validate(prompt, { partialExecutionTargets: ['2'] }).status).toBe(200);
    expect(validate(prompt, { partialExecutionTargets: [3] })).toMatchObject({ status: 400, error: { type: 'prompt_no_outputs' } });
    expect(validate(prompt, { partialExecutionTargets: '23' })).toMatchObject({ status: 200, node_errors: { '3': { dependent_outputs: ['3'] } } });
    expect(validate(prompt, { partialExecutionTargets: 7 }).status).toBe(500);
  });

  it('validates a 100,000-node chain without overflowing the stack, and a cycle in it ends invalid without node errors', () => {
    const chain: Record<string, unknown> = { '0': empty() };
    for (let i = 1; i < 100_000; i++) chain[String(i)] = invert(String(i - 1));
    chain.out = preview('99999');
    expect(validatePrompt(chain, index).status).toBe(200);
    chain['0'] = invert('99999');
    expect(validatePrompt(chain, index)).toEqual({
      status: 400,
      error: { type: 'prompt_outputs_failed_validation', message: 'Prompt outputs failed validation', details: '', extra_info: {} },
      node_errors: {},
    });
  });

  it('keeps the reasons of a node inside a cycle', () => {
    const answer = validate({
      '1': { class_type: 'ImageBlend', inputs: { image1: ['2', 0], image2: ['2', 0], blend_factor: 9, blend_mode: 'normal' } },
      '2': invert('1'),
      '3': preview('1'),
    });
    expect(answer.node_errors['1']?.errors.map((r) => r.type)).toEqual(['value_bigger_than_max']);
  });

  it('reads a malformed /object_info as an answer, not a throw', () => {
    expect(validatePrompt({ '1': preview('1') }, 'not an object info').status).toBe(500);
    expect(validatePrompt({ '1': { class_type: 'Bad', inputs: {} } }, { Bad: { input: { required: { x: 5 } } } })).toMatchObject({ status: 400, error: { type: 'invalid_prompt' } });
  });
});
