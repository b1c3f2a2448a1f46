/**
 * A newer server's answers (ComfyUI 0.38.1, built from its source: execution.py validate_prompt /
 * validate_inputs, server.py post_prompt, comfy_api/latest/_io.py, app/node_replace_manager.py;
 * docs/protocol.md §8), next to the 0.8.0 answers they replace.
 */
import objectInfo from '../__fixtures__/object_info-0.8.0.json';
import { PromptValidation } from '../../protocol/validation';
import { ObjectInfoIndex } from '../objectInfoIndex';
import { validatePrompt, type ValidatePromptOptions } from './validatePrompt';

const NEWER = { version: '0.38.1' };
const rows = {
  input: {
    required: {
      rows: ['COMFY_DYNAMICGROUP_V3', { template: { required: { text: ['STRING', {}] }, optional: { weight: ['FLOAT', { min: 0, max: 1 }] } }, min: 1, max: 3 }],
    },
  },
  output: [],
  output_node: true,
};
const pick = { input: { required: { x: [['a', "it's"], {}], many: ['COMBO', { options: ['a', 'b'], multiselect: true }], remote: ['COMBO', { options: [], remote_combo: { route: '/voices' } }] } }, output: [], output_node: true };
const index = ObjectInfoIndex.from({ ...objectInfo, Rows: rows, Pick: pick });
const validate = (prompt: unknown, options: ValidatePromptOptions = {}) => PromptValidation.parse(validatePrompt(prompt, index, { server: NEWER, ...options }));
const old = (prompt: unknown, options: ValidatePromptOptions = {}) => PromptValidation.parse(validatePrompt(prompt, index, options));

const empty = () => ({ class_type: 'EmptyImage', inputs: { width: 8, height: 8, batch_size: 1, color: 0 } });
const invert = (source: string) => ({ class_type: 'ImageInvert', inputs: { image: [source, 0] } });
const preview = (source: string, slot = 0) => ({ class_type: 'PreviewImage', inputs: { images: [source, slot] } });

describe('validatePrompt as ComfyUI 0.38.1: missing_node_type', () => {
  it('a node without class_type is named by its _meta.title, else by its id', () => {
    const titled = validate({ '1': empty(), '2': preview('1'), '3': { inputs: {}, _meta: { title: 'My Loader' } } });
    expect(titled).toEqual({
      status: 400,
      error: {
        type: 'missing_node_type',
        message: "Node 'My Loader' has no class_type. The workflow may be corrupted or a custom node is missing.",
        details: "Node ID '#3'",
        extra_info: { node_id: '3', class_type: null, node_title: 'My Loader' },
      },
      node_errors: {},
    });
    const untitled = validate({ '7': { inputs: {} } });
    expect(untitled.status === 400 && untitled.error).toMatchObject({ message: "Node 'ID #7' has no class_type. The workflow may be corrupted or a custom node is missing.", extra_info: { node_title: null } });
  });

  it('an unknown class is named by its _meta.title, else by the class; 0.8.0 answered invalid_prompt', () => {
    const titled = validate({ '1': { class_type: 'NotInstalled', inputs: {}, _meta: { title: 'Upscaler' } } });
    expect(titled.status === 400 && titled.error).toEqual({
      type: 'missing_node_type',
      message: "Node 'Upscaler' not found. The custom node may not be installed.",
      details: "Node ID '#1'",
      extra_info: { node_id: '1', class_type: 'NotInstalled', node_title: 'Upscaler' },
    });
    const untitled = validate({ '1': { class_type: 'NotInstalled', inputs: {}, _meta: {} } });
    expect(untitled.status === 400 && untitled.error.message).toBe("Node 'NotInstalled' not found. The custom node may not be installed.");
    const nullTitle = validate({ '1': { class_type: 'NotInstalled', inputs: {}, _meta: { title: null } } });
    expect(nullTitle.status === 400 && nullTitle.error).toMatchObject({ message: "Node 'None' not found. The custom node may not be installed.", extra_info: { node_title: null } });
    expect(old({ '1': { class_type: 'NotInstalled', inputs: {} } })).toMatchObject({ status: 400, error: { type: 'invalid_prompt', message: 'Cannot execute because node NotInstalled does not exist.' } });
  });

  it('a _meta that is not an object is the server crashing (500)', () => {
    expect(validate({ '1': { class_type: 'NotInstalled', inputs: {}, _meta: 'x' } })).toMatchObject({ status: 500, error: { extra_info: { exception_type: 'AttributeError' } } });
  });
});

