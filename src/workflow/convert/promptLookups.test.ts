import { findNodeByRef } from '../findNodeByRef';
import { rewrapListValues } from './rewrapListValues';
import { uiNodeTypes } from './uiNodeTypes';

const prompt = {
  '6': { class_type: 'CLIPTextEncode', inputs: { text: 'a' }, _meta: { title: 'Positive Prompt' } },
  '7': { class_type: 'CLIPTextEncode', inputs: { text: 'b' }, _meta: { title: 'Prompt' } },
  '8': { class_type: 'CLIPTextEncode', inputs: { text: 'c' }, _meta: { title: 'Prompt' } },
  'Positive Prompt': { class_type: 'X', inputs: {} },
};

describe('findNodeByRef', () => {
  it('an id wins over a title; a unique title finds its node', () => {
    expect(findNodeByRef(prompt, '6')).toEqual({ kind: 'found', id: '6' });
    expect(findNodeByRef(prompt, 'Positive Prompt')).toEqual({ kind: 'found', id: 'Positive Prompt' });
    expect(findNodeByRef({ '6': prompt['6'] }, 'Positive Prompt')).toEqual({ kind: 'found', id: '6' });
  });

  it('a shared title is ambiguous, listing the candidates; an unknown name is none', () => {
    expect(findNodeByRef(prompt, 'Prompt')).toEqual({ kind: 'ambiguous', candidates: [{ id: '7', title: 'Prompt' }, { id: '8', title: 'Prompt' }] });
    expect(findNodeByRef(prompt, 'Nope')).toEqual({ kind: 'none' });
  });
});

describe('rewrapListValues', () => {
  it('wraps list values that are not links, keeps links and the input untouched', () => {
    const read = { '1': { class_type: 'X', inputs: { points: [1, 2, 3], image: ['2', 0], pair: ['a', 'b'] } } };
    expect(rewrapListValues(read)).toEqual({ '1': { class_type: 'X', inputs: { points: { __value__: [1, 2, 3] }, image: ['2', 0], pair: { __value__: ['a', 'b'] } } } });
    expect(read['1'].inputs.points).toEqual([1, 2, 3]);
  });
});

describe('uiNodeTypes', () => {
  it('lists the classes of the root, subgraphs and group nodes, without virtual, muted, instance and group types', () => {
    const workflow = {
      nodes: [
        { id: 1, type: 'KSampler' },
        { id: 2, type: 'Note' },
        { id: 3, type: 'Muted', mode: 2 },
        { id: 4, type: 'sub-1' },
        { id: 5, type: 'workflow>G' },
        { id: 6, type: 'KSampler' },
      ],
      definitions: { subgraphs: [{ id: 'sub-1', nodes: [{ id: 1, type: 'VAEDecode' }, { id: 2, type: 'Reroute' }], definitions: { subgraphs: [{ id: 'sub-2', nodes: [{ id: 1, type: 'Deep' }] }] } }] },
      extra: { groupNodes: { G: { nodes: [{ index: 0, type: 'EmptyImage' }] } } },
    };
    expect(uiNodeTypes(workflow)).toEqual(['KSampler', 'VAEDecode', 'Deep', 'EmptyImage']);
    expect(uiNodeTypes({ nodes: 'x' })).toEqual([]);
    expect(uiNodeTypes(null)).toEqual([]);
  });
});
