/**
 * What a scan read of the cross-file facts, so that a scan made before the workspace facts were merged can be kept
 * when the merge does not change anything it read. The batch scan (workers/batch.ts) parses each file once: the
 * worker extracts the file's own facts and scans it in the same job, knowing only its own facts; once every file's
 * facts are merged, only the files whose scan read a value that the merge changed are scanned again. The rules read
 * the cross-file facts through the `ReadonlyMap`/`ReadonlySet` interface only, so wrapping each one and recording
 * the keys looked up (or that it was iterated whole) tells exactly which values a result can depend on.
 */
import type { WorkspaceFacts } from '../core/rule';
import type { CrossFileFacts } from './facts';

/** The cross-file fields of the workspace facts (the project's own, such as pins, are the same in every scan). */
const FIELDS = ['toolNames', 'serverNames', 'entryTaints', 'toolReach'] as const;

/** One cross-file field of the workspace facts. */
export type FactField = (typeof FIELDS)[number];

/** One value a scan read: a key looked up in a field (`key`), or the whole field (no `key`), as JSON. */
export interface FactRead {
  /** The field read. */
  field: FactField;
  /** The key looked up; absent when the field was iterated or measured whole. */
  key?: string;
  /** What the scan saw, as JSON (`null` for a missing key). */
  value: string;
}

/** A map that records the keys looked up in it and whether it was read whole. */
class WatchedMap<V> extends Map<string, V> {
  readonly keysRead = new Set<string>();
  readWhole = false;
  override get(k: string): V | undefined {
    this.keysRead.add(k);
    return super.get(k);
  }
  override has(k: string): boolean {
    this.keysRead.add(k);
    return super.has(k);
  }
  override get size(): number {
    this.readWhole = true;
    return super.size;
  }
  override forEach(fn: (v: V, k: string, m: Map<string, V>) => void, thisArg?: unknown): void {
    this.readWhole = true;
    super.forEach(fn, thisArg);
  }
  override entries(): MapIterator<[string, V]> {
    this.readWhole = true;
    return super.entries();
  }
  override keys(): MapIterator<string> {
    this.readWhole = true;
    return super.keys();
  }
  override values(): MapIterator<V> {
    this.readWhole = true;
    return super.values();
  }
  override [Symbol.iterator](): MapIterator<[string, V]> {
    this.readWhole = true;
    return super.entries();
  }
}

/** A set that records the values looked up in it and whether it was read whole. */
class WatchedSet extends Set<string> {
  readonly keysRead = new Set<string>();
  readWhole = false;
  override has(k: string): boolean {
    this.keysRead.add(k);
    return super.has(k);
  }
  override get size(): number {
    this.readWhole = true;
    return super.size;
  }
  override forEach(fn: (v: string, k: string, s: Set<string>) => void, thisArg?: unknown): void {
    this.readWhole = true;
    super.forEach(fn, thisArg);
  }
  override entries(): SetIterator<[string, string]> {
    this.readWhole = true;
    return super.entries();
  }
  override keys(): SetIterator<string> {
    this.readWhole = true;
    return super.keys();
  }
  override values(): SetIterator<string> {
    this.readWhole = true;
    return super.values();
  }
  override [Symbol.iterator](): SetIterator<string> {
    this.readWhole = true;
    return super.values();
  }
}

/**
 * Wraps cross-file facts so that `reads()` later tells what a scan with them looked at. Every field is present in
 * the wrapped facts, empty when absent: a lookup in a field the merge of one file leaves out must be recorded too,
 * since the workspace's merge may fill it (the readers treat an absent field and an empty one alike).
 */
export function watchFacts(facts: CrossFileFacts): { facts: CrossFileFacts; reads(): FactRead[] } {
  const watched = {
    toolNames: new WatchedMap(facts.toolNames ?? []),
    serverNames: new WatchedSet(facts.serverNames ?? []),
    entryTaints: new WatchedMap(facts.entryTaints ?? []),
    toolReach: new WatchedMap(facts.toolReach ?? []),
  };
  const reads = (): FactRead[] => {
    const out: FactRead[] = [];
    for (const field of FIELDS) {
      const w = watched[field];
      // Read through Map/Set.prototype, so that collecting the reads does not count as one.
      if (w.readWhole) out.push({ field, value: wholeValue(field, w) });
      for (const key of w.keysRead) out.push({ field, key, value: keyValue(field, w, key) });
    }
    return out;
  };
  return { facts: watched, reads };
}

/**
 * True when every value a scan read (`reads`, from `watchFacts`) is the same in `facts`: a scan with `facts` then
 * gives the same result. `cache` keeps the JSON of whole fields between calls with the same facts.
 */
export function readsHold(reads: readonly FactRead[], facts: CrossFileFacts, cache: Map<FactField, string>): boolean {
  for (const r of reads) {
    const field = facts[r.field];
    if (r.key === undefined) {
      let whole = cache.get(r.field);
      if (whole === undefined) cache.set(r.field, (whole = wholeValue(r.field, field)));
      if (whole !== r.value) return false;
    } else if (keyValue(r.field, field, r.key) !== r.value) return false;
  }
  return true;
}

type AnyField = WorkspaceFacts[FactField];

function wholeValue(field: FactField, v: AnyField): string {
  if (!v) return '[]';
  if (field === 'serverNames') return JSON.stringify([...Set.prototype.values.call(v as ReadonlySet<string>)]);
  return JSON.stringify([...Map.prototype.entries.call(v as ReadonlyMap<string, unknown>)]);
}

function keyValue(field: FactField, v: AnyField, key: string): string {
  if (field === 'serverNames') return JSON.stringify(!!v && Set.prototype.has.call(v, key));
  return JSON.stringify((v ? Map.prototype.get.call(v as ReadonlyMap<string, unknown>, key) : undefined) ?? null);
}
