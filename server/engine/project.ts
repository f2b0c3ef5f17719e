import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { findNodeAtLocation, parseTree } from 'jsonc-parser';
import type { FailOn, FileKind } from '../../shared/types';
import { initParsers } from '../analysis/parse';
import {
  ConfigLoadError,
  loadIgnoreFile,
  loadProjectConfig,
  type ConfigError,
  type IgnoreEntry,
  type ProjectConfig,
} from '../project';
import { loadPins } from '../project/pins';
import { builtinRules } from '../rules';
import { ruleCatalogue } from '../rules/catalogue';
import { customRuleToRule } from '../rules/custom';
import { BaselineError, readBaseline } from '../project/baseline';
import { Engine, type DocumentResult, type RuleOverrides } from './engine';
import type { CrossFileFacts } from './facts';
import { classifyPath } from '../core/fileKinds';
import { createDetectContext } from '../core/context';
import type { DetectContext, PinIndex, Rule, WorkspaceFacts } from '../core/rule';
import { metaRules } from '../rules/meta';
import { applySuppressions, type SuppressionInputs } from './suppress/apply';
import { LineIndex } from '../core/text';

/**
 * Everything needed to scan the documents of one project root the same way in every front end (CLI, language
 * server, worker threads): the engine with the project's rules and overrides, and the suppression inputs.
 * The CLI and the editor both build it with `openProject` and scan with `scanDocument`, so they cannot disagree.
 */
export interface Project {
  /** Absolute path of the project root; findings' paths are relative to it. */
  root: string;
  /** The engine: built-in, meta and custom rules with the project's overrides. */
  engine: Engine;
  /** Cross-file facts for detectors (tool names, pins). */
  workspace: WorkspaceFacts;
  /**
   * The validated project config (`{}` when there is none). With `onConfigError: 'collect'` it holds only the
   * valid parts. `include`, `exclude` and `limits.maxFileSizeKB` drive discovery; `failOn` is the CLI's default
   * threshold; `workers` sizes the editor's pool; `limits.timeoutMs` is the per-file budget.
   */
  config: ProjectConfig;
  /** Absolute path of the config file that was read, when there was one (editor diagnostics go there). */
  configFile?: string;
  /** Absolute path of the ignore file that was read, when there was one. */
  ignoreFile?: string;
  /** Absolute path of the baseline in force, when there is one. */
  baselineFile?: string;
  /**
   * Absolute path of the tool-definition lock file (`<root>/.mcp-sentinel/pins.json`) when it exists; its index
   * is `workspace.pins` (left out when the file is malformed: the error is in `errors`).
   */
  pinFile?: string;
  /** The default fail-on threshold from the config (the CLI flag wins). */
  failOn?: FailOn;
  /** The custom rules of the config, compiled into engine rules (also present in `engine.rules`). */
  customRules: readonly Rule[];
  /** Inputs of the ignore-list and baseline passes. */
  suppression: SuppressionInputs;
  /**
   * Problems in the config, ignore file, baseline or pin file. Always empty unless `onConfigError: 'collect'` was passed
   * (otherwise `openProject` throws a ConfigLoadError carrying the same list).
   */
  errors: ConfigError[];
}

/** Options for opening a project. */
export interface OpenProjectOptions {
  /** Severity overrides from editor settings or the CLI, applied on top of the project config. */
  overrides?: RuleOverrides;
  /** Extra rules (tests). */
  extraRules?: Rule[];
  /** Config file to read instead of `<root>/.mcp-sentinel.json` (absolute, or relative to the root); it must exist. */
  configPath?: string;
  /** Baseline file to apply (absolute, or relative to the root); wins over the config's `baseline`. It must exist. */
  baselinePath?: string;
  /**
   * Apply no baseline at all, not even the config's (`mcp-sentinel baseline` uses this: it records today's
   * findings, and the configured baseline file may not exist yet).
   */
  skipBaseline?: boolean;
  /** The clock for ignore-entry expiry (tests inject it). Defaults to now. */
  now?: Date;
  /**
   * What to do with config errors. `throw` (the default, used by the CLI: exit code 2) throws a ConfigLoadError
   * whose `errors` list every problem with file, line and column. `collect` (the editor) returns the project built
   * from the valid parts with the problems in `project.errors`, to be shown as error diagnostics on those files.
   */
  onConfigError?: 'throw' | 'collect';
}

