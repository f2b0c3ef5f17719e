/**
 * Which other files an edit affects through cross-file taint. A tool handler in one file that passes its input to a
 * helper in another makes the helper's finding depend on the handler's file: when the handler stops passing the
 * value (or starts again, or moves), the helper's result is stale although its own text did not change. The
 * language server re-extracts a file's facts on every scan; when they changed, this module tells which files' entry
 * taints (the tool inputs that reach their functions, `WorkspaceFacts.entryTaints`) differ as a result, so the
 * open documents among them can be re-scanned.
 */
import { mergedEntryTaints, type FileFacts } from '../engine/facts';
import { sameFileFacts } from '../workers/protocol';

/**
 * The files whose entry taints differ once `file`'s facts went from `previous` to what `index` now holds; empty when
 * the file's facts did not change. The merge is the one the workers run on a published index (`mergeFacts`), so the
 * answer is exactly "a scan of this file with the new index can differ".
 */
export function dependentsOfChange(
  index: ReadonlyMap<string, FileFacts>,
  file: string,
  previous: FileFacts | undefined,
): Set<string> {
  const changed = new Set<string>();
  if (sameFileFacts(previous, index.get(file))) return changed;
  const before = new Map(index);
  if (previous) before.set(file, previous);
  else before.delete(file);
  // A call only ever reaches another file's function when both files are summarised (`mergeFacts`): with fewer than
  // two summaries on either side there are no entry taints to compare, and the merge would run for nothing.
  if (summarised(before) < 2 && summarised(index) < 2) return changed;
  const was = entryTaintsByFile(before);
  const now = entryTaintsByFile(new Map(index));
  for (const f of new Set([...was.keys(), ...now.keys()])) if (was.get(f) !== now.get(f)) changed.add(f);
  return changed;
}

/** How many files of an index have a module summary (stops counting at two). */
function summarised(index: ReadonlyMap<string, FileFacts>): number {
  let n = 0;
  for (const facts of index.values()) if (facts.summary && ++n > 1) break;
  return n;
}

/** The index the last merge was made for (entries by reference) and its result. */
let last: { index: Map<string, FileFacts>; taints: Map<string, string> } | undefined;

/**
 * Each file's entry taints, serialised so two merges compare by content (hops carry positions, so a moved call
 * counts). The merge of the index as it was before a change is usually the one made after the previous change (the
 * entries are the same objects), so the last result is kept and reused: a change then costs one merge, not two.
 */
function entryTaintsByFile(index: Map<string, FileFacts>): Map<string, string> {
  if (last && sameEntries(last.index, index)) return last.taints;
  const taints = mergedEntryTaints(index);
  const out = new Map([...taints].map(([f, list]) => [f, JSON.stringify(list)]));
  last = { index, taints: out };
  return out;
}

/** True when two indexes hold the same entry objects for the same files. */
function sameEntries(a: ReadonlyMap<string, FileFacts>, b: ReadonlyMap<string, FileFacts>): boolean {
  if (a.size !== b.size) return false;
  for (const [file, facts] of b) if (a.get(file) !== facts) return false;
  return true;
}
