import type {
  Category,
  Finding,
  RegexBackendName,
  RuleMeta,
  Severity,
  SkippedFile,
  Suppression,
} from '../../shared/types';
import { SEVERITIES } from '../../shared/types';
import { compareStrings } from '../core/order';

/** A 1-based position in a report (columns in UTF-16 code units, as in SARIF's `utf16CodeUnits`). */
export interface ReportPosition {
  /** 1-based line. */
  line: number;
  /** 1-based column, UTF-16 code units. */
  column: number;
}

/**
 * A related location in a report (for example the expired ignore entry that used to cover a finding): optional
 * in the JSON report, so `merge` keeps it and SARIF written from merged shards still has `relatedLocations`.
 */
export interface ReportRelated {
  /** Path relative to the root, forward slashes. */
  file: string;
  /** 1-based range; `end` is exclusive. */
  range: { start: ReportPosition; end: ReportPosition };
  /** What this location has to do with the finding. */
  message: string;
  /** True for a step of the cross-file data flow that leads to the finding (see `RelatedLocation.flow`). */
  flow?: boolean;
}

/** One finding in the JSON report: the documented shape (docs/design.md), plus the optional `related` list. */
export interface ReportFinding {
  /** Stable rule id. */
  ruleId: string;
  /** Canonical category. */
  category: Category;
  /** Effective severity. */
  severity: Severity;
  /** One-line message (secrets masked). */
  message: string;
  /** Path relative to the root, forward slashes. */
  file: string;
  /** 1-based range; `end` is exclusive, as in SARIF. */
  range: { start: ReportPosition; end: ReportPosition };
  /** Stable fingerprint. */
  fingerprint: string;
  /** Present when the finding is suppressed. */
  suppressed?: Suppression;
  /** Related locations, only when the finding has any (an addition to the required fields of docs/design.md). */
  related?: ReportRelated[];
  /** One sentence telling how to fix it (the rule's fix line, or its category's for a custom rule). */
  fix?: string;
  /** The rule's documentation page (`docs/rules/<id>.md` in the package, or an https URL); shipped rules only. */
  helpUri?: string;
}

/** Counts and facts about one scan (or the sum of merged shard scans). */
export interface ReportStats {
  /** Regex engine(s) used: `re2`, `js`, or both comma-separated after merging shards that differed. */
  regexBackend: RegexBackendName | string;
  /** Files read and scanned. */
  filesScanned: number;
  /** Files listed in `skipped`. */
  filesSkipped: number;
  /** Wall time of the scan in milliseconds (summed over merged shards). */
  durationMs: number;
  /** Number of rules enabled. */
  rules: number;
  /** Findings not suppressed. */
  findings: number;
  /** Findings suppressed (kept in the report, never counted against --fail-on). */
  suppressed: number;
  /** Unsuppressed findings by severity. */
  bySeverity: Record<Severity, number>;
  /** Detector errors (a rule that threw on a file); each is listed in `ruleErrors`. */
  ruleErrors: number;
  /**
   * Findings of the generic sink and secret heuristics left out because their files are test, script or build code
   * (shown with `--include-tests` or the config's `includeTests`); present only when some were, so a report without
   * any keeps the shape it always had.
   */
  hiddenInTests?: number;
}

/**
 * A rule that threw on a file. The file still counts as scanned and the other rules' findings are kept, but this
 * rule's findings on it are missing, so the result is incomplete and every format says so.
 */
export interface ReportRuleError {
  /** Path relative to the root, forward slashes. */
  file: string;
  /** The rule that failed. */
  ruleId: string;
  /** The error message (secrets masked). */
  message: string;
}

/** The JSON report (`--format json`), also the input of `mcp-sentinel merge`. */
export interface JsonReport {
  /** The tool that wrote it. */
  tool: { name: string; version: string };
  /** Absolute path of the scan root. */
  root: string;
  /** Findings, sorted by file, position and rule id. */
  findings: ReportFinding[];
  /** Files not scanned, with the reason, sorted by path. */
  skipped: SkippedFile[];
  /**
   * Rules that failed on a file, sorted by file and rule id; present only when some rule failed (like `related`),
   * so a clean report keeps the shape it always had.
   */
  ruleErrors?: ReportRuleError[];
  /** Counts and timings. */
  stats: ReportStats;
}

