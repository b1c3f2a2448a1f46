import { TestScheduler } from 'rxjs/testing';
import type { JobCancel } from '../transport/http';
import { cancelOnServer } from './cancelOnServer';

const scheduler = () => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

describe('cancelOnServer', () => {
  it('cancels with the jobs route only, when the server answers it', () => {
    const calls: string[] = [];
    scheduler().run(({ cold, expectObservable, flush }) => {
      const http = {
        cancelJob: (id: string) => (calls.push(`cancel ${id}`), cold<JobCancel>('-a|', { a: { kind: 'answered', cancelled: true } })),
        deleteFromQueue: () => (calls.push('delete'), cold<void>('-|')),
        interrupt: () => (calls.push('interrupt'), cold<void>('-|')),
      };
      expectObservable(cancelOnServer(http, 'p1')).toBe('--|');
      flush();
    });
    expect(calls).toEqual(['cancel p1']);
  });

  it('falls back to /queue delete then /interrupt where the route is unsupported', () => {
    const calls: string[] = [];
    scheduler().run(({ cold, expectObservable, flush }) => {
      const http = {
        cancelJob: (id: string) => (calls.push(`cancel ${id}`), cold<JobCancel>('-u|', { u: { kind: 'unsupported' } })),
        deleteFromQueue: (ids: readonly string[]) => (calls.push(`delete ${ids.join()}`), cold<void>('--|')),
        interrupt: (id?: string) => (calls.push(`interrupt ${id}`), cold<void>('-|')),
      };
      expectObservable(cancelOnServer(http, 'p2')).toBe('----|');
      flush();
    });
    expect(calls).toEqual(['cancel p2', 'delete p2', 'interrupt p2']);
  });

  it('uses the 0.8.0 routes when the client has no jobs route at all', () => {
    const calls: string[] = [];
    scheduler().run(({ cold, expectObservable, flush }) => {
      const http = {
        deleteFromQueue: (ids: readonly string[]) => (calls.push(`delete ${ids.join()}`), cold<void>('-|')),
        interrupt: (id?: string) => (calls.push(`interrupt ${id}`), cold<void>('-|')),
      };
      expectObservable(cancelOnServer(http, 'p3')).toBe('--|');
      flush();
    });
    expect(calls).toEqual(['delete p3', 'interrupt p3']);
  });
});
