/**
 * A batch scan of discovered files in the worker pool, as the CLI runs it: a first pass that extracts every file's
 * facts and scans it from the same parse, the merged facts published once, then a second scan of the files whose
 * result the merge can change. Results come back in the order of the files, whatever order the workers finish in,
 * so the report is the same with any pool size.
 */
import { createHash } from 'node:crypto';
import type { Finding } from '../../shared/types';
import type { DiscoveredFile } from '../discovery/discover';
import { readDiscovered } from '../discovery/read';
import type { DismissedCandidate, RuleError } from '../engine/engine';
import { readsHold, type FactField, type FactRead } from '../engine/factReads';
import { mayDefineTools, mayHoldFacts, mergeFacts, type FileFacts } from '../engine/facts';
import type { PoolOutcome, WorkerPool } from './pool';
import type { ProjectSpec } from './protocol';

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
    }
  | {
      /** The file was not scanned. */
      ok: false;
      /** Why: unreadable, over the time budget, or its worker crashed. */
      reason: string;
    };

/** What a batch scan needs. */
export interface BatchRequest {
  /** The pool to scan in. */
  pool: WorkerPool;
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
}

/** A batch's results. */
export interface BatchResult {
  /** One result per file of `files`, in the same order. */
  results: FileResult[];
  /** How long the first pass (facts, and the scans that do not depend on other files) and the merge took, in ms. */
  factsMs: number;
}

/**
 * Scans `files` in the pool, parsing each file once where the cross-file facts allow it. The first pass sends every
 * file to be scanned as a `first` job: the worker extracts the file's own facts and scans it from the same parse,
 * knowing only its own facts, and reports which cross-file facts the rules read (engine/factReads.ts). Files of
 * other shards, and files that may define tools (whose scan reads every tool name of the workspace, which the merge
 * nearly always changes), only have their facts extracted in this pass. The facts are then merged and published, and the second pass scans
 * again only the files where the merge changed a value their scan read (a helper that a tool of another file
 * reaches, a description that names another file's tool), with the published facts. A file over the time budget or
 * whose worker crashed is a result with the reason, and the batch goes on; a file that failed in the first pass is
 * not sent again (it would cost a second budget to fail the same way). At most two jobs per worker are in flight,
 * so only that many texts are held at a time.
 */
export async function scanBatch(req: BatchRequest): Promise<BatchResult> {
  const { pool, project, timeoutMs } = req;
  const limit = pool.size * 2;
  const job = (f: DiscoveredFile, text: string, mode: 'scan' | 'facts' | 'first', factsFromText = false) =>
    pool.run({
      key: `${mode}:${f.file}`,
      mode,
      project,
      file: f.file,
      text,
      kind: f.kind,
      epoch: 0,
      timeoutMs,
      ...(factsFromText ? { factsFromText } : {}),
    });

  const t0 = performance.now();
  const index = new Map(req.files.map((f, i) => [f.file, i]));
  const results: FileResult[] = new Array<FileResult>(req.files.length);
  const reads: (FactRead[] | undefined)[] = new Array<FactRead[] | undefined>(req.files.length);
  const perFile = new Map<string, FileFacts>();
  const failed = new Map<string, string>();
  // A digest of the text each first-pass job read: when the second pass reads the same bytes, the worker takes the
  // file's own facts from the published ones instead of extracting them again (the texts themselves are not kept).
  const digests = new Map<string, string>();
  let done = 0;
  await forEachBounded(req.factSources, limit, async (f) => {
    const i = index.get(f.file);
    const read = readDiscovered(f);
    if (i === undefined) {
      // Another shard's file: only its facts. The prefilter runs here, so that the many files that cannot define a
      // tool never cross to a worker.
      if (!read.ok || !mayHoldFacts(f.kind, read.text, f.file)) return;
      const outcome = await job(f, read.text, 'facts');
      if (outcome.kind !== 'done') failed.set(f.file, reasonOf(outcome));
      else if (outcome.result.facts) perFile.set(f.file, outcome.result.facts);
      return;
    }
    if (!read.ok) results[i] = { ok: false, reason: read.reason };
    else if (mayDefineTools(f.kind, read.text)) {
      // A file that may define tools reads every tool name of the workspace, which the merge nearly always
      // changes: a first scan would be made for nothing, so it only gives its facts now and is scanned after the
      // merge (taking its own facts from the published ones).
      const outcome = await job(f, read.text, 'facts');
      if (outcome.kind !== 'done') results[i] = resultOf(f, read.text, outcome);
      else {
        if (outcome.result.facts) perFile.set(f.file, outcome.result.facts);
        digests.set(f.file, digestOf(read.text));
        return;
      }
    } else {
      const outcome = await job(f, read.text, 'first');
      if (outcome.kind === 'done') {
        if (outcome.result.facts) perFile.set(f.file, outcome.result.facts);
        reads[i] = outcome.result.reads ?? [];
        digests.set(f.file, digestOf(read.text));
      }
      results[i] = resultOf(f, read.text, outcome);
    }
    // A file whose first scan stands is done now; the others count when the second pass has scanned them.
    if (!results[i]!.ok || !reads[i]?.length) req.onProgress?.(++done, req.files.length);
  });
  pool.setFacts(project.root, Object.fromEntries(perFile));
  const merged = mergeFacts(perFile);
  const factsMs = performance.now() - t0;

  const whole = new Map<FactField, string>();
  await forEachBounded(req.files, limit, async (f, i) => {
    const seen = reads[i];
    if (results[i] === undefined) results[i] = await scanAgain(f);
    else if (!results[i].ok || !seen?.length) return;
    else if (!readsHold(seen, merged, whole)) results[i] = await scanAgain(f);
    req.onProgress?.(++done, req.files.length);
  });
  return { results, factsMs };

  async function scanAgain(f: DiscoveredFile): Promise<FileResult> {
    const read = readDiscovered(f);
    if (!read.ok) return { ok: false, reason: read.reason };
    const digest = digests.get(f.file);
    return resultOf(f, read.text, await job(f, read.text, 'scan', digest === digestOf(read.text)));
  }
}

/** The result of one file's scan job. */
function resultOf(f: DiscoveredFile, text: string, outcome: PoolOutcome): FileResult {
  if (outcome.kind !== 'done') return { ok: false, reason: reasonOf(outcome) };
  const { findings, errors, hiddenInTests, dismissed } = outcome.result;
  return {
    ok: true,
    findings,
    errors: errors.map((e) => ({ ruleId: e.ruleId, file: f.file, message: e.message })),
    ...(findings.length ? { text } : {}),
    ...(hiddenInTests ? { hiddenInTests } : {}),
    ...(dismissed ? { dismissed } : {}),
  };
}

/** A digest that tells two reads of a file apart. */
function digestOf(text: string): string {
  return createHash('sha1').update(text).digest('base64');
}

function reasonOf(outcome: Exclude<PoolOutcome, { kind: 'done' }>): string {
  // Every job of a batch has its own key, so nothing supersedes it; the case is named for completeness.
  return outcome.kind === 'skipped' ? outcome.reason : 'the scan was superseded';
}

/** Runs `fn` over `items` with at most `limit` calls pending at once. `fn` must not reject. */
async function forEachBounded<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<void>,
): Promise<void> {
  const inFlight = new Set<Promise<void>>();
  for (const [i, item] of items.entries()) {
    const p: Promise<void> = fn(item, i).finally(() => inFlight.delete(p));
    inFlight.add(p);
    if (inFlight.size >= limit) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
}
