import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { Workflow } from './api';
import { parseWorkflow } from './parseWorkflow';

const junk = fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constant(undefined));
const either = <T>(valid: fc.Arbitrary<T>) => fc.oneof({ weight: 9, arbitrary: valid }, { weight: 1, arbitrary: junk });
const node = fc.record(
  {
    class_type: either(fc.oneof(fc.string({ minLength: 1 }), fc.constant(''))),
    inputs: either(fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 })),
    _meta: either(fc.record({ title: either(fc.string()) }, { requiredKeys: [] })),
    extra: junk,
  },
  { requiredKeys: ['class_type', 'inputs'] },
);
const workflow = either(fc.dictionary(fc.oneof(fc.string({ maxLength: 3 }), fc.constantFrom('', '__proto__', '1')), either(node), { maxKeys: 4 }));

describe('parseWorkflow (Workflow.safeParse with a compiled fast path)', () => {
  it('answers as the schema does, and takes the fast path only for workflows the schema accepts', () => {
    let fast = 0;
    fc.assert(
      fc.property(workflow, (value) => {
        const checked = parseWorkflow(value);
        const bySchema = Workflow.safeParse(value);
        expect(checked.success).toBe(bySchema.success);
        if (checked.success && checked.data === value) fast++; // the fast path hands back the value itself
      }),
      { numRuns: 3000 },
    );
    expect(fast).toBeGreaterThan(100);
  });

  it('takes the fast path for the example workflows, and words the schema errors otherwise', () => {
    const dir = join(__dirname, '..', '..', 'examples', 'workflows');
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
      const value: unknown = JSON.parse(readFileSync(join(dir, file), 'utf8'));
      expect(parseWorkflow(value)).toEqual({ success: true, data: value });
      expect((parseWorkflow(value) as { data: unknown }).data).toBe(value);
    }
    const bad = parseWorkflow({ '1': { inputs: {} } });
    expect(bad.success).toBe(false);
    expect(bad.success ? '' : bad.error.issues[0]?.path.join('.')).toBe('1.class_type');
  });
});
