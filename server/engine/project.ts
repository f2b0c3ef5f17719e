import type { FailOn, FileKind } from '../../shared/types';
import { initParsers } from '../analysis/parse';
import {
  ConfigLoadError,
  loadProjectInputs,
  type ConfigError,
  type ProjectConfig,
  type ProjectInputOptions,
} from '../project';
import { catalogueIds, ruleCatalogue } from '../rules/catalogue';
import { customRuleToRule } from '../rules/custom';
import { Engine, type DismissedCandidate, type DocumentResult, type RuleOverrides } from './engine';
import { secretDismissalsOf } from '../rules/secrets/fixtures';
import type { CrossFileFacts } from './facts';
import { classifyPath } from '../core/fileKinds';
import { createDetectContext } from '../core/context';
import type { DetectContext, RawFinding, Rule, WorkspaceFacts } from '../core/rule';
import { applySuppressions, type SuppressionInputs } from './suppress/apply';
import { hideOutsideSource } from './fileRoles';

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
   * threshold; `workers` sizes the worker pool of the editor and of the CLI; `limits.timeoutMs` is the per-file
   * budget in both.
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
   * Whether source-only rules report in test, script and build files (`engine/fileRoles.ts`): the CLI's flag,
   * else the config's `includeTests`, else the editor's setting, else false.
   */
  includeTests: boolean;
  /**
   * Problems in the config, ignore file, baseline or pin file. Always empty unless `onConfigError: 'collect'` was passed
   * (otherwise `openProject` throws a ConfigLoadError carrying the same list).
   */
  errors: ConfigError[];
}

/**
 * Options for opening a project: where its files are (`configPath`, `baselinePath`, `skipBaseline`, `now`, as for
 * `loadProjectInputs`; the rule ids the files may name are the engine's own), plus what the engine adds on top.
 */
export interface OpenProjectOptions extends Omit<ProjectInputOptions, 'knownRuleIds'> {
  /** Severity overrides from editor settings or the CLI, applied on top of the project config. */
  overrides?: RuleOverrides;
  /** Extra rules (tests). */
  extraRules?: Rule[];
  /**
   * What to do with config errors. `throw` (the default, used by the CLI: exit code 2) throws a ConfigLoadError
   * whose `errors` list every problem with file, line and column. `collect` (the editor) returns the project built
   * from the valid parts with the problems in `project.errors`, to be shown as error diagnostics on those files.
   */
  onConfigError?: 'throw' | 'collect';
  /** The CLI's `--include-tests`: when true, it wins over the config's `includeTests`. */
  includeTests?: boolean;
  /** The editor's `mcpSentinel.includeTests` setting: applies only when the config does not say. */
  includeTestsSetting?: boolean;
  /**
   * Load the tree-sitter parsers on this thread (the default). False for a front end whose every parse happens in
   * worker threads (the CLI's pool scan opens the project here for its config and the cheap-file check, which read
   * text only): the parsers cost ≈ 15 MB of resident memory per thread. Whoever parses later on this thread must then
   * await `initParsers()` first.
   */
  parsers?: boolean;
}

/**
 * Opens a project root: loads parsers (unless `parsers` is false) and the project files (`loadProjectInputs`: the config, the ignore file,
 * the baseline and the pin file, whose index becomes `workspace.pins`), and builds the engine with the rule
 * catalogue: built-in, meta, custom and extra rules. Errors in those files throw a ConfigLoadError (see
 * `onConfigError`). Tool and server names of the workspace are not known yet: callers that have the files collect
 * them with `collectWorkspaceFacts` (facts.ts) and pass them to `scanDocument`.
 */
export async function openProject(root: string, options: OpenProjectOptions = {}): Promise<Project> {
  if (options.parsers !== false) await initParsers();
  const extra = options.extraRules ?? [];
  const inputs = loadProjectInputs(root, {
    ...options,
    knownRuleIds: catalogueIds([], extra),
  });
  const { config, suppression, errors } = inputs;
  if (errors.length && options.onConfigError !== 'collect') throw new ConfigLoadError(errors);

  const customRules = (config.customRules ?? []).map(customRuleToRule);
  const overrides: RuleOverrides = {
    rules: { ...config.rules, ...options.overrides?.rules },
    categories: { ...config.categories, ...options.overrides?.categories },
  };
  const engine = new Engine(ruleCatalogue(customRules, extra), overrides);
  const workspace: WorkspaceFacts = inputs.pins ? { pins: inputs.pins } : {};
  const includeTests = options.includeTests || (config.includeTests ?? options.includeTestsSetting ?? false);
  const project: Project = { root, engine, workspace, config, customRules, suppression, errors, includeTests };
  if (inputs.configFile) project.configFile = inputs.configFile;
  if (inputs.ignoreFile) project.ignoreFile = inputs.ignoreFile;
  if (inputs.baselineFile) project.baselineFile = inputs.baselineFile;
  if (inputs.pinFile) project.pinFile = inputs.pinFile;
  if (config.failOn) project.failOn = config.failOn;
  return project;
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
  /** Receives each detector's time in milliseconds by rule id (Engine.scan). */
  ruleTimes?: Map<string, number>;
  /** Runs a rule's detector in place of `rule.detect` (Engine.scan; the editor's incremental scan). */
  detect?: (rule: Rule, ctx: DetectContext) => RawFinding[];
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
  if (options.context)
    return scanContext(project, { ...options.context, workspace }, options.ruleTimes, options.detect);
  const k = kind ?? classifyPath(file);
  if (!k) return { findings: [], errors: [], kind: undefined };
  const { ctx, dispose } = createDetectContext(project.engine.backend, file, text, k, workspace);
  try {
    return scanContext(project, ctx, options.ruleTimes, options.detect);
  } finally {
    dispose();
  }
}

/** The project's rules, then its suppression passes, on one detector context. */
function scanContext(
  project: Project,
  ctx: DetectContext,
  ruleTimes?: Map<string, number>,
  detect?: ScanOptions['detect'],
): DocumentResult {
  const result = project.engine.scan(ctx, ruleTimes, detect);
  const rules = ruleIndex(project);
  const suppressed = applySuppressions(result.findings, {
    doc: ctx,
    inputs: project.suppression,
    severityOf: (id) => {
      const r = rules.get(id);
      return r ? project.engine.severityOf(r) : undefined;
    },
    ruleIds: () => rules.keys(),
  });
  // After the suppression passes, so that a directive covering a hidden finding still counts as used.
  const { findings, hidden, left } = hideOutsideSource(suppressed, ctx.path, project.includeTests, (id) =>
    rules.get(id),
  );
  const dismissed: DismissedCandidate[] = secretDismissalsOf(ctx).map((d) => ({
    ruleId: d.ruleId,
    line: ctx.lines.positionAt(d.start).line + 1,
    masked: d.masked,
    reason: d.reason,
  }));
  // A finding left out of test, script or build code is a dismissal too: the log quotes its (masked) message.
  for (const { finding, reason } of left)
    dismissed.push({
      ruleId: finding.ruleId,
      line: finding.range.start.line + 1,
      masked: finding.message.replace(/\.$/, ''),
      reason,
    });
  dismissed.sort((a, b) => a.line - b.line || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0));
  return {
    ...result,
    findings,
    ...(hidden ? { hiddenInTests: hidden } : {}),
    ...(dismissed.length ? { dismissed } : {}),
  };
}
