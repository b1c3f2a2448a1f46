import { TestScheduler } from 'rxjs/testing';

/** A TestScheduler that compares with jest's `toEqual` (error notifications compare by message). */
export function newTestScheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}
