/**
 * The validated shapes of the project files, and `ConfigError`, the positioned problem every loader reports. The
 * engine, the rules (custom-rule configs) and the front ends read these types without depending on the loaders.
 */
import type { Category, FailOn, Range, Severity } from '../../shared/types';

/** A rule or category setting in the project config: a severity, or `off` to disable. */
export type RuleSetting = Severity | 'off';

/**
 * A user-defined rule from the `customRules` list of `.mcp-sentinel.json`. Its pattern is written in RE2 syntax
 * and must also compile as a JS RegExp (the editor falls back to JS when the RE2 addon does not load); lookaround
 * and backreferences are rejected because RE2 has neither and a backtracking engine could hang on them.
 */
export interface CustomRuleConfig {
  /** Stable kebab-case id; must not collide with a built-in rule. */
  id: string;
  /** One-line message reported for every match. */
  message: string;
  /** Severity of its findings. */
  severity: Severity;
  /** Canonical category of its findings. */
  category: Category;
  /** Globs (relative to the project root) of the files it runs on; empty or absent means every scanned file. */
  files?: string[];
  /** The pattern, in the syntax shared by RE2 and JS RegExp. */
  pattern: string;
  /** Optional flags among `i` (ignore case), `m` (multi-line) and `s` (dot matches new lines). */
  flags?: string;
}

/** Where an entry of the ignore list was written, so expiry can be reported at the entry itself. */
export interface SourceLocation {
  /** Path relative to the project root, forward slashes (the same form findings use). */
  file: string;
  /** The entry's range (zero-based, UTF-16). */
  range: Range;
  /** The range of the entry's `expires` value, when it has one (where an expiry finding points). */
  expiresRange?: Range;
}

/**
 * One entry of the ignore list (`ignore` in the config, or `.mcp-sentinel/ignore.json`). It matches a finding by
 * fingerprint, or by rule id plus a path glob; it needs a reason and may expire.
 */
export interface IgnoreEntry {
  /** Rule id; required with `path`, optional (and then checked) with `fingerprint`. */
  rule?: string;
  /** Glob relative to the project root (forward slashes), e.g. `test/fixtures/**`. */
  path?: string;
  /** A finding fingerprint, as reported in JSON and SARIF output. */
  fingerprint?: string;
  /** Why the finding is acceptable; shown wherever the suppressed finding is. */
  reason: string;
  /** ISO date (`YYYY-MM-DD`, valid through the end of that day UTC) or date-time after which the entry stops suppressing. */
  expires?: string;
  /** Where the entry was written (filled in by the loader). */
  source?: SourceLocation;
}

/** Limits for one file, the same in the editor and in the CLI. */
export interface LimitsConfig {
  /** Files larger than this many KB are skipped with a reason. */
  maxFileSizeKB?: number;
  /** The per-file scan time budget in milliseconds, in the editor and in the CLI. */
  timeoutMs?: number;
}

/** The project config, `.mcp-sentinel.json` (JSONC), after validation. Every field is optional. */
export interface ProjectConfig {
  /** Per-rule settings by rule id (built-in, meta or custom). */
  rules?: Record<string, RuleSetting>;
  /** Per-category settings; a rule setting wins over its category's. */
  categories?: Partial<Record<Category, RuleSetting>>;
  /** Globs of files to scan (relative to the root); when present and non-empty, only these are scanned. */
  include?: string[];
  /** Globs of files and folders to leave out. */
  exclude?: string[];
  /** User-defined regex rules. */
  customRules?: CustomRuleConfig[];
  /** Ignore entries (merged with `.mcp-sentinel/ignore.json`). */
  ignore?: IgnoreEntry[];
  /** Default fail-on threshold for the CLI (the `--fail-on` flag wins). */
  failOn?: FailOn;
  /** Baseline file, relative to the config file's folder. */
  baseline?: string;
  /** Per-file limits. */
  limits?: LimitsConfig;
  /** Sizes the worker pool (number of worker threads) of the editor and of the CLI. */
  workers?: number;
  /**
   * Report what generic sink and secret heuristics find in test, script and build files too (default false; the
   * CLI's `--include-tests` wins, and this wins over the editor's `mcpSentinel.includeTests` setting).
   */
  includeTests?: boolean;
}

/**
 * A problem in a project file (config, ignore file, baseline or pin file), with its exact position. The CLI prints it as
 * `file:line:column: message` and exits with code 2; the editor shows it as an error diagnostic at `range`.
 */
export interface ConfigError {
  /** Absolute path of the file the error is in. */
  file: string;
  /** One-based line. */
  line: number;
  /** One-based column (UTF-16 code units). */
  column: number;
  /** The offending span, zero-based (LSP convention), for editor diagnostics. */
  range: Range;
  /** What is wrong, in one sentence; names the rule for custom-rule errors. */
  message: string;
}

/** Formats a config error the way compilers do: `file:line:column: message`. */
export function formatConfigError(e: ConfigError): string {
  return `${e.file}:${e.line}:${e.column}: ${e.message}`;
}

/**
 * Thrown by `openProject` when the config, ignore file, baseline or pin file has errors (unless the caller asked to collect
 * them with `onConfigError: 'collect'`). The message is the first error, formatted; `errors` holds them all.
 */
export class ConfigLoadError extends Error {
  /** Every error found, in file order. */
  readonly errors: ConfigError[];

  constructor(errors: ConfigError[]) {
    const first = errors[0] ? formatConfigError(errors[0]) : 'invalid project configuration';
    super(errors.length > 1 ? `${first} (and ${errors.length - 1} more error${errors.length > 2 ? 's' : ''})` : first);
    this.name = 'ConfigLoadError';
    this.errors = errors;
  }
}
