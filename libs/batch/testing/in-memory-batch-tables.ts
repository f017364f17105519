import type {
  BatchItemState,
  BatchJobRecord,
  BatchRecord,
  HistoricBatchRecord,
  ProcessInstanceQuery,
} from '@libs/persistence';

/** An item row (`batch_item`): ids grow across all batches, as an auto-increment key does. */
export interface ItemRow {
  readonly id: number;
  readonly batchId: string;
  readonly subjectId: string;
  /** As stored: an item done by a job that never failed stays `pending`; a done range covers it. */
  readonly state: BatchItemState;
  readonly error: string | null;
  readonly updated: Date | null;
}

/** A done range (`batch_item_range`): the items of a job that succeeded on its first run. */
export interface DoneRange {
  readonly batchId: string;
  readonly itemFirst: number;
  readonly itemLast: number;
  readonly items: number;
  readonly updated: Date;
}

/** An execution-job row (`ru_job` with a batch). */
export interface JobRow extends BatchJobRecord {
  readonly dispatch: number;
  readonly created: Date;
}

/** A process instance as a query selection sees it: its id, its `seq` and its definition. */
export interface SelectableInstance {
  readonly id: string;
  readonly seq: number;
  readonly processDefinitionId: string;
}

/**
 * The rows the in-memory batch stores share: what MySQL holds for batches, in plain maps and arrays.
 * Rows are immutable values, replaced on change, so {@link copy} is a cheap snapshot for rollback.
 */
export class InMemoryBatchTables {
  batches = new Map<string, BatchRecord>();
  history = new Map<string, HistoricBatchRecord>();
  items: ItemRow[] = [];
  ranges: DoneRange[] = [];
  jobs = new Map<string, JobRow>();
  /** The process instances a query selection chooses from (add them in `seq` order). */
  instances: SelectableInstance[] = [];
  private nextItemId = 1;

  newItemId(): number {
    return this.nextItemId++;
  }

  /** The current rows, to put back with {@link restore} when a transaction rolls back. */
  copy(): InMemoryBatchTables {
    const copy = new InMemoryBatchTables();
    copy.restore(this);
    return copy;
  }

  restore(from: InMemoryBatchTables): void {
    this.batches = new Map(from.batches);
    this.history = new Map(from.history);
    this.items = [...from.items];
    this.ranges = [...from.ranges];
    this.jobs = new Map(from.jobs);
    this.instances = [...from.instances];
    this.nextItemId = from.nextItemId;
  }

  itemsOf(batchId: string): ItemRow[] {
    return this.items.filter((item) => item.batchId === batchId);
  }

  updateItem(id: number, change: Partial<ItemRow>): void {
    this.items = this.items.map((item) => (item.id === id ? { ...item, ...change } : item));
  }

  jobsOfDefinition(jobDefinitionId: string): JobRow[] {
    return [...this.jobs.values()].filter((job) => job.jobDefinitionId === jobDefinitionId);
  }

  /** Instances a query selects: only the filters the batch tests use are modelled; others throw. */
  selected(query: ProcessInstanceQuery): SelectableInstance[] {
    const { processDefinitionId, processInstanceIds, ...rest } = query;
    const unmodelled = Object.entries(rest).filter(([, value]) => value !== undefined);
    if (unmodelled.length > 0)
      throw new Error(`in-memory selection does not model ${unmodelled.map(([key]) => key).join(', ')}`);
    return this.instances.filter(
      (instance) =>
        (processDefinitionId === undefined || instance.processDefinitionId === processDefinitionId) &&
        (processInstanceIds === undefined || processInstanceIds.includes(instance.id)),
    );
  }
}