describe('validatePrompt as ComfyUI 0.38.1: dependency_cycle', () => {
  it('every node of a cycle gets a dependency_cycle reason naming the path; the output reaching it is invalid without one', () => {
    const answer = validate({ '1': preview('2'), '2': invert('3'), '3': invert('2') });
    const cycle = (nodeId: string) => ({
      type: 'dependency_cycle',
      message: 'Dependency cycle detected',
      details: '2 (ImageInvert) -> 3 (ImageInvert) -> 2 (ImageInvert)',
      extra_info: { node_id: nodeId, cycle_nodes: ['2', '3'] },
    });
    expect(answer).toEqual({
      status: 400,
      error: { type: 'prompt_outputs_failed_validation', message: 'Prompt outputs failed validation', details: '', extra_info: {} },
      node_errors: {
        '2': { errors: [cycle('2')], dependent_outputs: ['1'], class_type: 'ImageInvert' },
        '3': { errors: [cycle('3')], dependent_outputs: ['1'], class_type: 'ImageInvert' },
      },
    });
    expect(old({ '1': preview('2'), '2': invert('3'), '3': invert('2') })).toMatchObject({ status: 400, node_errors: {} });
  });

  it("a node's own errors follow its cycle reason; a self-link is a cycle of one", () => {
    const blend = { class_type: 'ImageBlend', inputs: { image1: ['3', 0], image2: ['3', 0], blend_factor: 5, blend_mode: 'normal' } };
    const answer = validate({ '1': preview('2'), '2': blend, '3': invert('2') });
    expect(answer.node_errors['2']?.errors.map((e) => e.type)).toEqual(['dependency_cycle', 'value_bigger_than_max']);
    const self = validate({ '1': preview('2'), '2': invert('2') });
    expect(self.node_errors['2']?.errors).toEqual([
      { type: 'dependency_cycle', message: 'Dependency cycle detected', details: '2 (ImageInvert) -> 2 (ImageInvert)', extra_info: { node_id: '2', cycle_nodes: ['2'] } },
    ]);
  });
});

describe('validatePrompt as ComfyUI 0.38.1: invalid_dynamic_input (DynamicGroup rows)', () => {
  const run = (inputs: Record<string, unknown>) => validate({ '1': { class_type: 'Rows', inputs } });

  it('submitted rows are checked like inputs', () => {
    expect(run({ 'rows.0.text': 'a', 'rows.2.text': 'b', 'rows.2.weight': 0.5 }).status).toBe(200);
    expect(run({ 'rows.0.text': 'a', 'rows.0.weight': 5 }).node_errors['1']?.errors).toEqual([
      expect.objectContaining({ type: 'value_bigger_than_max', details: 'rows.0.weight', extra_info: expect.objectContaining({ input_name: 'rows.0.weight' }) }),
    ]);
    expect(run({ 'rows.1.weight': 0.5 }).node_errors['1']?.errors).toEqual([
      { type: 'required_input_missing', message: 'Required input is missing', details: 'text', extra_info: { input_name: 'rows.1.text' } },
    ]);
  });

  it.each([
    [{ 'rows.01.text': 'a' }, 'rows.01.text', "Invalid DynamicGroup input key 'rows.01.text'; expected 'rows.<index>.<template field>'."],
    [{ 'rows.0.color': 'a' }, 'rows.0.color', "Invalid DynamicGroup input key 'rows.0.color'; expected 'rows.<index>.<template field>'."],
    [{ 'rows.3.text': 'a' }, 'rows.3.text', "DynamicGroup input 'rows.3.text' exceeds the index limit of 2 (max=3)."],
    [{}, 'rows', "DynamicGroup input 'rows' received 0 rows; expected between 1 and 3."],
  ])('%j: invalid_dynamic_input naming %s', (inputs, inputName, details) => {
    expect(run(inputs).node_errors['1']).toEqual({
      errors: [{ type: 'invalid_dynamic_input', message: 'Invalid dynamic input', details, extra_info: { input_name: inputName } }],
      dependent_outputs: ['1'],
      class_type: 'Rows',
    });
  });
});

