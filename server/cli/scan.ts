import { existsSync, statSync } from 'node:fs';
import { nestingProblem } from '../core/depth';
import { specialFileReason } from '../core/files';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { autoWorkerCount } from '../../shared/settings';
import type { Finding, RuleMeta, SkippedFile } from '../../shared/types';
import type { DismissedCandidate, RuleError } from '../engine/engine';
import { openProject, scanDocument, type OpenProjectOptions, type Project } from '../engine/project';
import { regexBackendLoadError } from '../core/regex';
import { collectWorkspaceFacts, type FactSource } from '../engine/facts';
import { discover, scanRoot, type DiscoveredFile, type DiscoveryOptions } from '../discovery/discover';
import { readDiscovered } from '../discovery/read';
import { inShard, type Shard } from '../discovery/shard';
import { buildReport } from '../reports/build';
import type { ReportInput } from '../reports/model';
import { enabledRuleMeta } from '../rules/catalogue';
import { secretDetector } from '../rules/secretDetector';
import type { SecretDetector } from '../reports/redact';
import { InOrder } from '../workers/ordered';
import { discoveryOptionsOf, scanLimits } from '../engine/limits';
import { scanBatch, type BatchCache, type FileResult } from '../workers/batch';
import { ResultStore, type StoreStats } from '../cache/store';
import { cheapFileCheck, type CheapFileCheck } from '../workers/cheapFiles';
import { scanCache } from './cache';
import { WorkerPool, workerScript } from '../workers/pool';
import type { ProjectSpec } from '../workers/protocol';
import { BATCH_HEAP_BOUNDS, BATCH_RECYCLING, type PoolMemory, type RecyclePolicy } from '../workers/recycle';
import { MainMemory, type ScanMemory } from './memory';

/** What a scan needs; every field but `paths` is optional. */
export interface ScanRequest {
  /** Files and folders to scan (relative to `cwd` or absolute); empty means `cwd`. */
  paths: readonly string[];
  /** Working directory for relative paths. */
  cwd?: string;
  /** Project config file (passed through to openProject). */
  config?: string;
  /** Baseline file (passed through to openProject). */
  baseline?: string;
  /** Only this part of the files. */
  shard?: Shard;
  /** Called after each file, for progress on a terminal. */
  onProgress?: (done: number, total: number) => void;
  /**
   * Extra options for openProject (tests add rules or turn built-in ones off here). Extra rules are functions,
   * which cannot be sent to a worker thread, so a scan with extra rules runs in-process (see `runScan`).
   */
  projectOptions?: OpenProjectOptions;
  /** Worker threads (`--workers`); else the config's `workers`, else one per core but one (at least 1). */
  workers?: number;
  /**
   * Per-file time budget in milliseconds that wins over the config's `limits.timeoutMs`. The budget is wall-clock
   * time, so scans that measure the rules rather than the time (the corpus tests, on a loaded machine) give a
   * generous one.
   */
  timeoutMs?: number;
  /** Discovery options that win over the project config's (the corpus test walks dist/ folders, for example). */
  discovery?: DiscoveryOptions;
  /**
   * The result cache's folder (`--cache-dir`, else the user's cache directory); undefined scans without a cache. Only
   * scans in the worker pool use it: an in-process scan has extra rules, which no key can name.
   */
  cacheDir?: string;
  /**
   * The cheap-file prefilter (server/workers/cheapFiles.ts), on unless false: a file in which no rule can report is
   * answered without a worker. Tests turn it off to prove it changes no report.
   */
  prefilter?: boolean;
  /**
   * Cancels the scan (the scan service passes one per request): no further file is sent to a worker, the pool is
   * terminated, and `runScan` rejects with a `ScanCancelled` error.
   */
  signal?: AbortSignal;
  /** Called with each file's result as soon as it is known, in completion order (the service streams findings). */
  onFileResult?: (file: string, result: FileResult) => void;
  /**
   * Time each rule's detector: the results given to `onFileResult` carry `ruleMs` (the service's per-rule metric).
   * Files the cache or the cheap-file check answer ran no detector and carry none.
   */
  timeRules?: boolean;
  /** When the pool's workers retire (server/workers/recycle.ts); `BATCH_RECYCLING` unless given (tests recycle often). */
  recycle?: RecyclePolicy;
  /**
   * Load the tree-sitter parsers on this thread even when every file is scanned in the pool (`runScan` does, for
   * callers that parse afterwards). By default only an in-process scan loads them here: the pool's workers parse.
   */
  parsersHere?: boolean;
}

