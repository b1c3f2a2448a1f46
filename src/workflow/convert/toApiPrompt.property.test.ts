import fc from 'fast-check';
import { ComfyValidationError } from '../../errors';
import { objectInfo } from '../__fixtures__/testObjectInfo';
import { ObjectInfoIndex } from '../objectInfoIndex';
import { toApiPrompt } from './toApiPrompt';

const index = ObjectInfoIndex.from(objectInfo);
const TYPES = ['EmptyImage', 'ImageInvert', 'KSampler', 'Reroute', 'PrimitiveNode', 'Note', 'SetNode', 'GetNode', 'Dynamic', 'LoadImage', 'Unknown', 'sub', 'workflow>G'];
const id = fc.oneof(fc.integer({ min: -20, max: 12 }), fc.constantFrom('1', '2', 'x', '-10'));
const json = fc.jsonValue({ maxDepth: 2 });

const slot = fc.record({ name: fc.constantFrom('image', 'width', 'seed', '', 'images'), type: fc.constantFrom('IMAGE', 'INT', '*', 'IMAGE,MASK', 'LATENT'), link: fc.option(fc.integer({ min: 0, max: 15 })), widget: fc.option(fc.record({ name: fc.constantFrom('width', 'seed') }), { nil: undefined }) });
const node = fc.record(
  {
    id,
    type: fc.constantFrom(...TYPES),
    mode: fc.constantFrom(0, 0, 2, 4),
    inputs: fc.array(slot, { maxLength: 3 }),
    outputs: fc.array(fc.record({ name: fc.constantFrom('IMAGE', 'INT'), type: fc.constantFrom('IMAGE', 'INT', '*'), links: fc.constant(null) }), { maxLength: 2 }),
    widgets_values: fc.oneof(fc.array(json, { maxLength: 8 }), fc.dictionary(fc.constantFrom('width', 'seed', 'x'), json)),
    properties: fc.oneof(fc.constant({}), fc.record({ proxyWidgets: fc.array(fc.tuple(fc.constantFrom('1', '-1', '2'), fc.constantFrom('width', '$$p', '1: seed'))) })),
  },
  { requiredKeys: ['id', 'type'] },
);
const link = fc.oneof(
  fc.tuple(fc.integer({ min: 0, max: 15 }), id, fc.integer({ min: -1, max: 3 }), id, fc.integer({ min: 0, max: 3 }), fc.constantFrom('IMAGE', 'INT', '*')),
  fc.record({ id: fc.integer({ min: 0, max: 15 }), origin_id: id, origin_slot: fc.integer({ min: 0, max: 3 }), target_id: id, target_slot: fc.integer({ min: 0, max: 3 }), type: fc.constant('*') }),
);
const graph = fc.record({ nodes: fc.array(node, { maxLength: 8 }), links: fc.array(link, { maxLength: 12 }) });
const workflow = fc.record({
  version: fc.constantFrom(0.4, 1),
  nodes: graph.map((g) => g.nodes),
  links: graph.map((g) => g.links),
  definitions: fc.record({
    subgraphs: fc.array(
      graph.map((g) => ({ id: 'sub', name: 'sub', ...g, inputs: [{ name: 'image', type: 'IMAGE', linkIds: [1, 2] }], outputs: [{ name: 'IMAGE', type: 'IMAGE', linkIds: [3] }] })),
      { maxLength: 2 },
    ),
  }),
  extra: fc.record({ groupNodes: fc.record({ G: graph.map((g) => ({ nodes: g.nodes.map((n, i) => ({ ...n, index: i })), links: [[null, 0, 0, 0], [0, 0, 1, 0]], external: [[0, 0, 'IMAGE']] })) }) }),
});

/** The only acceptable outcomes: a prompt, or a typed validation error. */
function settles(value: unknown): boolean {
  try {
    const { prompt, warnings } = toApiPrompt(value, index, { random: () => 0.5, now: new Date(0) });
    JSON.stringify(prompt);
    return Array.isArray(warnings);
  } catch (error) {
    if (error instanceof ComfyValidationError) return true;
    throw error;
  }
}

describe('toApiPrompt on random and corrupted input (property)', () => {
  it('random UI workflows (cycles, dangling links, bad slots, nesting) end in a prompt or a typed error', () => {
    fc.assert(fc.property(workflow, settles), { numRuns: 400 });
  });

  it('arbitrary JSON ends in a prompt or a typed error', () => {
    fc.assert(fc.property(fc.jsonValue(), settles), { numRuns: 300 });
    fc.assert(fc.property(fc.record({ nodes: fc.array(fc.jsonValue()), links: fc.array(fc.jsonValue()) }), settles), { numRuns: 300 });
  });

  it('a chain of 20,000 reroutes resolves without overflowing the stack', () => {
    const count = 20_000;
    const nodes: unknown[] = [{ id: 0, type: 'EmptyImage', widgets_values: [8, 8, 1, 0], outputs: [{ name: 'IMAGE', type: 'IMAGE', links: [1] }] }];
    const links: unknown[] = [];
    for (let i = 1; i <= count; i++) {
      nodes.push({ id: i, type: 'Reroute', inputs: [{ name: '', type: '*', link: i }], outputs: [{ name: '', type: '*', links: [i + 1] }] });
      links.push([i, i - 1, 0, i, 0, '*']);
    }
    nodes.push({ id: count + 1, type: 'ImageInvert', inputs: [{ name: 'image', type: 'IMAGE', link: count + 1 }] });
    links.push([count + 1, count, 0, count + 1, 0, 'IMAGE']);
    expect(toApiPrompt({ nodes, links }, index).prompt[String(count + 1)]!.inputs).toEqual({ image: ['0', 0] });
  });
});
