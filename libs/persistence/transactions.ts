import type { DataSource } from 'typeorm';
import { snapshot, sqlOf, transaction, type Sql } from './sql';

/**
 * How a service runs its statements: in one transaction, in one read snapshot, or one by one. Services
 * receive it by constructor (production: {@link transactionsOf} a data source), so that their unit tests
 * can run them on in-memory repositories, which ignore the `Sql` handle they are given.
 */
export interface Transactions {
  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  run<T>(work: (sql: Sql) => Promise<T>): Promise<T>;
  /** Runs `work`'s reads in one REPEATABLE READ transaction, so they agree with each other (see `snapshot`). */
  snapshot<T>(work: (sql: Sql) => Promise<T>): Promise<T>;
  /** A handle outside any transaction: each statement commits on its own. */
  plain(): Sql;
}

/** The transactions of a TypeORM data source. */
export function transactionsOf(dataSource: DataSource): Transactions {
  return {
    run: (work) => transaction(dataSource, work),
    snapshot: (work) => snapshot(dataSource, work),
    plain: () => sqlOf(dataSource),
  };
}