describe('validatePrompt as ComfyUI 0.38.1: value_not_in_list', () => {
  const run = (inputs: Record<string, unknown>, answer = validate) => answer({ '1': { class_type: 'Pick', inputs: { x: 'a', many: { __value__: ['a'] }, remote: 'anything', ...inputs } } }).node_errors['1']?.errors[0]?.details;

  it("Python's repr: ints unquoted, a string holding ' in double quotes; 0.8.0 quoted str()", () => {
    expect(run({ x: 5 })).toBe(`x: 5 not in ['a', "it's"]`);
    expect(run({ x: "b'c" })).toBe(`x: "b'c" not in ['a', "it's"]`);
    expect(run({ x: 5 }, old)).toBe(`x: '5' not in ['a', "it's"]`);
  });

  it('a multiselect list reports each value not offered; remote_combo inputs are not checked', () => {
    expect(run({ many: { __value__: ['a', 'z', 3] } })).toBe("many: 'z', 3 not in ['a', 'b']");
    expect(run({})).toBeUndefined();
  });

  it('lists longer than 20 are not printed', () => {
    const long = ObjectInfoIndex.from({ Long: { input: { required: { v: [Array.from({ length: 21 }, (_, i) => `o${i}`), {}] } }, output: [], output_node: true } });
    const answer = validatePrompt({ '1': { class_type: 'Long', inputs: { v: 'nope' } } }, long, { server: NEWER });
    expect(answer.node_errors['1']?.errors[0]).toMatchObject({ details: "v: 'nope' not in (list of length 21)", extra_info: { input_config: null } });
  });
});

describe('validatePrompt as ComfyUI 0.38.1: the prompt_id check', () => {
  const prompt = { '1': empty(), '2': preview('1') };
  const rejection = {
    status: 400,
    error: {
      type: 'invalid_prompt_id',
      message: 'prompt_id must be a valid UUID',
      details: 'prompt_id must be a UUID string in canonical lowercase hyphenated form; omit it to let the server generate one',
      extra_info: {},
    },
    node_errors: {},
  };

  it.each(['job-1', 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11', 'a0eebc999c0b4ef8bb6d6bb9bd380a11', 42, ''])('%j is answered 400 before anything else', (promptId) => {
    expect(validate({ '1': { inputs: {} } }, { promptId })).toEqual(rejection);
  });

  it('a canonical UUID, null and an absent id pass; 0.8.0 takes any id', () => {
    for (const promptId of ['a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', null, undefined]) expect(validate(prompt, { promptId }).status).toBe(200);
    expect(old(prompt, { promptId: 'job-1' }).status).toBe(200);
  });
});

describe('validatePrompt as ComfyUI 0.38.1: node replacements before validation', () => {
  const nodeReplacements = {
    OldInvert: [{ new_node_id: 'ImageInvert', old_node_id: 'OldInvert', old_widget_ids: null, input_mapping: [{ new_id: 'image', old_id: 'pixels' }], output_mapping: [{ new_idx: 0, old_idx: 1 }] }],
    OldThing: [{ new_node_id: 'NotInstalledEither', old_node_id: 'OldThing', old_widget_ids: null, input_mapping: null, output_mapping: null }],
  };
  const server = { ...NEWER, nodeReplacements };

  it('an uninstalled class with a replacement is rewritten (inputs mapped, others dropped, links renumbered); the request is untouched', () => {
    const request = { '1': empty(), '2': { class_type: 'OldInvert', inputs: { pixels: ['1', 0], junk: 3 } }, '3': preview('2', 1) };
    const copy = structuredClone(request);
    const answer = validate(request, { server });
    expect(answer.status).toBe(200);
    if (answer.status !== 200) return;
    expect(answer.prompt['2']).toEqual({ class_type: 'ImageInvert', inputs: { image: ['1', 0] }, _meta: {} });
    expect((answer.prompt['3'] as { inputs: unknown }).inputs).toEqual({ images: ['2', 0] });
    expect(request).toEqual(copy);
    expect(old(request, { server: { nodeReplacements } })).toMatchObject({ status: 400, error: { type: 'invalid_prompt' } });
  });

  it('a mapped input the node lacks is the server failing (500, KeyError); a replacement to a class the server lacks is not applied', () => {
    expect(validate({ '2': { class_type: 'OldInvert', inputs: {} } }, { server })).toMatchObject({ status: 500, error: { message: "KeyError: 'pixels'" } });
    expect(validate({ '2': { class_type: 'OldThing', inputs: {} } }, { server })).toMatchObject({ status: 400, error: { type: 'missing_node_type' } });
  });

  it('the traits an index carries choose the answers when the options do not', () => {
    const served = ObjectInfoIndex.from(objectInfo, { version: '0.38.1' });
    expect(validatePrompt({ '1': { class_type: 'Nope', inputs: {} } }, served)).toMatchObject({ status: 400, error: { type: 'missing_node_type' } });
    expect(validatePrompt({ '1': { class_type: 'Nope', inputs: {} } }, served, { server: { version: '0.8.0' } })).toMatchObject({ status: 400, error: { type: 'invalid_prompt' } });
  });
});
