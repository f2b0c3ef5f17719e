/**
 * One copy of each string in the batch scan's per-file facts. The facts pass holds every file's module summary on
 * the front end's thread until the merge, and each summary arrives from a worker as a structured clone, whose
 * strings are fresh copies: the same function, parameter, callee and module names (and, in a tree with vendored or
 * copied packages, whole summaries) are stored once per file. Strings are immutable and compared by value, so
 * replacing each with the first equal one seen changes nothing a reader can tell, and the index shrinks by the
 * duplicates (on the 100k-file benchmark tree, most of its strings).
 */

/** Replaces the strings of received plain data with the first equal string seen by this pool. */
export class StringPool {
  private readonly seen = new Map<string, string>();

  /** Interns every string value inside `value` (plain objects and arrays, walked in place) and returns it. */
  intern<T>(value: T): T {
    this.walk(value);
    return value;
  }

  /** Forgets the strings seen (the interned values stay where they are). */
  clear(): void {
    this.seen.clear();
  }

  /** Distinct strings held. */
  get size(): number {
    return this.seen.size;
  }

  private one(s: string): string {
    const known = this.seen.get(s);
    if (known !== undefined) return known;
    this.seen.set(s, s);
    return s;
  }

  private walk(value: unknown): void {
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const v: unknown = value[i];
        if (typeof v === 'string') value[i] = this.one(v);
        else if (v !== null && typeof v === 'object') this.walk(v);
      }
    } else if (value !== null && typeof value === 'object') {
      const o = value as Record<string, unknown>;
      for (const k of Object.keys(o)) {
        const v = o[k];
        if (typeof v === 'string') o[k] = this.one(v);
        else if (v !== null && typeof v === 'object') this.walk(v);
      }
    }
  }
}
