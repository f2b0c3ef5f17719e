/**
 * A batch scan of discovered files in the worker pool, as the CLI runs it: a facts pass over every file that can
 * hold workspace facts, the merged facts published once, then the scan of every file. Most files are parsed once:
 * the facts pass scans them in the same job, knowing only their own facts, and records what the rules read of the
 * cross-file facts (engine/factReads.ts); after the merge that scan stands when the merge left those values as they
 * were. Results come back in the order of the files, whatever order the workers finish in, so the report is the
 * same with any pool size.
 */
import { createHash } from 'node:crypto';
import type { Finding } from '../../shared/types';
import { compareStrings } from '../core/order';
import type { DiscoveredFile } from '../discovery/discover';
import { readDiscovered } from '../discovery/read';
import type { DismissedCandidate, RuleError } from '../engine/engine';
import { readsHold, type FactField, type FactRead } from '../engine/factReads';
import { mayDefineTools, mayHoldFacts, mergeFacts, type CrossFileFacts, type FileFacts } from '../engine/facts';
import { summariesToComplete } from '../engine/partialFacts';
import { deferredFacts, maySkipSummary, withoutDeferred } from '../engine/deferredSummaries';
import type { CheapFileCheck } from './cheapFiles';
import { collectGarbage } from './collectGarbage';
import { StringPool } from './internStrings';
import { mergeInput } from './mergeInput';
import type { PoolOutcome, WorkerPool } from './pool';
import type { FileSlice, GlobalFacts, ProjectSpec, ScanResultMessage } from './protocol';

/** What became of one file of a batch. */
export type FileResult =
  | {
      /** The file was scanned. */
      ok: true;
      /** Findings, suppressed ones marked. */
      findings: Finding[];
      /** Detector errors (the rest of the file was still scanned). */
      errors: RuleError[];
      /** The scanned text, kept only when there are findings (HTML context and pins read it). */
      text?: string;
      /** Findings left out because the file is test, script or build code; absent when none were. */
      hiddenInTests?: number;
      /** Secret candidates the heuristic rules set aside (for `--verbose`); absent when none were. */
      dismissed?: DismissedCandidate[];
      /** Each detector's time in ms by rule id, when the project asked (`ProjectSpec.timeRules`); never cached. */
      ruleMs?: Record<string, number>;
    }
  | {
      /** The file was not scanned. */
      ok: false;
      /** Why: unreadable, over the time budget, or its worker crashed. */
      reason: string;
    };

/** A scanned file's result as a cache keeps it: everything but the text, which the batch has just read anyway. */
export type CachedScan = Omit<Extract<FileResult, { ok: true }>, 'ok' | 'text' | 'ruleMs'>;

/** A worker's scan result: what a cache keeps, plus the rule times that belong to this run only. */
type WorkerScan = CachedScan & { ruleMs?: Record<string, number> };

/**
 * A cache of a batch's per-file work (the CLI's result cache, server/cli/cache.ts). The batch asks it before sending
 * a file to a worker and tells it what the worker found; how entries are keyed is the cache's business. Every
 * method is synchronous and never throws: a cache that fails answers "unknown".
 */
export interface BatchCache {
  /** The workspace facts of a file with this text when known; `null` means the file holds none. */
  facts(f: DiscoveredFile, text: string): FileFacts | null | undefined;
  /** Records the facts a worker extracted from a file (`null`: none). */
  storeFacts(f: DiscoveredFile, text: string, facts: FileFacts | null): void;
  /**
   * Called once, after the facts pass and before any result is looked up, with the per-file facts every file is
   * scanned with: a file's findings depend on them, so they are part of what a result is keyed on.
   */
  useFacts(perFile: Readonly<Record<string, FileFacts>>): void;
  /** The scan result of a file with this text, when known. */
  result(f: DiscoveredFile, text: string): CachedScan | undefined;
  /** Records a file's scan result (only complete ones: no rule errors, not skipped). */
  storeResult(f: DiscoveredFile, text: string, result: CachedScan): void;
}

