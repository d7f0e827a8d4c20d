import { installProcessHandlers } from '../src';
import { capturedLogger } from './test-app';

/** The handlers this module added, so the test calls them directly instead of crashing Jest's own process. */
function addedListeners(event: 'unhandledRejection' | 'uncaughtException', before: unknown[]): unknown[] {
  const now: unknown[] = event === 'unhandledRejection' ? process.listeners('unhandledRejection') : process.listeners('uncaughtException');
  return now.filter((listener) => !before.includes(listener));
}

describe('installProcessHandlers', () => {
  it('when a promise rejection goes unhandled, then it is logged as fatal with its stack and the process exits 1', () => {
    const logs = capturedLogger();
    const exits: number[] = [];
    const before = process.listeners('unhandledRejection');
    const uninstall = installProcessHandlers(logs.logger, { exit: (code) => exits.push(code) });
    try {
      const [listener] = addedListeners('unhandledRejection', before);
      expect(listener).toBeDefined();
      (listener as (reason: unknown) => void)(new Error('database unreachable at start-up'));

      expect(exits).toEqual([1]);
      const [line] = logs.lines();
      expect(line).toMatchObject({ level: 'fatal', msg: 'unhandled promise rejection, exiting' });
      expect((line?.err as { message: string; stack: string }).message).toBe('database unreachable at start-up');
      expect((line?.err as { stack: string }).stack).toContain('process-handlers.test');
    } finally {
      uninstall();
    }
  });

  it('when an exception goes uncaught, then it is logged as fatal and the process exits 1', () => {
    const logs = capturedLogger();
    const exits: number[] = [];
    const before = process.listeners('uncaughtException');
    const uninstall = installProcessHandlers(logs.logger, { exit: (code) => exits.push(code) });
    try {
      const [listener] = addedListeners('uncaughtException', before);
      (listener as (error: Error, origin: string) => void)(new Error('boom'), 'uncaughtException');
      expect(exits).toEqual([1]);
      expect(logs.lines()[0]).toMatchObject({ level: 'fatal', origin: 'uncaughtException' });
    } finally {
      uninstall();
    }
  });

  it('when installed twice, then only one pair of handlers exists; uninstall removes them', () => {
    const logs = capturedLogger();
    const before = process.listeners('unhandledRejection').length;
    const uninstall = installProcessHandlers(logs.logger, { exit: () => undefined });
    installProcessHandlers(logs.logger, { exit: () => undefined });
    expect(process.listeners('unhandledRejection').length).toBe(before + 1);
    uninstall();
    expect(process.listeners('unhandledRejection').length).toBe(before);
  });
});
