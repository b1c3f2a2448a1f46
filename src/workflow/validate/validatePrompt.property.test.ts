import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import objectInfo from '../__fixtures__/object_info-0.8.0.json';
import { PromptValidation } from '../../protocol/validation';
import { ObjectInfoIndex } from '../objectInfoIndex';
import { validatePrompt } from './validatePrompt';

const index = ObjectInfoIndex.from(objectInfo);
const classTypes = index.classTypes();
const outputClasses = classTypes.filter((name) => index.get(name)!.outputNode);
const FIXTURES = join(__dirname, '../__fixtures__');
const templates = readdirSync(FIXTURES)
  .filter((name) => name.endsWith('.prompt.json'))
  .map((name) => JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')) as Record<string, { class_type: string; inputs: Record<string, unknown> }>);

/** The answer has the server's shape, and what it names exists: node ids of the prompt, output nodes as dependents. */
function expectServerShaped(prompt: unknown, answer: unknown): void {
  const parsed = PromptValidation.parse(answer);
  if (typeof prompt !== 'object' || prompt === null || Array.isArray(prompt)) return;
  const nodes = prompt as Record<string, { class_type?: unknown }>;
  const isOutput = (id: string) => typeof nodes[id]?.class_type === 'string' && index.get(nodes[id].class_type as string)?.outputNode === true;
  for (const [id, entry] of Object.entries(parsed.node_errors)) {
    expect(Object.prototype.hasOwnProperty.call(nodes, id)).toBe(true);
    expect(entry.errors.length).toBeGreaterThan(0);
    for (const output of entry.dependent_outputs) expect(isOutput(output)).toBe(true);
  }
  if (parsed.status === 200) {
    expect(parsed.outputs.length).toBeGreaterThan(0);
    for (const output of parsed.outputs) expect([output, parsed.node_errors[output]]).toEqual([output, undefined]);
  }
}

const nodeIds = fc.constantFrom('1', '2', '3', '4', '5', '6', '7', '8');
/** An input value: a literal of any JSON kind, a link (often to a real node and slot), or a malformed link. */
const inputValue = fc.oneof(
  { weight: 3, arbitrary: fc.tuple(nodeIds, fc.integer({ min: -2, max: 4 })).map(([id, slot]) => [id, slot]) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
  { weight: 1, arbitrary: fc.constantFrom(['1'], ['1', 0, 0], [1, 0], ['1', 'a'], ['1', true], ['1', null], [['1'], 0], [{}, 0], []) },
  { weight: 1, arbitrary: fc.record({ __value__: fc.jsonValue({ maxDepth: 1 }) }) },
);
/** Inputs named after the class's declared inputs (most of them) plus junk names. */
const nodeOf = (classType: string) => {
  const names = index.get(classType)?.inputs.map((input) => input.name) ?? [];
  return fc
    .tuple(fc.subarray([...names, 'junk', 'prompt']), fc.array(inputValue, { minLength: names.length + 2, maxLength: names.length + 2 }))
    .map(([picked, values]) => ({ class_type: classType, inputs: Object.fromEntries(picked.map((name, i) => [name, values[i]])) }));
};
const randomNode = fc.oneof(
  { weight: 20, arbitrary: fc.constantFrom(...classTypes, ...outputClasses, ...outputClasses).chain(nodeOf) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
  { weight: 1, arbitrary: fc.record({ class_type: fc.jsonValue({ maxDepth: 1 }), inputs: fc.jsonValue({ maxDepth: 1 }) }, { requiredKeys: [] }) },
);
const randomGraph = fc.dictionary(nodeIds, randomNode, { minKeys: 1, maxKeys: 8 });

/** A fixture prompt with a few random changes: an input removed, replaced, or relinked (cycles included). */
const corrupted = fc
  .tuple(fc.constantFrom(...templates), fc.array(fc.tuple(fc.nat(), fc.nat(), fc.constantFrom('delete', 'replace', 'relink', 'dropNode', 'dropInputs'), inputValue), { minLength: 1, maxLength: 5 }))
  .map(([template, edits]) => {
    const prompt: Record<string, Record<string, unknown>> = JSON.parse(JSON.stringify(template));
    const ids = Object.keys(prompt);
    for (const [nodePick, inputPick, edit, value] of edits) {
      const id = ids[nodePick % ids.length]!;
      const node = prompt[id];
      if (!node) continue;
      const inputs = (node.inputs ?? {}) as Record<string, unknown>;
      const names = Object.keys(inputs);
      const name = names[inputPick % Math.max(1, names.length)];
      if (edit === 'dropNode') delete prompt[id];
      else if (edit === 'dropInputs') delete node.inputs;
      else if (name === undefined) continue;
      else if (edit === 'delete') delete inputs[name];
      else if (edit === 'replace') inputs[name] = value;
      else inputs[name] = [ids[inputPick % ids.length], inputPick % 3];
    }
    return prompt;
  });

describe('validatePrompt (property)', () => {
  it('answers any JSON value with a server-shaped answer, never a throw', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), fc.option(fc.jsonValue({ maxDepth: 1 }), { nil: undefined }), (prompt, targets) => {
        expectServerShaped(prompt, validatePrompt(prompt, index, { partialExecutionTargets: targets }));
      }),
      { numRuns: 300 },
    );
  });

  it('answers random graphs of real classes (links anywhere, cycles, junk values) with a server-shaped answer', () => {
    fc.assert(
      fc.property(randomGraph, (prompt) => {
        expectServerShaped(prompt, validatePrompt(prompt, index));
      }),
      { numRuns: 500 },
    );
  });

  it('answers corrupted template prompts with a server-shaped answer, and never changes the request', () => {
    fc.assert(
      fc.property(corrupted, (prompt) => {
        const before = JSON.stringify(prompt);
        expectServerShaped(prompt, validatePrompt(prompt, index));
        expect(JSON.stringify(prompt)).toBe(before);
      }),
      { numRuns: 300 },
    );
  });
});
