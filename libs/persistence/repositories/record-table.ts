import type { ProcessInstanceState } from '@libs/engine';
import type { Row } from '../sql';

/**
 * How one kind of record of the engine's instance state maps to its table. Every table carries
 * `process_instance_id`, so the records of many instances load with one query per table.
 */
export interface RecordTable<R extends { readonly id: string }> {
  readonly table: string;
  /**
   * When several record kinds share the table: the condition that tells this kind's rows apart, in SQL
   * (`where`) and, for rows read for several kinds at once, in code (`holds`).
   */
  readonly where?: string;
  holds?(row: Row): boolean;
  /** The order an instance's records are read back in, when it matters (SQL, e.g. `seq`). */
  readonly orderBy?: string;
  /** Columns after `id` and `process_instance_id`, in the order `toRow` returns their values. */
  readonly columns: readonly string[];
  toRow(record: R): readonly unknown[];
  /**
   * Columns written when a record is inserted and never by an update of its instance: other writers
   * change them on the row directly (e.g. a job's suspension and priority), so a save of an instance
   * computed from an older read cannot overwrite them.
   */
  readonly insertOnly?: {
    readonly columns: readonly string[];
    values(record: R): readonly unknown[];
  };
  fromRow(row: Row): R;
  of(state: ProcessInstanceState): readonly R[];
}

/** A record table that shares its table with other kinds: it says which rows are its own. */
export type SharedRecordTable<R extends { readonly id: string }> = RecordTable<R> &
  Required<Pick<RecordTable<R>, 'where' | 'holds'>>;

export const date = (value: unknown): Date => (value instanceof Date ? value : new Date(String(value)));
export const maybeDate = (value: unknown): Date | null =>
  value === null || value === undefined ? null : date(value);
export const text = (value: unknown): string | null =>
  value === null || value === undefined ? null : String(value);
