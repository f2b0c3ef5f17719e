/**
 * Partial module summaries, so that the batch scan's facts pass does not pay for what the merge never reads. A full
 * summary records, for every function of a file, which parameter flows into which call (a taint flow per function,
 * most of the cost of the facts pass on a large tree). The merge (crossFile.ts, toolReach.ts) reads those edges only
 * for the functions that a tool's handler reaches, and starts from the edges of the handlers, which a partial summary
 * keeps. So the facts pass extracts partial summaries, and `summariesToComplete` says which files the merge looked
 * into: the batch extracts their full summaries and asks again, until the merge reads only complete data. The merge
 * is then exactly the one of full summaries, since every lookup it made found what a full summary holds.
 */
import { mergeFacts, type CrossFileFacts, type FileFacts } from './facts';
import { partialReads } from './moduleGraph';

/**
 * The files (in the order of `perFile`) whose partial summary a merge of `perFile` read the function edges of, with
 * the merge itself, which is exact when the list is empty.
 */
export function summariesToComplete(perFile: ReadonlyMap<string, FileFacts>): {
  files: string[];
  merged: CrossFileFacts;
} {
  const { value, asked } = partialReads(() => mergeFacts(perFile));
  const files: string[] = [];
  if (asked.size) for (const [file, facts] of perFile) if (facts.summary && asked.has(facts.summary)) files.push(file);
  return { files, merged: value };
}