/** What a batch scan needs. */
export interface BatchRequest {
  /**
   * The pool to scan in, created on first use: a re-scan whose every file comes from the cache starts no worker.
   * The batch does not dispose it; the caller does, when it was created.
   */
  pool: () => WorkerPool;
  /** The pool's size: at most twice as many files are read and in flight at once. */
  concurrency: number;
  /** The result cache, when caching is on. */
  cache?: BatchCache;
  /**
   * The cheap-file check (cheapFiles.ts): files it answers never reach a worker or the cache. With it, the facts pass
   * also leaves out the module summaries the merge does not look up (engine/deferredSummaries.ts): both are the scan's
   * prefilter, which a test turns off to prove that it changes no report.
   */
  cheap?: CheapFileCheck;
  /** The project every file belongs to. */
  project: ProjectSpec;
  /** Per-file time budget in milliseconds. */
  timeoutMs: number;
  /**
   * Every discovered file: the facts pass reads them all, so that a sharded scan knows the tools of the files in
   * the other shards and reports what an unsharded one does.
   */
  factSources: readonly DiscoveredFile[];
  /** The files to scan, in report order. */
  files: readonly DiscoveredFile[];
  /** Called after each scanned file with the number done so far. */
  onProgress?: (done: number, total: number) => void;
  /**
   * Stops the batch: no further file is read or sent to a worker, and the files not yet scanned settle as skipped
   * with the reason "the scan was cancelled" (collected results) or are never delivered (`onResult`). The caller
   * disposes the pool to stop the jobs already running.
   */
  signal?: AbortSignal;
  /**
   * Receives each file's result as soon as it is known (in completion order) instead of the batch collecting them,
   * so `results` comes back empty. A returned promise holds the file's slot until it settles: no further file is
   * read or sent meanwhile, which is how a caller writing results in path order applies back-pressure
   * (`workers/ordered.ts`). It must not reject.
   */
  onResult?: (index: number, result: FileResult) => Promise<void> | undefined;
}

/** A batch's results. */
export interface BatchResult {
  /** One result per file of `files`, in the same order (empty when the request had `onResult`). */
  results: FileResult[];
  /** How long the facts pass took (it scans most files too: the scan pass then reuses those results), in ms. */
  factsMs: number;
  /** Files the cheap-file check answered without a worker. */
  cheap: number;
}

/**
 * Scans `files` in the pool. The facts pass sends each file of `files` that may hold facts as a `first` job (facts
 * and a scan from one parse), except files that may define tools, whose scan reads every tool name of the workspace
 * and so waits for the merge; other shards' files only give their facts. A file over the time budget or whose
 * worker crashed is a result with the reason, and the batch goes on. A file that already failed in the facts pass is not sent again: it would cost a second budget
 * to fail the same way. At most two jobs per worker are in flight, so only that many texts are held at a time.
 */
