/**
 * A batch scan of discovered files in the worker pool, as the CLI runs it: a facts pass over every file that can
 * define MCP tools or servers, the merged facts published once, then the scan of every file. Results come back in
 * the order of the files, whatever order the workers finish in, so the report is the same with any pool size.
 */
import type { Finding } from '../../shared/types';
import type { DiscoveredFile } from '../discovery/discover';
import { readDiscovered } from '../discovery/read';
import type { DismissedCandidate, RuleError } from '../engine/engine';
import { mayHoldFacts, type FileFacts } from '../engine/facts';
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
  /** How long the facts pass took, in milliseconds. */
  factsMs: number;
}

/**
 * Scans `files` in the pool. A file over the time budget or whose worker crashed is a result with the reason, and
 * the batch goes on. A file that already failed in the facts pass is not sent again: it would cost a second budget
 * to fail the same way. At most two jobs per worker are in flight, so only that many texts are held at a time.
 */
export async function scanBatch(req: BatchRequest): Promise<BatchResult> {
  const { pool, project, timeoutMs } = req;
  const limit = pool.size * 2;
  const job = (f: DiscoveredFile, text: string, mode: 'scan' | 'facts') =>
    pool.run({ key: `${mode}:${f.file}`, mode, project, file: f.file, text, kind: f.kind, epoch: 0, timeoutMs });

  const t0 = performance.now();
  const perFile = new Map<string, FileFacts>();
  const failed = new Map<string, string>();
  await forEachBounded(req.factSources, limit, async (f) => {
    const read = readDiscovered(f);
    // The prefilter runs here, so that the many files that cannot define a tool never cross to a worker.
    if (!read.ok || !mayHoldFacts(f.kind, read.text, f.file)) return;
    const outcome = await job(f, read.text, 'facts');
    if (outcome.kind !== 'done') failed.set(f.file, reasonOf(outcome));
    else if (outcome.result.facts) perFile.set(f.file, outcome.result.facts);
  });
  pool.setFacts(project.root, Object.fromEntries(perFile));
  const factsMs = performance.now() - t0;

  const results: FileResult[] = new Array<FileResult>(req.files.length);
  let done = 0;
  await forEachBounded(req.files, limit, async (f, i) => {
    results[i] = await scanOne(f);
    req.onProgress?.(++done, req.files.length);
  });
  return { results, factsMs };

  async function scanOne(f: DiscoveredFile): Promise<FileResult> {
    const read = readDiscovered(f);
    if (!read.ok) return { ok: false, reason: read.reason };
    const early = failed.get(f.file);
    if (early !== undefined) return { ok: false, reason: early };
    const outcome = await job(f, read.text, 'scan');
    if (outcome.kind !== 'done') return { ok: false, reason: reasonOf(outcome) };
    const { findings, errors, hiddenInTests, dismissed } = outcome.result;
    return {
      ok: true,
      findings,
      errors: errors.map((e) => ({ ruleId: e.ruleId, file: f.file, message: e.message })),
      ...(findings.length ? { text: read.text } : {}),
      ...(hiddenInTests ? { hiddenInTests } : {}),
      ...(dismissed ? { dismissed } : {}),
    };
  }
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