/** A scan's result: the JSON report plus what the other formats and verbose output need. */
export interface ScanOutcome extends ReportInput {
  /** The project that was scanned (baseline and pin reuse it). */
  project: Project;
  /** Every finding as the engine returned it (zero-based, with related locations and fixes). */
  findings: Finding[];
  /** Detector errors. */
  errors: RuleError[];
  /** Discovery's warnings (include/exclude patterns that can never match, an ignore file above the root). */
  warnings: string[];
  /** Texts of the scanned files, by relative path (for HTML context and pin). */
  texts: Map<string, string>;
  /** Worker threads the scan ran on; 0 when it ran in-process (extra rules). */
  workers: number;
  /** Timings in milliseconds (`facts`: collecting the workspace's tool and server names before the scan). */
  timings: { open: number; discover: number; facts: number; scan: number };
  /** Why RE2 did not load, when the JS backend ran for that reason. */
  backendLoadError?: string;
  /** Secret candidates the heuristic rules set aside, per file in scan order, for the `--verbose` log. */
  dismissed: (DismissedCandidate & { file: string })[];
  /** Files answered by the cheap-file prefilter without a worker (no rule keyword in them). */
  cheapFiles: number;
  /** How the result cache was used, when the scan had one. */
  cache?: StoreStats & { dir: string };
  /** Where the scan's memory went (`--verbose`). */
  memory?: ScanMemory;
}

/** A scan that cannot start (missing path, unreadable config, no rules): the CLI exits with code 2. */
export class ScanError extends Error {}

/** A scan stopped by its `signal` before it finished. */
export class ScanCancelled extends ScanError {
  /** Creates the error. */
  constructor() {
    super('the scan was cancelled');
    this.name = 'ScanCancelled';
  }
}

/** A file named by a flag must exist and be a regular file; the error says which of the two it is not. */
function checkNamedFile(what: string, path: string): void {
  if (!existsSync(path)) throw new ScanError(`${what} not found: ${path}`);
  const why = specialFileReason(statSync(path));
  if (why) throw new ScanError(`${what} ${path} is ${why}`);
}

/** What a scan knows once its project is open, before the first file: what a streamed report starts with. */
export interface ScanStart {
  /** Absolute root that paths are relative to. */
  root: string;
  /** The project being scanned. */
  project: Project;
  /** The rules that run, with their effective severity. */
  rules: RuleMeta[];
  /** The secret detectors of the project's regex backend, which every report string is masked with. */
  secrets: SecretDetector;
}

/**
 * Where a scan delivers its files (`scanFiles`): `begin` once the project is open, then every scanned or skipped
 * file's result in path order, one at a time, as soon as the earlier ones are in.
 */
export interface ScanSink {
  /** Called once, before any file. */
  begin(start: ScanStart): void;
  /** One file's result, in path order. Its findings (all in that file) and text are the sink's to keep or drop. */
  file(file: string, result: FileResult): void;
}

/** A scan's result apart from its findings, which went to the sink file by file. */
export interface ScanRun extends ScanStart {
  /** Files left out, with the reason: discovery's, then those the scan could not do, in no particular order. */
  skipped: SkippedFile[];
  /** Detector errors. */
  errors: RuleError[];
  /** Files scanned. */
  filesScanned: number;
  /** Findings left out because their files are test, script or build code. */
  hiddenInTests: number;
  /** Secret candidates the heuristic rules set aside, per file in path order, for the `--verbose` log. */
  dismissed: (DismissedCandidate & { file: string })[];
  /** Discovery's warnings. */
  warnings: string[];
  /** Worker threads the scan ran on; 0 when it ran in-process (extra rules). */
  workers: number;
  /** Timings in milliseconds. */
  timings: ScanOutcome['timings'];
  /** Wall time from opening the project to the last file, in milliseconds (the report's `durationMs`). */
  durationMs: number;
  /** Why RE2 did not load, when the JS backend ran for that reason. */
  backendLoadError?: string;
  /** Files answered by the cheap-file prefilter without a worker. */
  cheapFiles: number;
  /** How the result cache was used, when the scan had one. */
  cache?: StoreStats & { dir: string };
  /** Where the scan's memory went (`--verbose`). */
  memory: ScanMemory;
}

