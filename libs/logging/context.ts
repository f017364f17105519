import { AsyncLocalStorage } from 'node:async_hooks';

/** Correlation data attached to every log line written while it is active (request id, batch id, job id…). */
export type LogContext = Readonly<Record<string, string | number | undefined>>;

const storage = new AsyncLocalStorage<LogContext>();

/** Runs `fn` with `context` merged over the current one; every log line written inside carries it. */
export function withLogContext<T>(context: LogContext, fn: () => T): T {
  return storage.run({ ...storage.getStore(), ...context }, fn);
}

/** The context active at this point of the async call chain (empty outside any). */
export function currentLogContext(): LogContext {
  return storage.getStore() ?? {};
}
