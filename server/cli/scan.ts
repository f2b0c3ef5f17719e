import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Finding, RuleMeta, SkippedFile } from '../../shared/types';
import type { RuleError } from '../engine/engine';
import { openProject, scanDocument, type OpenProjectOptions, type Project } from '../engine/project';
import { regexBackendLoadError } from '../core/regex';
import type { Rule } from '../core/rule';
import { collectWorkspaceFacts, type FactSource } from '../engine/workspaceFacts';
import { discover, DEFAULT_MAX_FILE_BYTES, scanRoot, type DiscoveryOptions } from '../discovery/discover';
import { readDiscovered } from '../discovery/read';
import { inShard, type Shard } from '../discovery/shard';
import {
  compareReportFindings,
  countFindings,
  toReportFinding,
  type JsonReport,
  type ReportInput,
} from '../reports/model';
import { toolVersion } from './version';

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
 * The options the project config may contribute to discovery. The config module attaches them to the project;
 * reading them structurally keeps this file independent of that module's internal types.
 */
function discoveryOptionsOf(project: Project): DiscoveryOptions {
  const cfg = (
    project as Project & { config?: { include?: string[]; exclude?: string[]; limits?: { maxFileSizeKB?: number } } }
  ).config;
  return {
    include: cfg?.include,
    exclude: cfg?.exclude,
    maxFileBytes: cfg?.limits?.maxFileSizeKB ? cfg.limits.maxFileSizeKB * 1024 : DEFAULT_MAX_FILE_BYTES,
  };
}

/** The enabled rules of a project, with their effective severity. */
export function enabledRules(project: Project): RuleMeta[] {
  const out: RuleMeta[] = [];
  for (const r of project.engine.rules) {
    const sev = project.engine.severityOf(r as Rule);
    if (sev !== 'off') out.push({ ...metaOf(r), severity: sev });
  }
  return out;
}

/** The metadata part of a rule (drops the detector and samples). */
export function metaOf(r: RuleMeta): RuleMeta {
  const { id, title, description, category, severity, cwe, owasp, kinds, keywords, docs, fixable } = r;
  return { id, title, description, category, severity, cwe, owasp, kinds, keywords, docs, fixable };
}

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
  const options: OpenProjectOptions & { configPath?: string; baselinePath?: string } = {
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
  const rules = enabledRules(project);
  if (rules.length === 0) throw new ScanError('no rules loaded (every rule is off or none is registered)');
  const t1 = performance.now();

  const found = discover(root, abs.length ? abs : [root], { ...discoveryOptionsOf(project), ...req.discovery });
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
  skipped.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  const t3 = performance.now();

  const reportFindings = findings.map(toReportFinding).sort(compareReportFindings);
  const report: JsonReport = {
    tool: { name: 'mcp-sentinel', version: toolVersion() },
    root,
    findings: reportFindings,
    skipped,
    stats: {
      regexBackend: project.engine.backend.name,
      filesScanned: scanned,
      filesSkipped: skipped.length,
      durationMs: Math.round(t3 - t0),
      rules: rules.length,
      ruleErrors: errors.length,
      ...countFindings(reportFindings),
    },
  };
  const related = new Map<string, Finding['related']>();
  for (const f of findings) if (f.related?.length) related.set(f.fingerprint, f.related);
  return {
    report,
    rules,
    related,
    source: (file) => texts.get(file),
    project,
    findings,
    errors,
    texts,
    timings: { open: t1 - t0, discover: t2 - t1, facts: tFacts - t2, scan: t3 - tFacts },
    backendLoadError: regexBackendLoadError(),
  };
}
