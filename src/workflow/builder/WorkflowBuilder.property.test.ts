import fc from 'fast-check';
import { ObjectInfoIndex } from '../objectInfoIndex';
import { validatePrompt } from '../validate/validatePrompt';
import { fakeObjectInfo, objectInfo080 } from './__fixtures__/objectInfos';
import { WorkflowCatalog, randomWorkflow } from './__fixtures__/randomWorkflow';

describe('WorkflowBuilder (property)', () => {
  it.each([
    ['the 0.8.0 /object_info', async () => objectInfo080()],
    ["the fake's /object_info", fakeObjectInfo],
  ])('every prompt built from random valid choices on %s validates, defaults filled in included', async (_label, load) => {
    const catalog = new WorkflowCatalog(ObjectInfoIndex.from(await load()));
    expect(catalog.outputClasses.length).toBeGreaterThan(1);
    fc.assert(
      fc.property(fc.gen(), (g) => {
        const prompt = randomWorkflow(g, catalog).build(); // build() throws a ComfyValidationError when the server would not run it all
        expect(validatePrompt(prompt, catalog.index)).toMatchObject({ status: 200, node_errors: {}, outputs: expect.any(Array) });
      }),
      { numRuns: 150 },
    );
  });
});