/** Converts a path under `root` into the report form (relative, forward slashes); other paths stay absolute. */
function displayPath(root: string, abs: string): string {
  const rel = relative(root, abs);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel.split(sep).join('/') : abs;
}

/**
 * Everything `openProject` reads from disk, without the engine: the config, the ignore file, the baseline and the
 * pin file, with every problem collected. It needs no parsers, so the language server's main thread calls it to
 * publish config errors as diagnostics while its workers hold the engines.
 */
export interface ProjectInputs {
  /** The validated config (only its valid parts when there are errors). */
  config: ProjectConfig;
  /** Absolute path of the config file that was read, when there was one. */
  configFile?: string;
  /** Absolute path of the ignore file that was read, when there was one. */
  ignoreFile?: string;
  /** Absolute path of the baseline in force, when one was loaded. */
  baselineFile?: string;
  /** Absolute path of the pin file, when it exists. */
  pinFile?: string;
  /** The pin file indexed for the drift rule, when it exists and is valid. */
  pins?: PinIndex;
  /** The custom rules of the config, compiled into engine rules. */
  customRules: Rule[];
  /** Inputs of the ignore-list and baseline passes. */
  suppression: SuppressionInputs;
  /** Every problem found, in the order the files are read (config, ignore file, baseline, pin file). */
  errors: ConfigError[];
}

/**
 * Reads the project's files (see `ProjectInputs`). Never throws for a problem in them: every problem is returned
 * in `errors`; `openProject` decides whether that is fatal.
 */
export function loadProjectInputs(root: string, options: OpenProjectOptions = {}): ProjectInputs {
  const extra = options.extraRules ?? [];
  const known = [...builtinRules, ...metaRules, ...extra].map((r) => r.id);
  const loaded = loadProjectConfig(root, options.configPath, known);
  const config = loaded.config;
  const errors: ConfigError[] = [...loaded.errors];

  const customRules = (config.customRules ?? []).map(customRuleToRule);
  const ignoreFile = loadIgnoreFile(root, [...known, ...customRules.map((r) => r.id)]);
  errors.push(...ignoreFile.errors);
  const ignore: IgnoreEntry[] = [...(config.ignore ?? []), ...ignoreFile.entries];

  const suppression: SuppressionInputs = { ignore, now: options.now ?? new Date() };
  let baselineFile: string | undefined;
  if (!options.skipBaseline) {
    const fromOption = options.baselinePath ? resolve(root, options.baselinePath) : undefined;
    const fromConfig =
      !fromOption && config.baseline && loaded.file ? resolve(dirname(loaded.file), config.baseline) : undefined;
    baselineFile = fromOption ?? fromConfig;
    if (baselineFile) {
      const b = loadBaseline(baselineFile, fromConfig ? loaded.file : undefined);
      if ('error' in b) errors.push(b.error);
      else suppression.baseline = { file: displayPath(root, baselineFile), fingerprints: b.fingerprints };
    }
  }

  const pins = loadPins(root);
  errors.push(...pins.errors);

  const inputs: ProjectInputs = { config, customRules, suppression, errors };
  if (loaded.file) inputs.configFile = loaded.file;
  if (ignoreFile.file) inputs.ignoreFile = ignoreFile.file;
  if (suppression.baseline && baselineFile) inputs.baselineFile = baselineFile;
  if (pins.file) inputs.pinFile = pins.file;
  if (pins.pins) inputs.pins = pins.pins;
  return inputs;
}

/**
 * Opens a project root: loads parsers, the project config (`.mcp-sentinel.json` or `configPath`), the ignore file
 * (`.mcp-sentinel/ignore.json`), the baseline (`baselinePath`, else the config's `baseline`) and the pin file
 * (`.mcp-sentinel/pins.json`, into `workspace.pins`), and builds the engine with built-in, meta and custom rules.
 * Errors in those files throw a ConfigLoadError (see `onConfigError`). Tool and server names of the workspace are
 * not known yet: callers that have the files collect them with `collectWorkspaceFacts` (facts.ts) and pass them to
 * `scanDocument`.
 */
