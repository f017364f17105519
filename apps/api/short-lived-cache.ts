import { performance } from 'node:perf_hooks';

interface Entry {
  readonly at: number;
  readonly value: Promise<unknown>;
  settled: boolean;
}

/**
 * Answers shared for `ttlMs` by the requests of one process, so that many clients polling the same
 * read cost one load per period, not one each. A key has at most one load at a time and its next
 * load starts only after the previous one settled, so within this process an answer never goes back
 * in time. Failed loads are not kept. At most `capacity` keys are kept (the least recently loaded go).
 */
export class ShortLivedCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly ttlMs: number,
    private readonly capacity = 1_000,
    private readonly now: () => number = () => performance.now(),
  ) {}

  get<T>(key: string, load: () => Promise<T>): Promise<T> {
    const cached = this.entries.get(key);
    if (cached && (!cached.settled || this.now() - cached.at < this.ttlMs)) return cached.value as Promise<T>;
    // Fresh from when the load starts: what it reads is at least that new.
    const entry: Entry = { at: this.now(), value: load(), settled: false };
    this.entries.delete(key);
    this.entries.set(key, entry);
    entry.value.then(
      () => (entry.settled = true),
      () => {
        if (this.entries.get(key) === entry) this.entries.delete(key);
      },
    );
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.capacity) break;
      this.entries.delete(oldest);
    }
    return entry.value as Promise<T>;
  }

  /** Forgets every answer (after a change made through this process, so its caller sees it at once). */
  clear(): void {
    this.entries.clear();
  }
}
