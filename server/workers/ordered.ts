/**
 * Results of a parallel scan come back in the order the workers finish them; reports are written in path order.
 * `InOrder` sits between the two: it passes each result on as soon as every earlier one has been passed on, and
 * holds back the producer (back-pressure) when a result arrives too far ahead of the next one to pass on, so what it
 * holds is bounded by its window, not by the size of the tree. One slow file therefore stalls the scan `window`
 * files later instead of letting every later result pile up in memory.
 */

/** Reorders results given by index into index order, with a bounded window (see the module comment). */
export class InOrder<T> {
  private next = 0;
  private readonly held = new Map<number, T>();
  private readonly waiting: { index: number; resolve: () => void }[] = [];
  private failure: { error: unknown } | undefined;

  /**
   * @param emit receives every result exactly once, in index order from 0; when it throws, nothing more is
   *   emitted, every producer is released and `error` holds what it threw.
   * @param window how far ahead of the next result to emit a result may be before its producer waits (at least 1).
   */
  constructor(
    private readonly emit: (index: number, value: T) => void,
    readonly window: number,
  ) {}

  /**
   * Takes result `index` (each index once). Returns nothing when the producer may go on at once, else a promise
   * that settles when the results before it have been emitted far enough: the producer awaits it before it starts
   * more work. Never rejects.
   */
  put(index: number, value: T): Promise<void> | undefined {
    if (this.failure) return undefined;
    this.held.set(index, value);
    try {
      while (this.held.has(this.next)) {
        const v = this.held.get(this.next) as T;
        this.held.delete(this.next);
        this.emit(this.next++, v);
      }
    } catch (error) {
      this.failure = { error };
      this.held.clear();
    }
    this.release();
    if (this.failure || index < this.next + Math.max(1, this.window)) return undefined;
    return new Promise((resolve) => this.waiting.push({ index, resolve }));
  }

  /** How many results have been emitted. */
  get emitted(): number {
    return this.next;
  }

  /** Results received but not yet emitted (a waiting earlier one holds them back). */
  get heldCount(): number {
    return this.held.size;
  }

  /** What `emit` threw, when it did (the scan must then fail with it). */
  get error(): { error: unknown } | undefined {
    return this.failure;
  }

  private release(): void {
    const window = Math.max(1, this.window);
    for (let i = this.waiting.length - 1; i >= 0; i--) {
      const w = this.waiting[i]!;
      if (this.failure || w.index < this.next + window) {
        this.waiting.splice(i, 1);
        w.resolve();
      }
    }
  }
}
