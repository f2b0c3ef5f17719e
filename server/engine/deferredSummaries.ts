/**
 * Module summaries decided on demand. Nearly every JS/TS and Python module imports or exports something, so nearly
 * every one could be a hop of a cross-file flow and the facts pass would parse and summarise all of them (most of
 * a cold scan's time on a library tree). But the merge (crossFile.ts, toolReach.ts) starts from the edges of tool
 * handlers and reads the summary of another file only when a call it follows resolves there. A file that registers
 * no tool, prompt or resource (`mayDefineMcp`: none of the words every MCP registration names) has no handler
 * edge, so until the merge looks it up, its summary cannot change the merge.
 *
 * So the batch scan's facts pass gives such a file a placeholder (`deferredFacts`) instead of a worker job, and the
 * completion loop of partialFacts.ts, which already completes the partial summaries a merge read, completes the
 * placeholders it looked up the same way (moduleGraph.ts counts any lookup of one as a read). A placeholder the
 * merge never looked up is dropped before the facts are published (`withoutDeferred`): the merge is the same with
 * or without it, since its only use would have been the lookup it never made.
 */
import type { FileKind } from '../../shared/types';
import { mayDefineMcp } from '../analysis/mcp/precondition';
import { mayHoldFacts, type FileFacts } from './facts';

/**
 * True when the facts pass may leave a file's summary out until the merge asks: a JS/TS or Python module that can
 * hold facts only through its summary (it mentions no MCP SDK, so it declares no tool or server) and registers no
 * handler.
 */
export function maySkipSummary(kind: FileKind | undefined, text: string, file = ''): boolean {
  return (kind === 'js' || kind === 'python') && !mayDefineMcp(text) && mayHoldFacts(kind, text, file);
}

// The empty lists of every placeholder: a large tree holds tens of thousands of placeholders until the merge, and
// nothing ever adds to a placeholder's lists (its completion replaces the whole entry). Frozen, so that a write
// would fail loudly rather than show up in every other placeholder.
const NONE: never[] = Object.freeze([]) as unknown as never[];

/**
 * The placeholder facts of a file whose summary is deferred (`ModuleSummary.deferred`). Each call returns a summary
 * object of its own, since the merge records which placeholders it looked up by identity (moduleGraph.ts), with
 * lists shared by every placeholder.
 */
export function deferredFacts(kind: 'js' | 'python'): FileFacts {
  return {
    tools: NONE,
    servers: NONE,
    summary: {
      lang: kind,
      imports: NONE,
      exports: NONE,
      functions: NONE,
      classes: NONE,
      calls: NONE,
      maps: NONE,
      instances: NONE,
      partial: true,
      deferred: true,
    },
  };
}

/** True for the placeholder facts of a deferred summary. */
export function isDeferred(facts: FileFacts | undefined): boolean {
  return !!facts?.summary?.deferred;
}

/** Removes the placeholders the merge never looked up, before the facts are published to the workers. */
export function withoutDeferred(perFile: Map<string, FileFacts>): void {
  for (const [file, facts] of perFile) if (isDeferred(facts)) perFile.delete(file);
}
