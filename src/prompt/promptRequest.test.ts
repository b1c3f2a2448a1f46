import { promptRequest } from './promptRequest';

describe('promptRequest', () => {
  const workflow = { '1': { class_type: 'EmptyImage', inputs: {}, custom_field: 'kept' } };

  it('posts the workflow as given (unknown keys kept), with our client id and prompt id, and no option left out is sent', () => {
    const body = promptRequest(workflow, 'c1', 'p1');
    expect(body).toEqual({ prompt: workflow, client_id: 'c1', prompt_id: 'p1' });
    expect(body.prompt).toBe(workflow);
  });

  it('maps the run options the server knows to its field names', () => {
    const body = promptRequest(workflow, 'c1', 'p1', { extraData: { extra_pnginfo: { a: 1 } }, number: 0, front: true, partialExecutionTargets: ['9'], timeoutMs: 5, stallWarnAfterMs: 7 });
    expect(body).toEqual({ prompt: workflow, client_id: 'c1', prompt_id: 'p1', extra_data: { extra_pnginfo: { a: 1 } }, number: 0, front: true, partial_execution_targets: ['9'] });
  });

  it('leaves `front: false` out (the server default)', () => {
    expect(promptRequest(workflow, 'c1', 'p1', { front: false })).not.toHaveProperty('front');
  });
});
