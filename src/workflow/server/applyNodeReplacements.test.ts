import type { NodeReplacementTable } from '../../protocol/nodeReplacements';
import { PyException } from '../validate/pyException';
import { applyNodeReplacements } from './applyNodeReplacements';

const installed = new Set(['New', 'Sink']);
const has = (classType: string) => installed.has(classType);
const table: NodeReplacementTable = {
  Old: [
    {
      new_node_id: 'New',
      old_node_id: 'Old',
      old_widget_ids: ['a'],
      input_mapping: [{ new_id: 'x', old_id: 'a' }, { new_id: 'mode', set_value: 'fast' }, { new_id: 'both', old_id: 'a', set_value: 1 }],
      output_mapping: [{ new_idx: 2, old_idx: 0 }],
    },
  ],
  Bare: [{ new_node_id: 'New', old_node_id: 'Bare', old_widget_ids: null, input_mapping: null, output_mapping: null }],
};

describe('applyNodeReplacements', () => {
  it('rebuilds inputs from the mapping (set_value wins over old_id), keeps _meta, renumbers links to the outputs', () => {
    const prompt: Record<string, unknown> = {
      '1': { class_type: 'Old', inputs: { a: 4, b: 5 }, _meta: { title: 'T' } },
      '2': { class_type: 'Sink', inputs: { in: ['1', 0], other: ['1', 1] } },
    };
    expect(applyNodeReplacements(prompt, table, has)).toEqual(['1']);
    expect(prompt).toEqual({
      '1': { class_type: 'New', inputs: { x: 4, mode: 'fast', both: 1 }, _meta: { title: 'T' } },
      '2': { class_type: 'Sink', inputs: { in: ['1', 2], other: ['1', 1] } },
    });
  });

  it('a replacement without mappings empties the inputs and leaves links alone; installed classes are not replaced', () => {
    const prompt: Record<string, unknown> = { '1': { class_type: 'Bare', inputs: { a: 1 } }, '2': { class_type: 'Sink', inputs: { in: ['1', 0] } } };
    applyNodeReplacements(prompt, table, has);
    expect(prompt).toEqual({ '1': { class_type: 'New', inputs: {}, _meta: {} }, '2': { class_type: 'Sink', inputs: { in: ['1', 0] } } });
    const kept: Record<string, unknown> = { '1': { class_type: 'Old', inputs: { a: 1 } } };
    expect(applyNodeReplacements(kept, table, () => true)).toEqual([]);
  });

  it('skips what is not a node (a UI workflow key), and raises as the server does for inputs that are not a dict', () => {
    expect(applyNodeReplacements({ last_node_id: 5, '1': { class_type: 'Sink' } }, table, has)).toEqual([]);
    expect(() => applyNodeReplacements({ '1': { class_type: 'Sink', inputs: [1] } }, table, has)).toThrow(new PyException('AttributeError', "'list' object has no attribute 'items'"));
  });
});
