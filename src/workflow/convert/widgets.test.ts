/** Test titles cite the hard cases of docs/conversion.md §6 by number (§6.N). */
import { objectInfo } from '../__fixtures__/testObjectInfo';
import { UiGraph } from '../__fixtures__/uiGraph';
import { toApiPrompt } from './toApiPrompt';

/** Converts one node (with nothing linked) and returns its inputs and the warnings. */
function one(type: string, values: unknown, spec = {}, options = {}) {
  const g = new UiGraph();
  const node = g.node(type, values, spec);
  const { prompt, warnings } = toApiPrompt(g.workflow(), objectInfo, options);
  return { inputs: prompt[String(node.id)]!.inputs, warnings };
}

describe('widgets: control_after_generate slots (§6.4, §6.5)', () => {
  it('KSampler with its control value: the control is skipped and never sent', () => {
    const { inputs, warnings } = one('KSampler', [42, 'randomize', 20, 8, 'euler', 'normal', 1]);
    expect(inputs).toEqual({ seed: 42, steps: 20, cfg: 8, sampler_name: 'euler', scheduler: 'normal', denoise: 1 });
    expect(warnings).toEqual([]);
  });

  it('KSampler without the control value shifts as in the frontend, with a warning naming the seed and a count warning', () => {
    const { inputs, warnings } = one('KSampler', [42, 20, 8, 'euler', 'normal', 1]);
    expect(inputs).toEqual({ seed: 42, steps: 8, cfg: 'euler', sampler_name: 'normal', scheduler: 1, denoise: 1 });
    expect(warnings).toEqual([
      expect.objectContaining({ type: 'control_value_shifted', nodeId: '1', input: 'seed', message: expect.stringContaining('holds 20, not fixed') }),
      expect.objectContaining({ type: 'widget_values_count', nodeId: '1' }),
    ]);
  });

  it('the old boolean control values take the slot like the names, without a warning', () => {
    for (const control of [true, false, 'increment', 'decrement', 'fixed', null]) {
      const { inputs, warnings } = one('KSampler', [7, control, 20, 8, 'euler', 'normal', 1]);
      expect(inputs.steps).toBe(20);
      expect(warnings).toEqual([]);
    }
  });

  it('an explicit control_after_generate: false on a seed disables the slot', () => {
    expect(one('NoControlSeed', [5, 30]).inputs).toEqual({ seed: 5, steps: 30 });
  });

  it('the legacy name rule: only seed/noise_seed get a control without the flag', () => {
    expect(one('VariationSeed', [5, 'fixed', 0.5]).inputs).toEqual({ variation_seed: 5, strength: 0.5 });
    expect(one('PlainVariationSeed', [5, 0.5]).inputs).toEqual({ variation_seed: 5, strength: 0.5 });
    expect(one('SeedThenCombo', [5, 'increment', 'fixed', 'x']).inputs).toEqual({ seed: 5, mode: 'fixed', label: 'x' });
  });

  it('a COMBO with control_after_generate takes a control and a filter-list slot', () => {
    expect(one('ComboControl', ['b', 'increment', '', 7]).inputs).toEqual({ pick: 'b', n: 7 });
  });
});

describe('widgets: upload buttons (§6.6)', () => {
  it('LoadImage: [file, "image"] sends only the file', () => {
    expect(one('LoadImage', ['photo.png', 'image']).inputs).toEqual({ image: 'photo.png' });
  });

  it('LoadImageMask: [file, channel, "image"]', () => {
    expect(one('LoadImageMask', ['m.png', 'red', 'image']).inputs).toEqual({ image: 'm.png', channel: 'red' });
  });

  it('with input_order the upload slot comes after the optional inputs, without it after the required ones', () => {
    expect(one('UploadWithOptional', ['x.png', 0.5, 2, 'image']).inputs).toEqual({ image: 'x.png', strength: 0.5, gain: 2 });
    expect(one('UploadNoOrder', ['x.png', 0.5, 'image', 2]).inputs).toEqual({ image: 'x.png', strength: 0.5, gain: 2 });
  });
});