/** How far a file's result may arrive ahead of the next one to deliver before the scan waits (per worker). */
const WINDOW_PER_WORKER = 32;

/**
 * Scans paths with the one engine entry point and builds the whole report in memory: for callers that need every
 * finding at once (`baseline`, the tests, the benchmarks). `scan` itself streams (`scanFiles` and
 * reports/stream.ts), so that memory does not grow with the tree.
 */
export async function runScan(req: ScanRequest): Promise<ScanOutcome> {
  const findings: Finding[] = [];
  const texts = new Map<string, string>();
  // Callers of the whole report may parse the scanned texts on this thread afterwards (the vet's tool inventory and
  // pins), so the project loads the parsers here, as it always did.
  const run = await scanFiles(
    { ...req, parsersHere: true },
    {
      begin() {},
      file(file, r) {
        if (!r.ok) return;
        for (const x of r.findings) findings.push(x);
        if (r.text !== undefined) texts.set(file, r.text);
      },
    },
  );
  const built = buildReport({
    root: run.root,
    findings,
    skipped: run.skipped,
    rules: run.rules,
    regexBackend: run.project.engine.backend.name,
    filesScanned: run.filesScanned,
    durationMs: run.durationMs,
    ruleErrors: run.errors,
    hiddenInTests: run.hiddenInTests,
    source: (file) => texts.get(file),
    secrets: run.secrets,
  });
  return { ...run, ...built, findings, texts };
}

/**
 * Scans paths with the one engine entry point (`openProject` + `scanDocument`), so the CLI reports exactly what
 * the editor shows. The project is opened on this thread first, so that a broken config, baseline or pin file stops
 * the scan (exit 2) before any worker starts. The files are then scanned in the worker pool, as the editor's
 * workspace scan does: a facts pass, then the scan, each file under the project's per-file time budget
 * (`limits.timeoutMs`), so a pathological file or a catastrophic custom pattern costs that file only, listed as
 * skipped with the reason. Results reach the sink in path order, so reports are the same whatever the pool size,
 * and a result that arrives far ahead of the next one holds the scan back (`workers/ordered.ts`), so memory is
 * bounded by that window, not by the tree.
 */
