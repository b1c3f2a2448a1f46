import { ComfyConnectionError, ComfyHttpError } from '../errors';
import { ComfyInputError } from '../inputs/errors';
import { classifyFailure } from './classifyFailure';

describe('classifyFailure', () => {
  it('blames the server for an upload it could not take (unreachable, 5xx), the caller for a bad input file', () => {
    const unreachable = new ComfyConnectionError('refused', 'http://gpu1:8188/');
    expect(classifyFailure(new ComfyInputError('x', 'upload-failed', 'a.png', '1', 'image', { cause: unreachable }))).toBe('server');
    expect(classifyFailure(new ComfyInputError('x', 'upload-failed', 'a.png', '1', 'image', { cause: new ComfyHttpError(502, 'POST', 'http://gpu1/', '') }))).toBe('server');
    expect(classifyFailure(new ComfyInputError('x', 'not-found', 'a.png', '1', 'image'))).toBe('prompt');
    expect(classifyFailure(new ComfyInputError('x', 'too-large', 'a.png'))).toBe('prompt');
  });
});
