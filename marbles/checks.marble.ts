import pino from 'pino';
import { type Observable, defer } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { type Check, type CheckFinding, checkTriggers, runChecks } from '../src/prompt/checks';
import { reconnectingSignals } from '../src/prompt/connectionSignals';
import type { ReconcileVerdict } from '../src/prompt/reconcile';
import type { ConnectionEvent } from '../src/transport/socketHub';
import { open } from './helpers/promptDeps';
import { newTestScheduler } from './helpers/testScheduler';

const log = () => pino({ level: 'silent' });
const checks: Record<string, Check> = { s: { reason: 'stall', silentMs: 5 }, t: { reason: 'stall', silentMs: 10 }, r: { reason: 'reconnect' } };
const verdicts: Record<string, ReconcileVerdict> = { p: { kind: 'pending', ahead: 1 }, g: { kind: 'running' } };
const findings: Record<string, CheckFinding> = {
  s: { type: 'check', check: checks.s! },
  t: { type: 'check', check: checks.t! },
  r: { type: 'check', check: checks.r! },
  p: { type: 'verdict', verdict: verdicts.p! },
  g: { type: 'verdict', verdict: verdicts.g! },
};

describe('checkTriggers', () => {
  let ts: TestScheduler;
  beforeEach(() => (ts = newTestScheduler()));

  it('a stall check per period of silence (restarted by each message) and a reconnect check per reopening', () => {
    ts.run(({ hot, expectObservable }) => {
      const inbox = hot('--m-----------');
      const connection = hot<ConnectionEvent>('-----x----O---', { x: { kind: 'reconnecting', attempt: 1, delayMs: 1, error: 'down' }, O: open(2) });
      expectObservable(checkTriggers(inbox, connection, 5, ts), '^ 13ms !').toBe('-------s--r-t-', checks);
    });
  });
});

describe('runChecks', () => {
  let ts: TestScheduler;
  beforeEach(() => (ts = newTestScheduler()));

  it('emits each check at once, then its verdict; checks that come while one runs are dropped', () => {
    ts.run(({ hot, cold, expectObservable, expectSubscriptions }) => {
      const reconcile = cold('---(p|)', verdicts);
      const triggers = hot('s-r-----t---|', checks);
      expectObservable(triggers.pipe(runChecks(() => reconcile, log))).toBe('s--p----t--p|', findings);
      expectSubscriptions(reconcile.subscriptions).toBe(['^--!', '--------^--!']);
    });
  });

  it('asks the reconciliation source it was given', () => {
    ts.run(({ hot, cold, expectObservable }) => {
      let asked = 0;
      const reconcile = (): Observable<ReconcileVerdict> => defer(() => (++asked === 1 ? cold('(p|)', verdicts) : cold('(g|)', verdicts)));
      expectObservable(hot('s----r---|', checks).pipe(runChecks(reconcile, log))).toBe('(sp)-(rg)|', findings);
    });
  });

  it('a failed reconciliation is dropped (no verdict) and the next check runs', () => {
    ts.run(({ hot, cold, expectObservable }) => {
      let asked = 0;
      const reconcile = () => defer(() => (++asked === 1 ? cold<ReconcileVerdict>('-#', undefined, new Error('queue unreachable')) : cold('-(g|)', verdicts)));
      expectObservable(hot('s--r---|', checks).pipe(runChecks(reconcile, log))).toBe('s--rg--|', findings);
    });
  });
});

describe('reconnectingSignals', () => {
  it('one `reconnecting` per wait of the socket, nothing for openings', () => {
    const ts = newTestScheduler();
    ts.run(({ cold, expectObservable }) => {
      const connection = cold<ConnectionEvent>('o-x-O', { o: open(1), x: { kind: 'reconnecting', attempt: 2, delayMs: 40, error: 'down' }, O: open(2) });
      expectObservable(reconnectingSignals(connection)).toBe('--x--', { x: { type: 'reconnecting', attempt: 2, delayMs: 40 } });
    });
  });
});
