import type { Observable } from 'rxjs';
import type { TestScheduler } from 'rxjs/testing';
import objectInfo from '../src/workflow/__fixtures__/object_info-0.8.0.json';
import { ComfyValidationError } from '../src/errors';
import { ObjectInfoCache } from '../src/objectInfo/objectInfoCache';
import { validateWithServer } from '../src/objectInfo/validateWithServer';
import { newTestScheduler } from './helpers/testScheduler';

const empty = (width: unknown) => ({ class_type: 'EmptyImage', inputs: { width, height: 8, batch_size: 1, color: 0 } });
const valid = { '1': empty(8), '2': { class_type: 'PreviewImage', inputs: { images: ['1', 0] } } };
const invalid = { '1': empty(0), '2': { class_type: 'PreviewImage', inputs: { images: ['1', 0] } } };

/** A client's cache whose `/object_info` fetch is `fetch$` (subscribed once per fetch). */
const cacheOf = (fetch$: Observable<unknown>) => new ObjectInfoCache(() => fetch$);

describe('validateWithServer', () => {
  let ts: TestScheduler;
  beforeEach(() => (ts = newTestScheduler()));

  it('emits the 200 answer once the /object_info is there, and completes with the fetch', () => {
    ts.run(({ cold, expectObservable, expectSubscriptions }) => {
      const index$ = cold('  --i|', { i: objectInfo });
      const indexSubs = '    ^--!';
      const expected = '     --a|';
      expectObservable(validateWithServer(cacheOf(index$), valid)).toBe(expected, { a: { status: 200, node_errors: {}, outputs: ['2'], prompt: valid } });
      expectSubscriptions(index$.subscriptions).toBe(indexSubs);
    });
  });

  it("errors with the server's 400 as a ComfyValidationError, node errors included", () => {
    let caught: unknown;
    ts.run(({ cold, expectObservable }) => {
      const index$ = cold('-i|', { i: objectInfo });
      const run$ = validateWithServer(cacheOf(index$), invalid);
      expectObservable(run$).toBe('-#', undefined, new Error('Prompt outputs failed validation: node 1 (EmptyImage): Value 0 smaller than min of 1: width'));
      run$.subscribe({ error: (error: unknown) => (caught = error) });
    });
    expect(caught).toBeInstanceOf(ComfyValidationError);
    expect((caught as ComfyValidationError).nodeErrors['1']?.errors[0]).toMatchObject({ type: 'value_smaller_than_min', details: 'width' });
  });

  it('checks only the partial execution targets', () => {
    ts.run(({ cold, expectObservable }) => {
      const both = { ...invalid, '3': { class_type: 'PreviewImage', inputs: { images: ['4', 0] } }, '4': empty(8) };
      expectObservable(validateWithServer(cacheOf(cold('-i|', { i: objectInfo })), both, ['3'])).toBe('-a|', {
        a: { status: 200, node_errors: {}, outputs: ['3'], prompt: both },
      });
    });
  });

  it('fetches /object_info again once when the prompt names a class the cached index lacks, then judges it', () => {
    let fetches = 0;
    ts.run(({ cold, expectObservable }) => {
      const unknownClass = { '1': { class_type: 'NotInstalled', inputs: {} } };
      const cache = new ObjectInfoCache(() => {
        fetches++;
        return cold('-i|', { i: objectInfo });
      });
      expectObservable(validateWithServer(cache, unknownClass)).toBe('--#', undefined, new Error('Cannot execute because node NotInstalled does not exist.'));
    });
    expect(fetches).toBe(2);
  });

  it('passes on a failed /object_info fetch; a caller leaving early leaves the shared fetch to finish for the next one', () => {
    ts.run(({ cold, expectObservable, expectSubscriptions }) => {
      const index$ = cold<unknown>('--#');
      expectObservable(validateWithServer(cacheOf(index$), valid)).toBe('--#');
      const slow$ = cold<unknown>('-----i|', { i: objectInfo });
      const cache = cacheOf(slow$);
      expectObservable(validateWithServer(cache, valid), '--!').toBe('--');
      expectObservable(validateWithServer(cache, valid), '        ---------^').toBe('---------(a|)', { a: { status: 200, node_errors: {}, outputs: ['2'], prompt: valid } });
      expectSubscriptions(slow$.subscriptions).toBe('^-----!');
    });
  });
});