export async function scanBatch(req: BatchRequest): Promise<BatchResult> {
  const { project, timeoutMs, cache } = req;
  const limit = req.concurrency * 2;
  let pool: WorkerPool | undefined;
  let published: CrossFileFacts | undefined;
  // The pool starts with the first job a cache could not answer, and gets the facts if they are already known.
  const poolNow = (): WorkerPool => {
    if (!pool) {
      pool = req.pool();
      if (published) pool.setMergedFacts(project.root, globalPart(published));
    }
    return pool;
  };
  const job = (f: DiscoveredFile, text: string, mode: 'scan' | 'facts' | 'first' | 'full', factsFromText = false) => {
    const slice = mode === 'scan' && published ? sliceOf(published, f.file) : undefined;
    return poolNow().run({
      key: `${mode}:${f.file}`,
      mode: mode === 'full' ? 'facts' : mode,
      project,
      file: f.file,
      text,
      kind: f.kind,
      epoch: 0,
      timeoutMs,
      ...(factsFromText ? { factsFromText } : {}),
      ...(mode === 'facts' || mode === 'first' ? { partialSummary: true } : {}),
      ...(slice ? { fileFacts: slice } : {}),
    });
  };

  const t0 = performance.now();
  const perFile = new Map<string, FileFacts>();
  // The index holds every summary until the merge: what the merge reads, one copy of each string (mergeInput.ts).
  const strings = new StringPool();
  const failed = new Map<string, string>();
  // A digest of the text each facts job read: when the scan reads the same bytes, the worker takes the file's own
  // facts from the published ones instead of extracting them again (the texts themselves are not kept).
  const digests = new Map<string, string>();
  // The scans made in the facts pass (`first` jobs), with the cross-file facts they read, until the merge says
  // whether they stand.
  const toScan = new Set(req.files.map((f) => f.file));
  const firstScans = new Map<string, { result: WorkerScan; reads: FactRead[] }>();
  await forEachBounded(req.factSources, limit, req.signal, async (f) => {
    const read = readDiscovered(f);
    // The prefilter runs here, so that the many files that cannot define a tool never cross to a worker.
    if (!read.ok || !mayHoldFacts(f.kind, read.text, f.file)) return;
    // A module that registers no handler gets its summary only if the merge looks it up (deferredSummaries.ts); its
    // scan, if it needs one, comes in the scan pass, with no facts of its own to extract.
    if (req.cheap && maySkipSummary(f.kind, read.text, f.file)) {
      perFile.set(f.file, deferredFacts(f.kind as 'js' | 'python'));
      digests.set(f.file, digestOf(read.text));
      return;
    }
    const known = cache?.facts(f, read.text);
    if (known !== undefined) {
      if (known) perFile.set(f.file, mergeInput(known, strings));
      // The cache keys facts by text: the published entry comes from these very bytes.
      digests.set(f.file, digestOf(read.text));
      return;
    }
    // One parse for the facts and the scan, unless the file is another shard's or may define tools: such a file
    // reads every tool name of the workspace (cross-tool shadowing), which the merge nearly always changes, so a
    // first scan would be made for nothing.
    const first = toScan.has(f.file) && !mayDefineTools(f.kind, read.text);
    const outcome = await job(f, read.text, first ? 'first' : 'facts');
    if (outcome.kind !== 'done') failed.set(f.file, reasonOf(outcome));
    else {
      // Cached as the worker sent them: the index keeps less (mergeInput.ts).
      cache?.storeFacts(f, read.text, outcome.result.facts ?? null);
      if (outcome.result.facts) perFile.set(f.file, mergeInput(outcome.result.facts, strings));
      digests.set(f.file, digestOf(read.text));
      if (first) firstScans.set(f.file, { result: scanOf(f, outcome.result), reads: outcome.result.reads ?? [] });
    }
  });
  await completeSummaries(
    perFile,
    req.factSources,
    failed,
    digests,
    (f, text) => job(f, text, 'full'),
    cache,
    strings,
    limit,
    req.signal,
  );
  strings.clear();
  const wholeFields = new Map<FactField, string>();
  withoutDeferred(perFile);
  // The completion's last merge left its work behind: collected first, so that it does not add up with this one's.
  collectGarbage();
  const merged = (published = publishFacts(perFile, cache));
  // The index and the merge's own work are garbage now, and this thread allocates too little in the scan pass for
  // V8 to collect them by itself; the pages they leave sparse are compacted and returned (collectGarbage.ts).
  collectGarbage(true);
  pool?.setMergedFacts(project.root, globalPart(published));
  req.cheap?.useFacts(published);
  const factsMs = performance.now() - t0;

  const results: FileResult[] = req.onResult ? [] : new Array<FileResult>(req.files.length);
  let done = 0;
  let cheap = 0;
  await forEachBounded(req.files, limit, req.signal, async (f, i) => {
    const result = await scanOne(f);
    req.onProgress?.(++done, req.files.length);
    if (req.onResult) await req.onResult(i, result);
    else results[i] = result;
  });
  for (let i = 0; i < results.length; i++) results[i] ??= { ok: false, reason: 'the scan was cancelled' };
  return { results, factsMs, cheap };

  async function scanOne(f: DiscoveredFile): Promise<FileResult> {
    const first = firstScans.get(f.file);
    firstScans.delete(f.file);
    const read = readDiscovered(f);
    if (!read.ok) return { ok: false, reason: read.reason };
    const early = failed.get(f.file);
    if (early !== undefined) return { ok: false, reason: early };
    const known = req.cheap?.answer(f.file, read.text, f.kind);
    if (known) {
      cheap++;
      return known.reason !== undefined ? { ok: false, reason: known.reason } : { ok: true, findings: [], errors: [] };
    }
    const cached = cache?.result(f, read.text);
    if (cached) return { ok: true, ...cached, ...(cached.findings.length ? { text: read.text } : {}) };
    const digest = digests.get(f.file);
    const sameText = digest !== undefined && digest === digestOf(read.text);
    // A file whose text changed after the facts pass read it is scanned as it is now, with the workspace facts of
    // the facts pass (the workers hold the merge only, protocol.ts `FactsMessage.merged`): its findings are not lost,
    // and what other files know of it is what the pass read.
    // The facts pass's scan stands when the text is the same and the merge left every value it read as it was.
    const result =
      first && sameText && readsHold(first.reads, merged, wholeFields)
        ? first.result
        : await scanJob(f, read.text, sameText);
    if (typeof result === 'string') return { ok: false, reason: result };
    // A rule that failed may not fail next time (it may have hit a limit): only complete results are kept.
    if (!result.errors.length) {
      const { ruleMs: _times, ...kept } = result;
      cache?.storeResult(f, read.text, kept);
    }
    return { ok: true, ...result, ...(result.findings.length ? { text: read.text } : {}) };
  }

  /** A scan job with the published facts: its result, or why it has none. */
  async function scanJob(f: DiscoveredFile, text: string, factsFromText: boolean): Promise<WorkerScan | string> {
    const outcome = await job(f, text, 'scan', factsFromText);
    return outcome.kind === 'done' ? scanOf(f, outcome.result) : reasonOf(outcome);
  }
}