export async function scanFiles(req: ScanRequest, sink: ScanSink): Promise<ScanRun> {
  const cwd = req.cwd ?? process.cwd();
  const abs = req.paths.map((p) => resolve(cwd, p));
  for (const p of abs) if (!existsSync(p)) throw new ScanError(`path not found: ${p}`);
  const root = scanRoot(abs, cwd);
  if (req.config) checkNamedFile('config file', resolve(cwd, req.config));
  if (req.baseline) checkNamedFile('baseline file', resolve(cwd, req.baseline));

  const t0 = performance.now();
  // The config and baseline paths are passed through as-is; the project module owns their format and errors.
  // Extra rules are functions and cannot reach a worker: only in-process callers (tests) pass them, and they get
  // the same facts pass and `scanDocument` on this thread, without a time budget. Everything a user runs has no
  // extra rules and goes through the pool, whose workers parse: this thread then needs no parser.
  const inProcess = (req.projectOptions?.extraRules?.length ?? 0) > 0;
  const options: OpenProjectOptions = {
    ...req.projectOptions,
    ...(inProcess || req.parsersHere ? {} : { parsers: false }),
    ...(req.config ? { configPath: resolve(cwd, req.config) } : {}),
    ...(req.baseline ? { baselinePath: resolve(cwd, req.baseline) } : {}),
  };
  let project: Project;
  try {
    project = await openProject(root, options);
  } catch (e) {
    throw new ScanError(e instanceof Error ? e.message.split('\n')[0]! : String(e));
  }
  const rules = enabledRuleMeta(project.engine.rules, (r) => project.engine.severityOf(r));
  if (rules.length === 0) throw new ScanError('no rules loaded (every rule is off or none is registered)');
  const t1 = performance.now();

  const limits = scanLimits(project.config);
  if (req.signal?.aborted) throw new ScanCancelled();
  const found = discover(root, abs.length ? abs : [root], {
    ...discoveryOptionsOf(project.config, limits),
    ...req.discovery,
  });
  const files = found.files.filter((f) => inShard(f.file, req.shard));
  const skipped: SkippedFile[] = found.skipped.filter((s) => inShard(s.file, req.shard));
  const t2 = performance.now();
  const start: ScanStart = { root, project, rules, secrets: secretDetector(project.engine.backend) };
  sink.begin(start);

  const errors: RuleError[] = [];
  let scanned = 0;
  let hiddenInTests = 0;
  const dismissed: ScanRun['dismissed'] = [];
  const mainMemory = new MainMemory();
  const deliver = (i: number, r: FileResult): void => {
    mainMemory.sample();
    const file = files[i]!.file;
    if (!r.ok) skipped.push({ file, reason: r.reason });
    else {
      for (const x of r.errors) errors.push(x);
      hiddenInTests += r.hiddenInTests ?? 0;
      for (const d of r.dismissed ?? []) dismissed.push({ file, ...d });
      scanned++;
    }
    sink.file(file, r);
  };

  const wanted = req.workers ?? (limits.workers || autoWorkerCount(availableParallelism()));
  // More workers than files would only cost start-up time.
  const workers = inProcess || found.files.length === 0 ? 0 : Math.max(1, Math.min(wanted, found.files.length));
  const spec = { ...projectSpec(root, options), ...(req.timeRules ? { timeRules: true } : {}) };
  const store = workers && req.cacheDir ? new ResultStore(req.cacheDir) : undefined;
  const inOrder = new InOrder<FileResult>(deliver, WINDOW_PER_WORKER * Math.max(1, workers));
  const pass = workers
    ? await scanInPool(
        spec,
        found.files,
        files,
        workers,
        req.timeoutMs ?? limits.timeoutMs,
        { onProgress: req.onProgress, signal: req.signal },
        req.prefilter === false ? undefined : cheapFileCheck(project),
        // The streaming callers (the scan service) hear of each file as it completes; the report sink gets them in
        // path order.
        (i, r) => {
          req.onFileResult?.(files[i]!.file, r);
          return inOrder.put(i, r);
        },
        store &&
          ((script) =>
            scanCache({ store, project, spec, workerScript: script, ...(spec.now ? { now: spec.now } : {}) })),
        req.recycle ?? BATCH_RECYCLING,
      )
    : scanInProcess(project, found.files, files, req.onProgress, deliver);
  if (req.signal?.aborted) throw new ScanCancelled();
  // A sink that failed (an output that cannot be written) fails the scan with its own error.
  if (inOrder.error) throw inOrder.error.error;
  const tFacts = t2 + pass.factsMs;
  const t3 = performance.now();
  return {
    ...start,
    skipped,
    errors,
    filesScanned: scanned,
    hiddenInTests,
    dismissed,
    warnings: found.warnings,
    workers,
    cheapFiles: pass.cheap,
    timings: { open: t1 - t0, discover: t2 - t1, facts: tFacts - t2, scan: t3 - tFacts },
    durationMs: t3 - t0,
    backendLoadError: regexBackendLoadError(),
    ...(store ? { cache: { dir: store.dir, ...store.stats } } : {}),
    memory: mainMemory.figures(pass.memory),
  };
}

/** What a scan pass tells besides its results (which go to the sink): the time its facts pass took. */
interface ScanPass {
  factsMs: number;
  cheap: number;
  /** The pool's memory figures, when a pool ran. */
  memory?: PoolMemory;
}

/**
 * The options a worker opens the project with: everything in `options` but the extra rules, which only the
 * in-process path takes, and `onConfigError`, which this thread has already applied.
 */
function projectSpec(root: string, options: OpenProjectOptions): ProjectSpec {
  const {
    extraRules: _rules,
    onConfigError: _errors,
    overrides,
    configPath,
    baselinePath,
    skipBaseline,
    now,
    includeTests,
    includeTestsSetting,
    // A worker always loads its parsers: it is where the files are parsed.
    parsers: _parsers,
    ...rest
  } = options;
  // A new option must be given to the workers too, or be left out here on purpose: this fails to compile until then.
  const none: Record<string, never> = rest;
  void none;
  return {
    root,
    overrides: overrides ?? {},
    ...(configPath ? { configPath } : {}),
    ...(baselinePath ? { baselinePath } : {}),
    ...(skipBaseline ? { skipBaseline } : {}),
    ...(now ? { now } : {}),
    ...(includeTests ? { includeTests } : {}),
    ...(includeTestsSetting !== undefined ? { includeTestsSetting } : {}),
  };
}

