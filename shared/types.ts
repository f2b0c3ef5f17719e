/**
 * Types that the client, the server, the CLI and the reports all agree on.
 * This module must stay free of `vscode` and Node-only imports: it is bundled into both sides.
 */

/** Severity of a finding, from most to least serious. */
export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info';

/** Severities in descending order of seriousness; index 0 is the most serious. */
export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

/** Threshold for failing a CI run: a severity, or `none` to never fail on findings. */
export type FailOn = Severity | 'none';

/** Numeric rank of a severity: higher is more serious (critical = 4, info = 0). */
export function severityRank(s: Severity): number {
  return SEVERITIES.length - 1 - SEVERITIES.indexOf(s);
}

/** True when `s` is at or above the `threshold` (a threshold of `none` is never reached). */
export function atLeast(s: Severity, threshold: FailOn): boolean {
  return threshold !== 'none' && severityRank(s) >= severityRank(threshold);
}

/** Canonical categories: every finding carries exactly one (see docs/design.md). */
export type Category =
  | 'secret'
  | 'command-injection'
  | 'code-injection'
  | 'path-traversal'
  | 'ssrf'
  | 'sql-injection'
  | 'unsafe-deserialization'
  | 'prompt-injection'
  | 'tool-poisoning'
  | 'hidden-unicode'
  | 'insecure-config'
  | 'sensitive-file-access'
  | 'weak-crypto'
  | 'supply-chain'
  | 'deployment-hardening'
  /** What an MCP tool can do (the capability inventory; info findings are inventory, not defects). */
  | 'capability'
  | 'other';

export const CATEGORIES: readonly Category[] = [
  'secret',
  'command-injection',
  'code-injection',
  'path-traversal',
  'ssrf',
  'sql-injection',
  'unsafe-deserialization',
  'prompt-injection',
  'tool-poisoning',
  'hidden-unicode',
  'insecure-config',
  'sensitive-file-access',
  'weak-crypto',
  'supply-chain',
  'deployment-hardening',
  'capability',
  'other',
];

/**
 * What kind of file a document is, decided from its path (and, for JSON, its name).
 * Rules declare the kinds they apply to.
 */
export type FileKind =
  /** TypeScript or JavaScript source (.ts, .tsx, .mts, .cts, .js, .jsx, .mjs, .cjs). */
  | 'js'
  /** Python source (.py, .pyi). */
  | 'python'
  /** An MCP client config: .vscode/mcp.json, .cursor/mcp.json, .mcp.json, claude_desktop_config.json, mcp_config.json, … */
  | 'mcp-config'
  /** VS Code settings (settings.json, *.code-workspace), which may hold `mcp.servers`. */
  | 'vscode-settings'
  /** Any other JSON or JSONC file (manifests, tools/list captures). */
  | 'json'
  /** .env-style files. */
  | 'dotenv'
  /** YAML files (CI, compose, Kubernetes). */
  | 'yaml'
  /** Dockerfiles and Containerfiles. */
  | 'dockerfile'
  /** TOML, INI, shell and other text files scanned for secrets only. */
  | 'text';

/** A zero-based position, with `character` counted in UTF-16 code units (LSP convention). */
export interface Position {
  /** Zero-based line. */
  line: number;
  /** Zero-based UTF-16 column. */
  character: number;
}

/** A zero-based half-open range (LSP convention). */
export interface Range {
  /** Inclusive start. */
  start: Position;
  /** Exclusive end. */
  end: Position;
}

/** Extra locations that explain a finding (for example the tool parameter that reaches a sink). */
export interface RelatedLocation {
  /** Workspace-relative file path with forward slashes. */
  file: string;
  /** Where, in that file. */
  range: Range;
  /** What this location is, in one short sentence. */
  message: string;
  /**
   * True when this location is a step of the cross-file data flow that leads to the finding (a tool input passed
   * from file to file). Such steps come first among the related locations, in the order the value travels; the
   * SARIF report turns them into a code flow and the text and HTML reports list them under the finding.
   */
  flow?: boolean;
}

/** How a finding was suppressed, if it was. */
export interface Suppression {
  /** `inline` (comment on or before the line), `file` (file-level comment), `ignore-file` (ignore list), `baseline`. */
  kind: 'inline' | 'file' | 'ignore-file' | 'baseline';
  /** The reason given by whoever suppressed it (may be empty for a baseline). */
  reason: string;
}

/** A text edit: replace `range` with `newText`. */
export interface TextEdit {
  /** The range to replace (zero-length to insert). */
  range: Range;
  /** The new text. */
  newText: string;
}

/** A mechanical, safe fix offered for a finding. */
export interface Fix {
  /** Short imperative title, e.g. "Use yaml.safe_load". */
  title: string;
  /** Edits in the finding's own file. */
  edits: TextEdit[];
}

/** One finding, as the engine reports it to every consumer (CLI, reports, editor). */
export interface Finding {
  /** The stable id of the rule that produced it. */
  ruleId: string;
  /** Canonical category of the rule. */
  category: Category;
  /** Effective severity (after project config and settings overrides). */
  severity: Severity;
  /** One-line message; never contains a secret in full. */
  message: string;
  /** Path relative to the scan root, forward slashes. */
  file: string;
  /** Exact range of the offending text (zero-based, UTF-16). */
  range: Range;
  /** Stable fingerprint: rule id + relative path + hash of the normalised match (not the line number). */
  fingerprint: string;
  /** CWE identifiers, e.g. ["CWE-798"]. */
  cwe: string[];
  /** Related locations, when they help the reader. */
  related?: RelatedLocation[];
  /** Present when the finding is suppressed; suppressed findings stay in results. */
  suppressed?: Suppression;
  /** A mechanical fix, when one is safe. */
  fix?: Fix;
}

/** A file the scanner did not scan, and why. */
export interface SkippedFile {
  /** Path relative to the scan root, forward slashes. */
  file: string;
  /** Human-readable reason, e.g. "binary file", "larger than 10240 KB". */
  reason: string;
}

/** Which regex engine ran. */
export type RegexBackendName = 're2' | 'js';

/** Declarative rule metadata; the rule catalogue and docs are generated from it. */
export interface RuleMeta {
  /** Stable kebab-case id, chosen once and never reused. */
  id: string;
  /** Short title. */
  title: string;
  /** One sentence naming the risk. */
  description: string;
  /** Canonical category. */
  category: Category;
  /** Default severity. */
  severity: Severity;
  /** CWE tags, e.g. ["CWE-78"]. */
  cwe: string[];
  /** OWASP tags, e.g. ["A03:2021"] or MCP Top 10 ids. */
  owasp: string[];
  /** File kinds this rule runs on. */
  kinds: FileKind[];
  /**
   * Prefilter keywords (case-insensitive literals). The rule only runs on documents containing at least one.
   * An empty list means the rule always runs on its kinds.
   */
  keywords: string[];
  /** Documentation in Markdown: what it catches, why it matters, how to fix it. */
  docs: string;
  /** True when the rule can offer a mechanical fix. */
  fixable?: boolean;
  /**
   * One imperative sentence telling how to fix a finding of the rule, printed under it in every report. Every
   * shipped rule has one (secret rules start with "Rotate"); custom rules fall back on their category's line.
   */
  fix?: string;
  /**
   * Where the rule's page is: `docs/rules/<id>.md` (relative to the package, where the pages ship) or an https URL
   * when package.json names the repository. Shipped rules only; a custom rule is documented by the project config.
   */
  helpUri?: string;
}
