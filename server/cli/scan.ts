import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Finding, SkippedFile } from '../../shared/types';
import type { RuleError } from '../engine/engine';
import { openProject, scanDocument, type OpenProjectOptions, type Project } from '../engine/project';
import { regexBackendLoadError } from '../core/regex';
import { collectWorkspaceFacts, type FactSource } from '../engine/workspaceFacts';
import { discover, scanRoot, type DiscoveryOptions } from '../discovery/discover';
import { readDiscovered } from '../discovery/read';
import { inShard, type Shard } from '../discovery/shard';
import { buildReport } from '../reports/build';
import type { ReportInput } from '../reports/model';
import { enabledRuleMeta } from '../rules/catalogue';
import { discoveryOptionsOf, scanLimits } from '../engine/limits';

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
  /** Extra options for openProject (tests add rules or turn built-in ones off here). */
  projectOptions?: OpenProjectOptions;
  /** Discovery options that win over the project config's (the corpus test walks dist/ folders, for example). */
  discovery?: DiscoveryOptions;
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
  /** Timings in milliseconds (`facts`: collecting the workspace's tool and server names before the scan). */
  timings: { open: number; discover: number; facts: number; scan: number };
  /** Why RE2 did not load, when the JS backend ran for that reason. */
  backendLoadError?: string;
}

/** A scan that cannot start (missing path, unreadable config, no rules): the CLI exits with code 2. */
export class ScanError extends Error {}

/**
 * Scans paths with the one engine entry point (`openProject` + `scanDocument`), so the CLI reports exactly what
 * the editor shows. Single-threaded: the engine is synchronous and fast (see README for the measured rate).
 */
export async function runScan(req: ScanRequest): Promise<ScanOutcome> {
  const cwd = req.cwd ?? process.cwd();
  const abs = req.paths.map((p) => resolve(cwd, p));
  for (const p of abs) if (!existsSync(p)) throw new ScanError(`path not found: ${p}`);
  const root = scanRoot(abs, cwd);
  if (req.config) {
    const c = resolve(cwd, req.config);
    if (!existsSync(c) || !statSync(c).isFile()) throw new ScanError(`config file not found: ${c}`);
  }
  if (req.baseline) {
    const b = resolve(cwd, req.baseline);
    if (!existsSync(b) || !statSync(b).isFile()) throw new ScanError(`baseline file not found: ${b}`);
  }

  const t0 = performance.now();
  // The config and baseline paths are passed through as-is; the project module owns their format and errors.
  const options: OpenProjectOptions = {
    ...req.projectOptions,
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
  const found = discover(root, abs.length ? abs : [root], {
    ...discoveryOptionsOf(project.config, limits),
    ...req.discovery,
  });
  const files = found.files.filter((f) => inShard(f.file, req.shard));
  const skipped: SkippedFile[] = found.skipped.filter((s) => inShard(s.file, req.shard));
  const t2 = performance.now();

  // Cross-file facts come from every discovered file, not only this shard's, so a sharded scan reports what an
  // unsharded one does. Files are read one at a time here and again when scanned: holding every text would cost
  // memory on large trees, and the second read comes from the page cache.
  function* sources(): Generator<FactSource> {
    for (const f of found.files) {
      const read = readDiscovered(f);
      if (read.ok) yield { file: f.file, text: read.text, kind: f.kind };
    }
  }
  collectWorkspaceFacts(project, sources());
  const tFacts = performance.now();

  const findings: Finding[] = [];
  const errors: RuleError[] = [];
  const texts = new Map<string, string>();
  let scanned = 0;
  for (const [i, f] of files.entries()) {
    const read = readDiscovered(f);
    if (!read.ok) {
      skipped.push({ file: f.file, reason: read.reason });
    } else {
      const result = scanDocument(project, f.file, read.text, f.kind);
      findings.push(...result.findings);
      errors.push(...result.errors);
      if (result.findings.length) texts.set(f.file, read.text);
      scanned++;
    }
    req.onProgress?.(i + 1, files.length);
  }
  const t3 = performance.now();

  const built = buildReport({
    root,
    findings,
    skipped,
    rules,
    regexBackend: project.engine.backend.name,
    filesScanned: scanned,
    durationMs: t3 - t0,
    ruleErrors: errors.length,
    source: (file) => texts.get(file),
  });
  return {
    ...built,
    project,
    findings,
    errors,
    warnings: found.warnings,
    texts,
    timings: { open: t1 - t0, discover: t2 - t1, facts: tFacts - t2, scan: t3 - tFacts },
    backendLoadError: regexBackendLoadError(),
  };
}