describe('widgets: legacy repairs (§6.7)', () => {
  it('pre-1.16 dummy values of forceInput inputs are dropped when the count matches', () => {
    expect(one('ForceInputOld', [3, 0, 'x'], { inputs: [['b', 'FLOAT']] }).inputs).toEqual({ a: 3, c: 'x' });
  });

  it('without the matching count the values are read as they are', () => {
    expect(one('ForceInputOld', [3, 'x']).inputs).toEqual({ a: 3, c: 'x' });
  });

  it('defaultInput: true still makes a widget that takes a slot', () => {
    expect(one('DefaultInput', [1, 2]).inputs).toEqual({ a: 1, b: 2 });
  });
});

describe('widgets: lengths, holes, object form, lists (§6.8, §6.11)', () => {
  it('a short list leaves constructor defaults (INT default, first combo option)', () => {
    const { inputs, warnings } = one('ImageScale', ['bilinear']);
    expect(inputs).toEqual({ upscale_method: 'bilinear', width: 512, height: 512, crop: 'disabled' });
    expect(warnings.map((w) => w.type)).toEqual(['widget_values_count']);
  });

  it('extra trailing values are ignored with a warning', () => {
    const { inputs, warnings } = one('ImageInvert', [1, 2]);
    expect(inputs).toEqual({});
    expect(warnings[0]).toMatchObject({ type: 'widget_values_count', nodeId: '1', classType: 'ImageInvert' });
  });

  it('a null hole is sent as null; a combo with no option and no value sends nothing', () => {
    expect(one('EmptyImage', [null, 8, 1, 0]).inputs).toEqual({ width: null, height: 8, batch_size: 1, color: 0 });
    expect(one('LoadImage', undefined).inputs).toEqual({});
  });

  it('object-form values (VideoHelperSuite) map by name, ignoring keys that are not inputs', () => {
    expect(one('EmptyImage', { width: 64, height: 32, videopreview: { hidden: false } }).inputs).toEqual({ width: 64, height: 32, batch_size: 1, color: 0 });
  });

  it('list values are wrapped as {__value__}, curves as {__type__: "CURVE"}, lists of dicts too', () => {
    const loras = [{ on: true, lora: 'a.safetensors', strength: 1 }];
    expect(one('ListWidget', [[0, 1], loras]).inputs).toEqual({ points: { __type__: 'CURVE', __value__: [0, 1] }, items: { __value__: loras } });
  });
});

describe('widgets: widgets_values_named (§6.9)', () => {
  const named = { seed: 42, control_after_generate: 'fixed', steps: 20, cfg: 8, sampler_name: 'euler', scheduler: 'normal', denoise: 1 };

  it('agreeing names: no warning', () => {
    expect(one('KSampler', [42, 'fixed', 20, 8, 'euler', 'normal', 1], { named }).warnings).toEqual([]);
  });

  it('disagreeing names: the positional value is used, with a warning; preferNamedValues uses the names', () => {
    const values = [42, 'fixed', 21, 8, 'euler', 'normal', 1];
    const positional = one('KSampler', values, { named });
    expect(positional.inputs.steps).toBe(21);
    expect(positional.warnings).toEqual([expect.objectContaining({ type: 'named_value_mismatch', input: 'steps', nodeId: '1' })]);
    expect(one('KSampler', values, { named }, { preferNamedValues: true }).inputs.steps).toBe(20);
  });

  it('a class declaring fallbackWidgetsValuesNames restores by name', () => {
    expect(one('NamedRestore', [1, 2], { named: { a: 5, b: 2 } }).inputs).toEqual({ a: 5, b: 2 });
  });

  it('duplicate names are numbered x, x#1 (two combo controls)', () => {
    const { warnings } = one('ComboControl', ['b', 'fixed', '', 7], { named: { pick: 'b', control_after_generate: 'fixed', control_filter_list: '', n: 7, 'control_after_generate#1': 'other' } });
    expect(warnings).toEqual([]);
  });
});