export async function openProject(root: string, options: OpenProjectOptions = {}): Promise<Project> {
  await initParsers();
  const inputs = loadProjectInputs(root, options);
  const { config, customRules, suppression, errors } = inputs;
  if (errors.length && options.onConfigError !== 'collect') throw new ConfigLoadError(errors);

  const overrides: RuleOverrides = {
    rules: { ...config.rules, ...options.overrides?.rules },
    categories: { ...config.categories, ...options.overrides?.categories },
  };
  const engine = new Engine(ruleCatalogue(customRules, options.extraRules ?? []), overrides);
  const workspace: WorkspaceFacts = inputs.pins ? { pins: inputs.pins } : {};
  const project: Project = { root, engine, workspace, config, customRules, suppression, errors };
  if (inputs.configFile) project.configFile = inputs.configFile;
  if (inputs.ignoreFile) project.ignoreFile = inputs.ignoreFile;
  if (inputs.baselineFile) project.baselineFile = inputs.baselineFile;
  if (inputs.pinFile) project.pinFile = inputs.pinFile;
  if (config.failOn) project.failOn = config.failOn;
  return project;
}

/**
 * Reads a baseline file. A missing file named by the config is reported at the config's `baseline` value; other
 * problems at their position in the baseline file.
 */
function loadBaseline(
  file: string,
  configFile: string | undefined,
): { fingerprints: Set<string> } | { error: ConfigError } {
  const at = (where: string, text: string, offset: number, length: number, message: string): { error: ConfigError } => {
    const range = new LineIndex(text).rangeOf(offset, offset + length);
    return { error: { file: where, line: range.start.line + 1, column: range.start.character + 1, range, message } };
  };
  if (!existsSync(file)) {
    if (configFile) {
      const text = readFileSync(configFile, 'utf8');
      const node = findNodeAtLocation(parseTree(text)!, ['baseline']);
      return at(
        configFile,
        text,
        node?.offset ?? 0,
        node?.length ?? 0,
        `baseline file not found: ${file} (create it with "mcp-sentinel baseline")`,
      );
    }
    return at(file, '', 0, 0, `baseline file not found: ${file}`);
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    return at(file, '', 0, 0, `cannot read the baseline (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  try {
    return { fingerprints: new Set(readBaseline(text).fingerprints.map((f) => f.fingerprint)) };
  } catch (e) {
    if (e instanceof BaselineError) return at(file, text, e.offset, e.length, e.message);
    throw e;
  }
}

const rulesById = new WeakMap<Project, Map<string, Rule>>();

function ruleIndex(project: Project): Map<string, Rule> {
  let m = rulesById.get(project);
  if (!m) {
    m = new Map(project.engine.rules.map((r) => [r.id, r]));
    rulesById.set(project, m);
  }
  return m;
}

/** What a scan of one document may be given besides its text. */
export interface ScanOptions {
  /** The tools and servers of the other files of the scan (`collectWorkspaceFacts`, or the editor's index). */
  facts?: CrossFileFacts;
  /** A detector context the caller already built for this text (its analyses are reused; the caller disposes it). */
  context?: DetectContext;
}

/**
 * Scans one document of a project: the engine's findings, then inline directives, the ignore list and the
 * baseline (in that order), plus meta findings about the suppressions themselves. Suppressed findings stay in the
 * result with `suppressed: { kind, reason }`. `file` is relative to the project root, with forward slashes; `kind`
 * defaults to its classification.
 *
 * The rules and the suppression pass read one detector context, so the document is indexed and parsed once. A
 * caller that already has a context for the document (the worker, which extracts the file's workspace facts from
 * it first) passes it as `shared` and disposes it; otherwise the context is created and disposed here.
 */
export function scanDocument(
  project: Project,
  file: string,
  text: string,
  kind?: FileKind,
  options: ScanOptions = {},
): DocumentResult {
  // The rules see the project's own facts (pins) and the caller's cross-file facts, passed in, never stored.
  const workspace: WorkspaceFacts = options.facts ? { ...project.workspace, ...options.facts } : project.workspace;
  // The caller's context keeps its memo (one parse for facts, rules and comments) but sees these facts.
  if (options.context) return scanContext(project, { ...options.context, workspace });
  const k = kind ?? classifyPath(file);
  if (!k) return { findings: [], errors: [], kind: undefined };
  const { ctx, dispose } = createDetectContext(project.engine.backend, file, text, k, workspace);
  try {
    return scanContext(project, ctx);
  } finally {
    dispose();
  }
}

/** The project's rules, then its suppression passes, on one detector context. */
function scanContext(project: Project, ctx: DetectContext): DocumentResult {
  const result = project.engine.scan(ctx);
  const rules = ruleIndex(project);
  const findings = applySuppressions(result.findings, {
    doc: ctx,
    inputs: project.suppression,
    severityOf: (id) => {
      const r = rules.get(id);
      return r ? project.engine.severityOf(r) : undefined;
    },
  });
  return { ...result, findings };
}