/**
 * The merge every file is scanned with, once the per-file facts are complete; empties `perFile`. Facts are keyed in
 * path order, so that what the cache key sees does not depend on the order in which the facts jobs finished. The
 * workers get the merge only: every scan job takes its file's own facts from the published ones (`factsFromText`)
 * or has none, so the per-file entries (module summaries, tens of megabytes on a large tree) are dropped here rather
 * than held by this thread and copied into every worker for the whole scan. (A function of its own, so that no
 * variable of the batch's suspended frame keeps them alive through the scan pass.)
 */
function publishFacts(perFile: Map<string, FileFacts>, cache: BatchCache | undefined): CrossFileFacts {
  const byPath = Object.fromEntries([...perFile].sort(([a], [b]) => compareStrings(a, b)));
  perFile.clear();
  cache?.useFacts(byPath);
  // The merge the completion ended with still holds the deferred placeholders; the scans use this one.
  return mergeFacts(Object.entries(byPath));
}

/**
 * The files whose summaries a merge of `perFile` read but did not hold in full (engine/partialFacts.ts). The facts
 * pass leaves garbage behind, and the merge is this thread's largest allocation: a full collection first keeps the
 * two from adding up.
 */
function filesToComplete(perFile: ReadonlyMap<string, FileFacts>): string[] {
  collectGarbage();
  return summariesToComplete(perFile).files;
}

/** The whole-workspace part of merged facts, which every worker holds (protocol.ts `FactsMessage.merged`). */
function globalPart(merged: CrossFileFacts): GlobalFacts {
  const { toolNames, serverNames } = merged;
  return { ...(toolNames ? { toolNames } : {}), ...(serverNames ? { serverNames } : {}) };
}