async function scanInPool(
  project: ProjectSpec,
  factSources: readonly DiscoveredFile[],
  files: readonly DiscoveredFile[],
  size: number,
  timeoutMs: number,
  hooks: Pick<ScanRequest, 'onProgress' | 'signal'>,
  cheap: CheapFileCheck | undefined,
  onResult: (index: number, result: FileResult) => Promise<void> | undefined,
  cacheFor: ((workerScript: string) => BatchCache) | undefined,
  recycle: RecyclePolicy,
): Promise<ScanPass> {
  const script = workerScript();
  if (!existsSync(script)) throw new ScanError(`the worker bundle is missing: ${script}`);
  // The pool starts with the first file the cache cannot answer: a warm re-scan of an unchanged tree starts none.
  let pool: WorkerPool | undefined;
  const { onProgress, signal } = hooks;
  // Cancelling terminates the workers at once: the jobs they run settle as skipped, and the batch starts no other.
  const cancel = () => void (pool as WorkerPool | undefined)?.dispose();
  signal?.addEventListener('abort', cancel, { once: true });
  try {
    const pass = await scanBatch({
      // A batch recycles its workers, whose tree-sitter memory and heap only grow over a long scan (recycle.ts).
      pool: () =>
        (pool ??= new WorkerPool(script, size, {}, { keepProcessAlive: true, recycle, ...BATCH_HEAP_BOUNDS })),
      concurrency: size,
      project,
      timeoutMs,
      factSources,
      files,
      ...(cacheFor ? { cache: cacheFor(script) } : {}),
      ...(cheap ? { cheap } : {}),
      ...(onProgress ? { onProgress } : {}),
      ...(signal ? { signal } : {}),
      onResult,
    });
    // No worker could start (a broken install): that is an error of the scanner, not a scan that found nothing.
    const failure = (pool as WorkerPool | undefined)?.startFailure;
    if (failure) throw new ScanError(failure);
    const memory = (pool as WorkerPool | undefined)?.memory;
    return { factsMs: pass.factsMs, cheap: pass.cheap, ...(memory ? { memory: { ...memory } } : {}) };
  } finally {
    signal?.removeEventListener('abort', cancel);
    await (pool as WorkerPool | undefined)?.dispose();
  }
}

/** The scan on this thread, for callers with extra rules: one `scanDocument` per file, in order. */
function scanInProcess(
  project: Project,
  factSources: readonly DiscoveredFile[],
  files: readonly DiscoveredFile[],
  onProgress: ScanRequest['onProgress'],
  deliver: (index: number, result: FileResult) => void,
): ScanPass {
  const t0 = performance.now();
  // Cross-file facts come from every discovered file, not only this shard's, so a sharded scan reports what an
  // unsharded one does. Files are read one at a time here and again when scanned: holding every text would cost
  // memory on large trees, and the second read comes from the page cache.
  function* sources(): Generator<FactSource> {
    for (const f of factSources) {
      const read = readDiscovered(f);
      if (read.ok) yield { file: f.file, text: read.text, kind: f.kind };
    }
  }
  const { facts } = collectWorkspaceFacts(project.engine.backend, sources());
  const factsMs = performance.now() - t0;

  for (const [i, f] of files.entries()) {
    const read = readDiscovered(f);
    const tooDeep = read.ok ? nestingProblem(f.kind, read.text) : undefined;
    if (!read.ok) deliver(i, { ok: false, reason: read.reason });
    // As the workers do: a file nested past the analyses' limit is skipped with that reason.
    else if (tooDeep) deliver(i, { ok: false, reason: tooDeep });
    else {
      const result = scanDocument(project, f.file, read.text, f.kind, { facts });
      deliver(i, {
        ok: true,
        findings: result.findings,
        errors: result.errors,
        ...(result.findings.length ? { text: read.text } : {}),
        ...(result.hiddenInTests ? { hiddenInTests: result.hiddenInTests } : {}),
        ...(result.dismissed ? { dismissed: result.dismissed } : {}),
      });
    }
    onProgress?.(i + 1, files.length);
  }
  return { factsMs, cheap: 0 };
}
