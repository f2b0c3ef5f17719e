/**
 * The per-file facts as the batch scan's front-end thread holds them until the merge. The facts pass keeps every
 * file's facts in one index on that thread until the last file is in, and the merge (engine/facts.ts `mergeFacts`,
 * which the index feeds and nothing else reads) is the peak of a large scan's memory. So the index keeps what the
 * merge reads, in one copy:
 * - every string once (internStrings.ts);
 * - of each function of a module summary, its id and line, without its parameter names: the cross-file merge
 *   (crossFile.ts, toolReach.ts, moduleGraph.ts) finds functions by id and never reads a parameter's name (argument
 *   flows name parameters by position). Measured on the 20,000-file bench tree, the parameter name lists were 4.7 MB
 *   of the 10 MB index, which grows with the tree.
 * The merge of such facts is the merge of the facts the workers sent, and the workers, which scan with the merge's
 * result, never see the index.
 */
import type { FunctionSummary } from '../analysis/summary/types';
import type { FileFacts } from '../engine/facts';
import type { StringPool } from './internStrings';

// The parameter list of every function in the index: nothing adds to it (frozen, so that a write would fail loudly
// rather than show up in every function).
const NO_PARAMS: string[] = Object.freeze([]) as unknown as string[];

/**
 * `facts` (received from a worker or the cache, and the caller's to change) made into an entry of the index: its
 * functions' parameter names dropped, then its strings interned in `strings`. Returns the same object.
 */
export function mergeInput(facts: FileFacts, strings: StringPool): FileFacts {
  const summary = facts.summary;
  if (summary && summary.functions.length)
    summary.functions = summary.functions.map((f): FunctionSummary => ({ id: f.id, params: NO_PARAMS, line: f.line }));
  return strings.intern(facts);
}