/** A file's values of the merged facts' per-file fields, which its scan job carries; undefined when it has none. */
function sliceOf(merged: CrossFileFacts, file: string): FileSlice | undefined {
  const entryTaints = merged.entryTaints?.get(file);
  const toolReach = merged.toolReach?.get(file);
  if (!entryTaints && !toolReach) return undefined;
  return { ...(entryTaints ? { entryTaints } : {}), ...(toolReach ? { toolReach } : {}) };
}

/** A worker's scan result as the batch keeps it. */
function scanOf(f: DiscoveredFile, m: ScanResultMessage): WorkerScan {
  const { findings, errors, hiddenInTests, dismissed, ruleMs } = m;
  return {
    findings,
    errors: errors.map((e) => ({ ruleId: e.ruleId, file: f.file, message: e.message })),
    ...(hiddenInTests ? { hiddenInTests } : {}),
    ...(dismissed ? { dismissed } : {}),
    ...(ruleMs ? { ruleMs } : {}),
  };
}

/**
 * Completes the partial and deferred module summaries of the facts pass that the merge reads (engine/partialFacts.ts): their
 * files are read and summarised in full, and the merge asked again, until it reads only complete summaries. A file
 * whose full extraction fails loses its facts and is listed as failed, as a failed facts job would be. The caller
 * merges the completed facts once more, without the placeholders (`publishFacts`).
 */
async function completeSummaries(
  perFile: Map<string, FileFacts>,
  sources: readonly DiscoveredFile[],
  failed: Map<string, string>,
  digests: Map<string, string>,
  full: (f: DiscoveredFile, text: string) => Promise<PoolOutcome>,
  cache: BatchCache | undefined,
  strings: StringPool,
  limit: number,
  signal: AbortSignal | undefined,
): Promise<void> {
  const byFile = new Map(sources.map((f) => [f.file, f]));
  for (;;) {
    const files = filesToComplete(perFile);
    if (files.length === 0 || signal?.aborted) return;
    await forEachBounded(files, limit, signal, async (file) => {
      const f = byFile.get(file)!;
      const read = readDiscovered(f);
      // A deferred summary was never looked up in the cache: its full facts may be there from an earlier run (the
      // facts pass stores partial ones under the same key for other files, never for this one).
      const known = read.ok ? cache?.facts(f, read.text) : undefined;
      if (read.ok && known !== undefined && !known?.summary?.partial) {
        if (known) perFile.set(file, mergeInput(known, strings));
        else perFile.delete(file);
        digests.set(file, digestOf(read.text));
        return;
      }
      const outcome = read.ok ? await full(f, read.text) : undefined;
      if (!read.ok || outcome?.kind !== 'done') {
        perFile.delete(file);
        digests.delete(file);
        failed.set(file, read.ok ? reasonOf(outcome as Exclude<PoolOutcome, { kind: 'done' }>) : read.reason);
        return;
      }
      const facts = outcome.result.facts;
      cache?.storeFacts(f, read.text, facts ?? null);
      if (facts) perFile.set(file, mergeInput(facts, strings));
      else perFile.delete(file);
      digests.set(file, digestOf(read.text));
    });
  }
}

/** A digest that tells two reads of a file apart. */
function digestOf(text: string): string {
  return createHash('sha1').update(text).digest('base64');
}

function reasonOf(outcome: Exclude<PoolOutcome, { kind: 'done' }>): string {
  // Every job of a batch has its own key, so nothing supersedes it; the case is named for completeness.
  return outcome.kind === 'skipped' ? outcome.reason : 'the scan was superseded';
}

/**
 * Runs `fn` over `items` with at most `limit` calls pending at once, starting none once `signal` is aborted.
 * `fn` must not reject.
 */
async function forEachBounded<T>(
  items: readonly T[],
  limit: number,
  signal: AbortSignal | undefined,
  fn: (item: T, index: number) => Promise<void>,
): Promise<void> {
  const inFlight = new Set<Promise<void>>();
  for (const [i, item] of items.entries()) {
    if (signal?.aborted) break;
    const p: Promise<void> = fn(item, i).finally(() => inFlight.delete(p));
    inFlight.add(p);
    if (inFlight.size >= limit) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
}
