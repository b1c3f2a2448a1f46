import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import realObjectInfo from '../__fixtures__/object_info-0.8.0.json';
import { UiGraph } from '../__fixtures__/uiGraph';
import { ComfyProtocolError } from '../../errors';
import { toApiPrompt } from './toApiPrompt';

const dir = join(__dirname, '../__fixtures__');
const names = readdirSync(dir).filter((file) => file.endsWith('.workflow.json')).map((file) => file.replace('.workflow.json', ''));
const read = (file: string) => JSON.parse(readFileSync(join(dir, file), 'utf8')) as Record<string, unknown>;


/** Only what conversion reads: `input`, `input_order`, `output` (what home-made node tables hold). */
const minimal: Record<string, unknown> = Object.fromEntries(
  Object.entries(realObjectInfo as Record<string, Record<string, unknown>>).map(([key, entry]) => [
    key,
    { input: entry.input, ...(entry.input_order ? { input_order: entry.input_order } : {}), output: entry.output },
  ]),
);

describe('toApiPrompt with minimal /object_info entries', () => {
  it.each(names)('%s converts as with the full entries, untitled nodes titled by their class', (name) => {
    const workflow = read(`${name}.workflow.json`);
    const full = toApiPrompt(workflow, realObjectInfo, { random: () => 0, now: new Date(0) });
    const small = toApiPrompt(workflow, minimal, { random: () => 0, now: new Date(0) });
    expect(small.warnings).toEqual(full.warnings);
    expect(Object.keys(small.prompt)).toEqual(Object.keys(full.prompt));
    const titled = new Set((workflow.nodes as { id: number; title?: string }[]).filter((node) => node.title !== undefined).map((node) => String(node.id)));
    for (const [id, entry] of Object.entries(small.prompt)) {
      const want = full.prompt[id]!;
      expect({ id, class_type: entry.class_type, inputs: entry.inputs }).toEqual({ id, class_type: want.class_type, inputs: want.inputs });
      expect(entry._meta.title).toBe(titled.has(id) ? want._meta.title : entry.class_type);
    }
  });

  it('a title falls back to display_name, then the key; a different name is a warning and the key stays the class', () => {
    const graph = new UiGraph();
    const image = graph.node('EmptyImage', [8, 8, 1, 0], { outputs: ['IMAGE'] });
    const save = graph.node('PreviewImage', [], { inputs: [['images', 'IMAGE']] });
    graph.link(image, 0, save, 'images');
    const info = {
      EmptyImage: { ...(minimal.EmptyImage as object), name: 'SomethingElse' },
      PreviewImage: { ...(minimal.PreviewImage as object), display_name: 'Preview' },
    };
    const { prompt, warnings } = toApiPrompt(graph.workflow(), info);
    expect(prompt).toEqual({
      '1': { class_type: 'EmptyImage', inputs: { width: 8, height: 8, batch_size: 1, color: 0 }, _meta: { title: 'EmptyImage' } },
      '2': { class_type: 'PreviewImage', inputs: { images: ['1', 0] }, _meta: { title: 'Preview' } },
    });
    expect(warnings).toEqual([
      { type: 'object_info_name_mismatch', nodeId: '1', classType: 'EmptyImage', message: 'the /object_info entry "EmptyImage" is named "SomethingElse": the key is used as the class' },
    ]);
  });

  it('a field conversion reads that is malformed fails with a typed error naming the class', () => {
    const graph = new UiGraph();
    graph.node('EmptyImage', [8, 8, 1, 0], { outputs: ['IMAGE'] });
    for (const broken of [{ input: { required: { width: 'INT' } }, output: ['IMAGE'] }, { input: {}, output: 'IMAGE' }, { input: {}, input_order: { required: 'width' }, output: [] }]) {
      const error = (() => {
        try {
          toApiPrompt(graph.workflow(), { EmptyImage: broken });
        } catch (caught) {
          return caught;
        }
        return undefined;
      })();
      expect(error).toBeInstanceOf(ComfyProtocolError);
      expect((error as Error).message).toMatch(/^Invalid \/object_info entry 'EmptyImage': /);
    }
  });
});

describe('toApiPrompt given an API prompt', () => {
  it('returns it unchanged, without warnings, whatever /object_info holds', () => {
    const prompt = read('flux__girl_in_field.prompt.json');
    const copy = structuredClone(prompt);
    const result = toApiPrompt(prompt, {});
    expect(result.prompt).toBe(prompt);
    expect(result.prompt).toEqual(copy);
    expect(result.warnings).toEqual([]);
  });
});

describe('toApiPrompt warnings that say what happened', () => {
  it('DynamicCombo expansion stopping at its nesting limit names the input and the depth', () => {
    let spec: unknown[] = ['INT', { default: 3 }];
    for (let depth = 0; depth < 18; depth++) spec = ['COMFY_DYNAMICCOMBO_V3', { options: [{ key: 'k', inputs: { required: { d: spec } } }] }];
    const info = { Deep: { input: { required: { d: spec } }, output: ['INT'], output_node: true } };
    const graph = new UiGraph();
    graph.node('Deep', Array.from({ length: 20 }, () => 'k'));
    const { prompt, warnings } = toApiPrompt(graph.workflow(), info);
    const name = Array.from({ length: 17 }, () => 'd').join('.');
    expect(warnings).toContainEqual(expect.objectContaining({ type: 'dynamic_combo_depth', nodeId: '1', input: name, message: expect.stringContaining('nested 17 deep') }));
    expect(Object.keys(prompt['1']!.inputs)).toHaveLength(17);
  });

  it('duplicate node ids are renumbered after the id counter, as the editor loads them; links from the id reach the first', () => {
    const graph = new UiGraph();
    const first = graph.node('EmptyImage', [8, 8, 1, 0], { id: 3, outputs: ['IMAGE'] });
    graph.node('EmptyImage', [16, 16, 1, 0], { id: 3, outputs: ['IMAGE'] });
    const preview = graph.node('PreviewImage', [], { id: 4, inputs: [['images', 'IMAGE']] });
    graph.link(first, 0, preview, 'images');
    const { prompt, warnings } = toApiPrompt(graph.workflow({ last_node_id: 5 }), realObjectInfo);
    expect(Object.keys(prompt)).toEqual(['3', '4', '6']);
    expect(prompt['3']!.inputs.width).toBe(8);
    expect(prompt['6']!.inputs.width).toBe(16);
    expect(prompt['4']!.inputs.images).toEqual(['3', 0]);
    expect(warnings).toEqual([expect.objectContaining({ type: 'duplicate_node_id', nodeId: '6', classType: 'EmptyImage', message: expect.stringContaining('node id 3 is taken: nodes.1 (EmptyImage) is renumbered 6') })]);
  });

  it('the frontend renames old types before it looks for missing ones (T2IAdapterLoader -> ControlNetLoader)', () => {
    const graph = new UiGraph();
    graph.node('T2IAdapterLoader', ['t2i.safetensors'], { outputs: ['CONTROL_NET'] });
    graph.node('ConditioningAverage ', [0.5], { inputs: [['conditioning_to', 'CONDITIONING'], ['conditioning_from', 'CONDITIONING']], outputs: ['CONDITIONING'] });
    const { prompt } = toApiPrompt(graph.workflow(), realObjectInfo);
    expect(prompt['1']).toEqual({ class_type: 'ControlNetLoader', inputs: { control_net_name: 't2i.safetensors' }, _meta: { title: 'Load ControlNet Model' } });
    expect(prompt['2']?.class_type).toBe('ConditioningAverage');
  });
});