/** A few lines of scanned code around a finding, every secret-shaped value in them already masked. */
export interface Excerpt {
  /** 1-based number of the first line. */
  firstLine: number;
  /** The lines, without line breaks; not yet escaped for any format. */
  lines: readonly string[];
}

/**
 * Everything a report writer needs: the JSON report plus the rule metadata (SARIF defines every rule, HTML shows
 * titles) and, for HTML, the code excerpts. Writers never see a file's text: `buildReport` cuts and masks the
 * excerpts from the text that was scanned, so no writer can print an unmasked line or a line read after the scan.
 */
export interface ReportInput {
  /** The report data. */
  report: JsonReport;
  /** Metadata of the rules that ran (at least every rule a finding refers to). */
  rules: readonly RuleMeta[];
  /** The masked code excerpt of a finding of this report, when its scanned text is known. */
  excerpt?: (f: ReportFinding) => Excerpt | undefined;
  /** Why the report has no code excerpts at all (a merged report), shown by the HTML writer. */
  excerptsOmitted?: string;
}

/** Converts an engine finding (zero-based) into the report's 1-based shape. */
export function toReportFinding(f: Finding): ReportFinding {
  const r: ReportFinding = {
    ruleId: f.ruleId,
    category: f.category,
    severity: f.severity,
    message: f.message,
    file: f.file,
    range: {
      start: { line: f.range.start.line + 1, column: f.range.start.character + 1 },
      end: { line: f.range.end.line + 1, column: f.range.end.character + 1 },
    },
    fingerprint: f.fingerprint,
  };
  if (f.suppressed) r.suppressed = { kind: f.suppressed.kind, reason: f.suppressed.reason };
  if (f.related?.length) r.related = f.related.map(toReportRelated);
  return r;
}

/** Converts an engine related location (zero-based) into the report's 1-based shape. */
export function toReportRelated(r: NonNullable<Finding['related']>[number]): ReportRelated {
  return {
    file: r.file,
    range: {
      start: { line: r.range.start.line + 1, column: r.range.start.character + 1 },
      end: { line: r.range.end.line + 1, column: r.range.end.character + 1 },
    },
    message: r.message,
    ...(r.flow ? { flow: true } : {}),
  };
}

/** Zero counts for every severity. */
export function emptySeverityCounts(): Record<Severity, number> {
  return Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
}

/** Recomputes the finding counts of `stats` from a findings list. */
export function countFindings(
  findings: readonly ReportFinding[],
): Pick<ReportStats, 'findings' | 'suppressed' | 'bySeverity'> {
  const bySeverity = emptySeverityCounts();
  let suppressed = 0;
  for (const f of findings) {
    if (f.suppressed) suppressed++;
    else bySeverity[f.severity]++;
  }
  return { findings: findings.length - suppressed, suppressed, bySeverity };
}

/** Orders report findings by file, position and rule id (the engine's order). */
export function compareReportFindings(a: ReportFinding, b: ReportFinding): number {
  return (
    compareStrings(a.file, b.file) ||
    a.range.start.line - b.range.start.line ||
    a.range.start.column - b.range.start.column ||
    compareStrings(a.ruleId, b.ruleId) ||
    compareStrings(a.fingerprint, b.fingerprint)
  );
}

/** The tool's display name in SARIF (`tool.driver.name`) and the HTML report. */
export const TOOL_NAME = 'MCP Sentinel';

/** The tool's name in the JSON report's `tool.name` (what `merge` and scripts read; the CLI's command name). */
export const REPORT_TOOL_ID = 'mcp-sentinel';

/** Where SARIF viewers link for more about the tool. */
export const TOOL_URI = 'https://github.com/mcp-sentinel/mcp-sentinel';
