import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { normalizeWithSchemas } from './normalizeWorkflow';
import { readWorkflowFast } from './readWorkflowFast';

const FIXTURES = join(__dirname, '..', '__fixtures__');
const junk = fc.oneof(fc.jsonValue({ maxDepth: 1 }), fc.constantFrom(Number.NaN, undefined, '07', '-1', '1.5'));
/** Mostly what the field should be, sometimes anything. */
const either = <T>(valid: fc.Arbitrary<T>) => fc.oneof({ weight: 12, arbitrary: valid }, { weight: 1, arbitrary: junk });
const id = either(fc.oneof(fc.integer({ min: -20, max: 12 }), fc.constantFrom('1', '2', 'x', '-10')));
const slotIndex = either(fc.oneof(fc.integer({ min: -1, max: 3 }), fc.constantFrom('0', '1', '-1')));
const slotType = either(fc.oneof(fc.constantFrom('IMAGE', 'INT', '*', 'IMAGE,MASK'), fc.constant(0), fc.constant(null), fc.array(fc.constantFrom('IMAGE', 'MASK'), { maxLength: 2 })));
const input = fc.record(
  { name: either(fc.constantFrom('image', 'width', 'seed', '')), type: slotType, link: either(fc.option(fc.integer({ min: 0, max: 15 }))), widget: either(fc.option(fc.record({ name: either(fc.constantFrom('width', 'seed')) }))), label: either(fc.option(fc.string())) },
  { requiredKeys: ['name'] },
);
const output = fc.record({ name: either(fc.option(fc.constantFrom('IMAGE', 'INT'))), type: slotType, links: either(fc.option(fc.array(id, { maxLength: 2 }))) }, { requiredKeys: [] });
const node = fc.record(
  {
    id,
    type: either(fc.constantFrom('EmptyImage', 'ImageInvert', 'Reroute', 'sub', 'workflow>G')),
    mode: either(fc.option(fc.constantFrom(0, 2, 4))),
    title: either(fc.option(fc.string({ maxLength: 3 }))),
    inputs: either(fc.option(fc.array(either(input), { maxLength: 3 }))),
    outputs: either(fc.option(fc.array(either(output), { maxLength: 2 }))),
    widgets_values: either(fc.option(fc.oneof(fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 4 }), fc.dictionary(fc.constantFrom('width', 'seed'), fc.integer())))),
    widgets_values_named: either(fc.option(fc.dictionary(fc.constantFrom('width', 'seed'), fc.integer()))),
    properties: either(fc.option(fc.dictionary(fc.constantFrom('Node name for S&R', 'proxyWidgets'), fc.string()))),
  },
  { requiredKeys: ['id', 'type'] },
);
const link = either(
  fc.oneof(
    fc.tuple(fc.integer({ min: 0, max: 15 }), id, slotIndex, id, slotIndex, slotType),
    fc.tuple(fc.integer({ min: 0, max: 15 }), id, slotIndex, id, slotIndex),
    fc.record({ id: fc.integer({ min: 0, max: 15 }), origin_id: id, origin_slot: slotIndex, target_id: id, target_slot: slotIndex, type: slotType }),
    fc.constant(null),
  ),
);
const graph = fc.record({ nodes: either(fc.array(either(node), { maxLength: 5 })), links: either(fc.option(fc.array(link, { maxLength: 6 }))) });
const boundary = either(fc.array(fc.record({ name: either(fc.constantFrom('image', 'IMAGE')), type: slotType, linkIds: either(fc.option(fc.array(id, { maxLength: 2 }))) }), { maxLength: 2 }));
const subgraph = fc.record({ id: either(fc.constantFrom('sub', 'other')), name: either(fc.option(fc.constant('sub'))), nodes: graph.map((g) => g.nodes), links: graph.map((g) => g.links), inputs: boundary, outputs: boundary });
const workflow = fc.record(
  {
    version: either(fc.constantFrom(0.4, 1, '1')),
    nodes: graph.map((g) => g.nodes),
    links: graph.map((g) => g.links),
    definitions: either(fc.option(fc.record({ subgraphs: either(fc.array(either(subgraph), { maxLength: 2 })) }, { requiredKeys: [] }))),
    extra: either(fc.option(fc.record({ groupNodes: either(fc.record({ G: fc.constant({ nodes: [{ type: 'EmptyImage', index: 0 }], links: [[null, 0, 0, 0]] }) })) }, { requiredKeys: [] }))),
  },
  { requiredKeys: ['nodes'] },
);

/** The schema path's answer: the normalised workflow, or the error it throws. */
function bySchemas(value: unknown): unknown {
  try {
    return normalizeWithSchemas(value);
  } catch (error) {
    return error;
  }
}

describe('readWorkflowFast (pass 1 in one walk)', () => {
  it('whatever it reads, the zod schemas read the same (it leaves every other file to them)', () => {
    let fast = 0;
    fc.assert(
      fc.property(workflow, (value) => {
        const read = readWorkflowFast(value);
        if (read === undefined) return;
        fast++;
        expect(read).toEqual(bySchemas(value));
      }),
      { numRuns: 2000 },
    );
    expect(fast).toBeGreaterThan(100); // enough accepted files for the property to say something
  });

  it('reads every shared editor file itself, exactly as the schemas do', () => {
    const files = readdirSync(FIXTURES).filter((file) => file.endsWith('.workflow.json'));
    expect(files.length).toBeGreaterThan(5);
    for (const file of files) {
      const value: unknown = JSON.parse(readFileSync(join(FIXTURES, file), 'utf8'));
      const read = readWorkflowFast(value);
      expect(read).toBeDefined();
      expect(read).toEqual(normalizeWithSchemas(value));
    }
  });
});
