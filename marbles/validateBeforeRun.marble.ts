import type { TestScheduler } from 'rxjs/testing';
import objectInfo from '../src/workflow/__fixtures__/object_info-0.8.0.json';
import { ComfyValidationError } from '../src/errors';
import { validateBeforeRun } from '../src/preflight/validateBeforeRun';
import { ObjectInfoIndex } from '../src/workflow/objectInfoIndex';
import { newTestScheduler } from './helpers/testScheduler';

const index = ObjectInfoIndex.from(objectInfo);
const empty = (width: unknown) => ({ class_type: 'EmptyImage', inputs: { width, height: 8, batch_size: 1, color: 0 } });
const valid = { '1': empty(8), '2': { class_type: 'PreviewImage', inputs: { images: ['1', 0] } } };
const invalid = { '1': empty(0), '2': { class_type: 'PreviewImage', inputs: { images: ['1', 0] } } };

describe('validateBeforeRun', () => {
  let ts: TestScheduler;
  beforeEach(() => (ts = newTestScheduler()));

  it('emits the 200 answer once the /object_info is there, and completes with the fetch', () => {
    ts.run(({ cold, expectObservable, expectSubscriptions }) => {
      const index$ = cold('  --i|', { i: index });
      const indexSubs = '    ^--!';
      const expected = '     --a|';
      expectObservable(validateBeforeRun(index$, valid)).toBe(expected, { a: { status: 200, node_errors: {}, outputs: ['2'], prompt: valid } });
      expectSubscriptions(index$.subscriptions).toBe(indexSubs);
    });
  });

  it("errors with the server's 400 as a ComfyValidationError, node errors included", () => {
    let caught: unknown;
    ts.run(({ cold, expectObservable }) => {
      const index$ = cold('-i|', { i: index });
      const run$ = validateBeforeRun(index$, invalid);
      expectObservable(run$).toBe('-#', undefined, new Error('Prompt outputs failed validation: node 1 (EmptyImage): Value 0 smaller than min of 1: width'));
      run$.subscribe({ error: (error: unknown) => (caught = error) });
    });
    expect(caught).toBeInstanceOf(ComfyValidationError);
    expect((caught as ComfyValidationError).nodeErrors['1']?.errors[0]).toMatchObject({ type: 'value_smaller_than_min', details: 'width' });
  });

  it('checks only the partial execution targets', () => {
    ts.run(({ cold, expectObservable }) => {
      const both = { ...invalid, '3': { class_type: 'PreviewImage', inputs: { images: ['4', 0] } }, '4': empty(8) };
      expectObservable(validateBeforeRun(cold('-i|', { i: index }), both, ['3'])).toBe('-a|', {
        a: { status: 200, node_errors: {}, outputs: ['3'], prompt: both },
      });
    });
  });

  it('passes on a failed /object_info fetch, and unsubscribes from it early', () => {
    ts.run(({ cold, expectObservable, expectSubscriptions }) => {
      const index$ = cold<ObjectInfoIndex>('--#');
      expectObservable(validateBeforeRun(index$, valid)).toBe('--#');
      const slow$ = cold<ObjectInfoIndex>('-----i|', { i: index });
      expectObservable(validateBeforeRun(slow$, valid), '--!').toBe('--');
      expectSubscriptions(slow$.subscriptions).toBe('^-!');
    });
  });
});
