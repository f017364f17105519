import { OptimisticLockingException } from '@libs/engine';
import { isTransientSqlError, retryReason, withRetry } from './retry';

const deadlock = () => Object.assign(new Error('Deadlock found'), { code: 'ER_LOCK_DEADLOCK' });

describe('transaction retries', () => {
  it('say why they happen: the driver code (also when TypeORM wraps it) or the engine error type', () => {
    expect(retryReason(deadlock())).toBe('ER_LOCK_DEADLOCK');
    expect(retryReason({ driverError: { code: 'ER_LOCK_WAIT_TIMEOUT' } })).toBe('ER_LOCK_WAIT_TIMEOUT');
    expect(retryReason(new OptimisticLockingException('changed meanwhile'))).toBe(
      'OptimisticLockingException',
    );
  });

  it('count deadlocks and lock waits as transient, nothing else', () => {
    expect(isTransientSqlError(deadlock())).toBe(true);
    expect(isTransientSqlError({ driverError: { code: 'ER_LOCK_WAIT_TIMEOUT' } })).toBe(true);
    expect(isTransientSqlError(Object.assign(new Error('gone'), { code: 'ER_NO_SUCH_TABLE' }))).toBe(false);
  });

  it('re-run a transaction after a deadlock and give up on other errors', async () => {
    let runs = 0;
    await expect(
      withRetry(async () => {
        runs += 1;
        if (runs < 3) throw deadlock();
        return 'done';
      }),
    ).resolves.toBe('done');
    expect(runs).toBe(3);
    await expect(
      withRetry(async () => {
        throw new Error('not transient');
      }),
    ).rejects.toThrow('not transient');
  });
});
