import type { ProcessInstanceState } from '@libs/engine';
import type { Row } from '../sql';

/**
 * How one kind of record of the engine's instance state maps to its table. Every table carries
 * `process_instance_id`, so the records of many instances load with one query per table.
 */
export interface RecordTable<R extends { readonly id: string }> {
  readonly table: string;
  /** A condition that tells this table's rows apart when several record kinds share the table. */
  readonly where?: string;
  /** Columns after `id` and `process_instance_id`, in the order `toRow` returns their values. */
  readonly columns: readonly string[];
  toRow(record: R): readonly unknown[];
  fromRow(row: Row): R;
  of(state: ProcessInstanceState): readonly R[];
}

export const date = (value: unknown): Date => (value instanceof Date ? value : new Date(String(value)));
export const maybeDate = (value: unknown): Date | null =>
  value === null || value === undefined ? null : date(value);
export const text = (value: unknown): string | null =>
  value === null || value === undefined ? null : String(value);
