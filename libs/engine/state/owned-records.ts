/**
 * A mutable, indexed working copy of one record collection of the instance state: records by id and
 * record ids by owner (the activity instance they belong to). Insertion order is kept, so the state
 * written back lists records in a stable order.
 */
export class OwnedRecords<T extends { readonly id: string }> {
  private readonly byId = new Map<string, T>();
  private readonly byOwner = new Map<string, Set<string>>();

  constructor(
    records: readonly T[],
    private readonly ownerOf: (record: T) => string,
  ) {
    for (const record of records) this.add(record);
  }

  get(id: string): T | undefined {
    return this.byId.get(id);
  }

  /** Adds a record, or replaces the record with the same id (re-indexing it if its owner changed). */
  add(record: T): void {
    const previous = this.byId.get(record.id);
    if (previous !== undefined) this.unindex(previous);
    this.byId.set(record.id, record);
    const owner = this.ownerOf(record);
    let ids = this.byOwner.get(owner);
    if (ids === undefined) {
      ids = new Set();
      this.byOwner.set(owner, ids);
    }
    ids.add(record.id);
  }

  /** Removes a record by id; returns it, or `undefined` if there was none. */
  remove(id: string): T | undefined {
    const record = this.byId.get(id);
    if (record === undefined) return undefined;
    this.byId.delete(id);
    this.unindex(record);
    return record;
  }

  /** The records owned by `owner`, in insertion order (a snapshot: safe to remove while iterating). */
  ownedBy(owner: string): T[] {
    const ids = this.byOwner.get(owner);
    if (ids === undefined) return [];
    const records: T[] = [];
    for (const id of ids) {
      const record = this.byId.get(id);
      if (record !== undefined) records.push(record);
    }
    return records;
  }

  /** Removes and returns every record owned by `owner`. */
  removeOwnedBy(owner: string): T[] {
    const records = this.ownedBy(owner);
    for (const record of records) this.remove(record.id);
    return records;
  }

  values(): IterableIterator<T> {
    return this.byId.values();
  }

  get size(): number {
    return this.byId.size;
  }

  /** The records as a fresh array, for writing the state back. */
  toArray(): T[] {
    return [...this.byId.values()];
  }

  private unindex(record: T): void {
    const owner = this.ownerOf(record);
    const ids = this.byOwner.get(owner);
    if (ids === undefined) return;
    ids.delete(record.id);
    if (ids.size === 0) this.byOwner.delete(owner);
  }
}
