import type { DataSource, EntityManager } from 'typeorm';

/** Row type of a query: a plain object of column values. */
export type Row = Record<string, unknown>;

/**
 * The small SQL surface the repositories use: parameterised queries on one connection (inside a
 * transaction when obtained from `transaction`). Repositories speak SQL directly so that loading and
 * saving many rows stays a handful of set-based statements.
 */
export interface Sql {
  /** Runs a SELECT and returns its rows. */
  select<T extends Row = Row>(statement: string, params?: readonly unknown[]): Promise<T[]>;
  /** Runs an INSERT/UPDATE/DELETE and returns how many rows it affected. */
  execute(statement: string, params?: readonly unknown[]): Promise<number>;
}

/** MySQL allows 65,535 placeholders per statement; stay well below. */
const MAX_PARAMS = 30_000;

class ManagerSql implements Sql {
  constructor(private readonly manager: EntityManager) {}

  async select<T extends Row = Row>(statement: string, params: readonly unknown[] = []): Promise<T[]> {
    return (await this.manager.query(statement, [...params])) as T[];
  }

  async execute(statement: string, params: readonly unknown[] = []): Promise<number> {
    const result = (await this.manager.query(statement, [...params])) as { affectedRows?: number };
    return result.affectedRows ?? 0;
  }
}

/** SQL outside a transaction (each statement commits on its own). */
export function sqlOf(dataSource: DataSource): Sql {
  return new ManagerSql(dataSource.manager);
}

/** SQL on a given entity manager (e.g. a migration's query runner's, inside its transaction). */
export function sqlOfManager(manager: EntityManager): Sql {
  return new ManagerSql(manager);
}

/** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
export function transaction<T>(dataSource: DataSource, work: (sql: Sql) => Promise<T>): Promise<T> {
  return dataSource.transaction((manager) => work(new ManagerSql(manager)));
}

/**
 * Runs `work`'s reads in one REPEATABLE READ transaction, so that they all see the snapshot taken at its
 * first read, whatever isolation other transactions use: a result assembled from several reads agrees
 * with itself.
 */
export function snapshot<T>(dataSource: DataSource, work: (sql: Sql) => Promise<T>): Promise<T> {
  return dataSource.transaction('REPEATABLE READ', (manager) => work(new ManagerSql(manager)));
}

/**
 * Inserts rows with multi-row `INSERT … VALUES (…),(…)` statements, as few as the placeholder limit
 * allows. `columns` fixes the order; every row must have a value (possibly null) for each column.
 */
export async function insertRows(
  sql: Sql,
  table: string,
  columns: readonly string[],
  rows: ReadonlyArray<readonly unknown[]>,
  suffix = '',
): Promise<void> {
  const perStatement = Math.max(1, Math.floor(MAX_PARAMS / columns.length));
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  for (let start = 0; start < rows.length; start += perStatement) {
    const chunk = rows.slice(start, start + perStatement);
    await sql.execute(
      `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${chunk.map(() => tuple).join(', ')}${suffix}`,
      chunk.flat(),
    );
  }
}

/**
 * Updates many rows by key: each row of `rows` holds the key, one value per column of `columns`
 * (assigned), then one per column of `options.match` (which must equal the row's current value, e.g. an
 * expected revision); `options.increment` names a column to add one to. Returns how many rows matched.
 * Rows that share all their values (a migration moves a thousand instances to the same definition) are
 * updated together by `UPDATE … SET c = ? … WHERE key IN (…)`, as cheap per row as a bulk update; the
 * rest by one `UPDATE t JOIN (SELECT ? AS key, … UNION ALL …) v` per chunk, which, unlike
 * `CASE key WHEN …`, costs the same per row whatever the number of rows.
 */
export async function updateRows(
  sql: Sql,
  table: string,
  key: string,
  columns: readonly string[],
  rows: ReadonlyArray<readonly unknown[]>,
  options: UpdateOptions = {},
): Promise<number> {
  const groups = new Map<string, Array<readonly unknown[]>>();
  for (const row of rows) {
    const values = JSON.stringify(row.slice(1));
    const group = groups.get(values);
    if (group) group.push(row);
    else groups.set(values, [row]);
  }
  let matched = 0;
  const singles: Array<readonly unknown[]> = [];
  for (const group of groups.values()) {
    if (group.length === 1) singles.push(group[0]!);
    else matched += await updateSharedValues(sql, table, key, columns, group, options);
  }
  return matched + (await updateByJoin(sql, table, key, columns, singles, options));
}

interface UpdateOptions {
  /** Columns whose current value must equal the row's (given after the assigned values). */
  readonly match?: readonly string[];
  /** A column to add one to (a revision). */
  readonly increment?: string;
}