describe('widgets: V3 DynamicCombo and Autogrow (§6.10)', () => {
  it('the selected option adds its sub-widgets (x.sub) right after the selector, before the seed', () => {
    expect(one('Dynamic', ['a', 5, 42, 'fixed']).inputs).toEqual({ mode: 'a', 'mode.x': 5, seed: 42 });
  });

  it('nested DynamicCombos recurse (x.sub.subsub)', () => {
    expect(one('Dynamic', ['b', 'c', 0.5, 42, 'fixed']).inputs).toEqual({ mode: 'b', 'mode.inner': 'c', 'mode.inner.y': 0.5, seed: 42 });
  });

  it('a selector naming an option no longer offered adds nothing, with a warning', () => {
    const { inputs, warnings } = one('Dynamic', ['z', 42, 'fixed']);
    expect(inputs).toEqual({ mode: 'z', seed: 42 });
    expect(warnings.map((w) => w.type)).toEqual(['unknown_combo_option']);
  });

  it('Autogrow sockets (group.<name><i>) are sent by their names', () => {
    const g = new UiGraph();
    const a = g.node('EmptyImage', [8, 8, 1, 0], { outputs: ['IMAGE'] });
    const b = g.node('EmptyImage', [8, 8, 1, 1], { outputs: ['IMAGE'] });
    const batch = g.node('BatchImagesNode', [], { inputs: [['images.image0', 'IMAGE'], ['images.image1', 'IMAGE'], ['images.image2', 'IMAGE']], outputs: ['IMAGE'] });
    g.link(a, 0, batch, 'images.image0');
    g.link(b, 0, batch, 'images.image1');
    expect(toApiPrompt(g.workflow(), objectInfo).prompt['3']!.inputs).toEqual({ 'images.image0': ['1', 0], 'images.image1': ['2', 0] });
  });
});

describe('widgets: kinds only a browser knows', () => {
  it('a pack widget (a widget socket of an unknown type) takes its slot, its value sent with a warning', () => {
    const { inputs, warnings } = one('PackWidget', [['#fff'], 0.5], { inputs: [['image', 'IMAGE'], ['colors', 'PALETTE', true]] });
    expect(inputs).toEqual({ colors: { __value__: ['#fff'] }, amount: 0.5 });
    expect(warnings.map((w) => w.type)).toEqual(['unknown_widget_kind']);
  });

  it('webcam / painter / 3D widgets are reported, not sent', () => {
    const { inputs, warnings } = one('Webcam', ['webcam/1.png [temp]', 320]);
    expect(inputs).toEqual({ width: 320 });
    expect(warnings).toEqual([expect.objectContaining({ type: 'unsupported_widget', input: 'image' })]);
  });
});

describe('widgets: what the frontend does to values at queue time (§6.12)', () => {
  const at = (random: number[]) => {
    let i = 0;
    return () => random[i++ % random.length]!;
  };

  it('dynamic prompts: nesting, escapes, comments, empty options, with the injected random source', () => {
    const text = '/* note */a {red|{dark|light} blue|} fox \\{literal\\} // tail';
    expect(one('CLIPTextEncode', [text], {}, { random: at([0.5, 0.9]) }).inputs.text).toBe('a light blue fox {literal} ');
    expect(one('CLIPTextEncode', [text], {}, { random: at([0.99]) }).inputs.text).toBe('a  fox {literal} ');
    expect(one('CLIPTextEncode', ['{a|b}'], {}, { dynamicPrompts: false }).inputs.text).toBe('{a|b}');
  });

  it('filename_prefix: %date:…%, %Node.widget% by S&R name then title, forbidden characters, server tokens kept', () => {
    const g = new UiGraph();
    g.node('KSampler', [123, 'fixed', 20, 8, 'euler', 'normal', 1], { properties: { 'Node name for S&R': 'KSampler' } });
    g.node('CLIPTextEncode', ['a/b:c*?'], { title: 'Prompt' });
    const save = g.node('SaveImage', ['%date:yyyy-MM-dd%/%KSampler.seed%_%Prompt.text%_%width%_%Nope.x%'], { inputs: [['images', 'IMAGE']] });
    const now = new Date(2026, 0, 5, 7, 8, 9);
    const { prompt, warnings } = toApiPrompt(g.workflow(), objectInfo, { now });
    expect(prompt[String(save.id)]!.inputs.filename_prefix).toBe('2026-01-05/123_a_b_c___%width%_%Nope.x%');
    expect(warnings).toEqual([expect.objectContaining({ type: 'unresolved_replacement', nodeId: String(save.id) })]);
  });
});
