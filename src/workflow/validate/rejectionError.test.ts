import { firstValueFrom } from 'rxjs';
import { ComfyPromptRejectedError, ComfyServerWouldFailError, type ComfyValidationError } from '../../errors';
import { libLogger } from '../../log';
import { FakeComfyServer } from '../../testing';
import { ComfyHttp } from '../../transport/http';
import { validatePrompt } from './validatePrompt';
import { rejectionError } from './rejectionError';

const fields = (error: ComfyValidationError) => ({ name: error.name, message: error.message, errorType: error.errorType, nodeErrors: error.nodeErrors, details: error.details });

describe('rejectionError', () => {
  let fake: FakeComfyServer;
  let http: ComfyHttp;
  beforeAll(async () => {
    fake = await FakeComfyServer.start();
    http = new ComfyHttp({ url: fake.url, logger: libLogger() });
  });
  afterAll(async () => {
    await fake.stop();
  });

  const rejected = {
    badValues: { '1': { class_type: 'EmptyImage', inputs: { width: 0, height: 'x', batch_size: 1 } }, '2': { class_type: 'SaveImage', inputs: { images: ['1', 0], filename_prefix: 'x' } } },
    missingNode: { '2': { class_type: 'SaveImage', inputs: { images: ['99', 0], filename_prefix: 'x' } } },
    unknownClass: { '1': { class_type: 'Nope', inputs: {} } },
  };

  it.each(Object.entries(rejected))('is the very error the server\'s 400 gives (%s)', async (_name, prompt) => {
    const served = await firstValueFrom(http.queuePrompt({ prompt })).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(served).toBeInstanceOf(ComfyPromptRejectedError);
    const answer = validatePrompt(prompt, await firstValueFrom(http.objectInfo()));
    if (answer.status === 200) throw new Error('expected a rejection');
    expect(fields(rejectionError(answer))).toEqual(fields(served as ComfyValidationError));
  });

  it('names a prompt the server would crash on (500) as a ComfyServerWouldFailError of type server_exception', () => {
    const answer = validatePrompt([1], {});
    if (answer.status !== 500) throw new Error('expected a 500');
    const error = rejectionError(answer);
    expect(error).toBeInstanceOf(ComfyServerWouldFailError);
    expect([error.errorType, error.nodeErrors, error.message]).toEqual(['server_exception', {}, expect.stringContaining('500 Internal Server Error')]);
  });
});
