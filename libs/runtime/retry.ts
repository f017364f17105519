import type { DataSource } from 'typeorm';
import { transaction, type Sql } from '@libs/persistence';
/** MySQL errors that mean "try the transaction again": deadlock, lock wait timeout, duplicate key race. */
const TRANSIENT = new Set(['ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT', 'ER_DUP_ENTRY']);

/** The driver's error code of an error, or of the driver error TypeORM wraps. */
function sqlCode(error: unknown): string | undefined {
  const code =
    (error as { driverError?: { code?: unknown } } | null)?.driverError?.code ??
    (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

export function isTransientSqlError(error: unknown): boolean {
  const code = sqlCode(error);
  return code !== undefined && TRANSIENT.has(code);
}

/** A re-run about to happen: which attempt it will be, of how many, and why (an error code or type). */
export interface TransactionRetry {
  readonly attempt: number;
  readonly attempts: number;
  readonly reason: string;
}

export type RetryObserver = (retry: TransactionRetry) => void;

/** Why a transaction is re-run: the driver's error code (`ER_LOCK_DEADLOCK`…) or the engine error's type. */
export function retryReason(error: unknown): string {
  const type = (error as { type?: unknown } | null)?.type;
  return sqlCode(error) ?? (typeof type === 'string' ? type : 'unknown');
}

/** Runs a whole transaction again (up to `attempts` times, with a short jittered pause) after a transient error. */
export async function withRetry<T>(work: () => Promise<T>, attempts = 4): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= attempts || !isTransientSqlError(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10 * attempt + Math.random() * 20));
    }
  }
}

/** Runs `work` in one transaction, re-run as a whole after a transient error (see `withRetry`). */
export function retriedTransaction<T>(dataSource: DataSource, work: (sql: Sql) => Promise<T>): Promise<T> {
  return withRetry(() => transaction(dataSource, work));
}