/** Rows with the same values: `UPDATE t SET c = ?, … WHERE key IN (…) AND m = ?` per chunk. */
async function updateSharedValues(
  sql: Sql,
  table: string,
  key: string,
  columns: readonly string[],
  rows: ReadonlyArray<readonly unknown[]>,
  options: UpdateOptions,
): Promise<number> {
  const match = options.match ?? [];
  const values = rows[0]!.slice(1);
  const sets = [
    ...columns.map((column) => `${column} = ?`),
    ...(options.increment ? [`${options.increment} = ${options.increment} + 1`] : []),
  ];
  const conditions = match.map((column) => `${column} = ?`);
  let matched = 0;
  for (let start = 0; start < rows.length; start += MAX_PARAMS) {
    const keys = rows.slice(start, start + MAX_PARAMS).map((row) => row[0]);
    matched += await sql.execute(
      `UPDATE ${table} SET ${sets.join(', ')} WHERE ${[`${key} IN (${placeholders(keys.length)})`, ...conditions].join(' AND ')}`,
      [...values.slice(0, columns.length), ...keys, ...values.slice(columns.length)],
    );
  }
  return matched;
}

/** Rows with their own values: `UPDATE t JOIN (SELECT ? AS key, … UNION ALL …) v` per chunk. */
async function updateByJoin(
  sql: Sql,
  table: string,
  key: string,
  columns: readonly string[],
  rows: ReadonlyArray<readonly unknown[]>,
  options: UpdateOptions,
): Promise<number> {
  const match = options.match ?? [];
  const names = [key, ...columns, ...match];
  const perStatement = Math.max(1, Math.floor(MAX_PARAMS / names.length));
  const first = `SELECT ${names.map((name) => `? AS ${name}`).join(', ')}`;
  const next = `SELECT ${names.map(() => '?').join(', ')}`;
  const sets = [
    ...columns.map((column) => `t.${column} = v.${column}`),
    ...(options.increment ? [`t.${options.increment} = t.${options.increment} + 1`] : []),
  ];
  const where =
    match.length > 0 ? ` WHERE ${match.map((column) => `t.${column} = v.${column}`).join(' AND ')}` : '';
  let matched = 0;
  for (let start = 0; start < rows.length; start += perStatement) {
    const chunk = rows.slice(start, start + perStatement);
    const values = [first, ...chunk.slice(1).map(() => next)].join(' UNION ALL ');
    matched += await sql.execute(
      `UPDATE ${table} t JOIN (${values}) v ON t.${key} = v.${key} SET ${sets.join(', ')}${where}`,
      chunk.flat(),
    );
  }
  return matched;
}

/**
 * Runs `select` over `values` a chunk (10,000) at a time and concatenates the rows, so an `IN` list of
 * any length stays below the placeholder limit.
 */
export async function selectInChunks<V, T>(
  values: readonly V[],
  select: (chunk: readonly V[]) => Promise<readonly T[]>,
): Promise<T[]> {
  const rows: T[] = [];
  for (let start = 0; start < values.length; start += 10_000) {
    rows.push(...(await select(values.slice(start, start + 10_000))));
  }
  return rows;
}

/** `?, ?, ?` for an IN list of `count` values (at least one, so `IN ()` never happens). */
export function placeholders(count: number): string {
  return Array.from({ length: Math.max(count, 1) }, () => '?').join(', ');
}

/** Paging of a list query: `offset` rows skipped, at most `limit` returned (`null`: all). */
export interface Page {
  readonly offset: number;
  readonly limit: number | null;
}

/** One ORDER BY criterion of a list query, by a whitelisted key. */
export interface Sorting<K extends string> {
  readonly by: K;
  readonly order: 'asc' | 'desc';
}

/** `ORDER BY … LIMIT … OFFSET …` for a list query, mapping sort keys to columns through `columns`. */
export function orderAndPage<K extends string>(
  sortings: ReadonlyArray<Sorting<K>>,
  columns: Readonly<Record<K, string>>,
  fallback: string,
  page: Page | undefined,
): string {
  const order = sortings.map(
    (sorting) => `${columns[sorting.by]} ${sorting.order === 'desc' ? 'DESC' : 'ASC'}`,
  );
  const orderBy = ` ORDER BY ${[...order, fallback].join(', ')}`;
  if (!page || (page.limit === null && page.offset === 0)) return orderBy;
  // MySQL needs a LIMIT to use OFFSET; its documented "all rows" value is the largest BIGINT.
  return `${orderBy} LIMIT ${page.limit ?? '18446744073709551615'} OFFSET ${page.offset}`;
}

/** Collects `WHERE` conditions and their parameters for list/count queries built from optional filters. */
export class Conditions {
  private readonly clauses: string[] = [];
  readonly params: unknown[] = [];

  add(clause: string, ...params: unknown[]): this {
    this.clauses.push(clause);
    this.params.push(...params);
    return this;
  }

  /** Adds `clause` only when `value` is defined. */
  when<V>(value: V | undefined, clause: string, param: (value: V) => unknown = (v) => v): this {
    return value === undefined ? this : this.add(clause, param(value));
  }

  /** Adds `column IN (…)` only when `values` is defined; an empty list matches nothing. */
  whenIn(values: readonly unknown[] | undefined, column: string): this {
    if (values === undefined) return this;
    return values.length === 0
      ? this.add('1 = 0')
      : this.add(`${column} IN (${placeholders(values.length)})`, ...values);
  }

  toString(): string {
    return this.clauses.length === 0 ? '' : ` WHERE ${this.clauses.join(' AND ')}`;
  }
}
