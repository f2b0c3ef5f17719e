import type { Finding, RegexBackendName, RuleMeta, SkippedFile } from '../../shared/types';
import { compareStrings } from '../core/order';
import { toolVersion } from '../core/version';
import { excerptReader } from './excerpt';
import {
  compareReportFindings,
  countFindings,
  REPORT_TOOL_ID,
  toReportFinding,
  type JsonReport,
  type ReportFinding,
  type ReportInput,
  type ReportRuleError,
} from './model';
import { withHelp } from './help';
import { cachedDetector, redactReport, type SecretDetector } from './redact';

/** What a front end knows after a scan; `buildReport` turns it into the one report every format renders. */
export interface ReportParts {
  /** Absolute root that findings' and skipped files' paths are relative to. */
  root: string;
  /** Findings as the engine returned them (zero-based ranges, `file` relative to the root), in any order. */
  findings: readonly Finding[];
  /** Files left out, with the reason, in any order. */
  skipped: readonly SkippedFile[];
  /** The rules that ran, with their effective severity (SARIF defines each result's rule from these). */
  rules: readonly RuleMeta[];
  /** The regex backend the scan ran on. */
  regexBackend: RegexBackendName | string;
  /** Files read and scanned. */
  filesScanned: number;
  /** Wall time of the scan in milliseconds (0 when the report is assembled from results kept over time). */
  durationMs: number;
  /** Rules that threw on a file during the scan, in any order (`file` relative to the root). */
  ruleErrors: readonly ReportRuleError[];
  /** Findings left out because their files are test, script or build code (`engine/fileRoles.ts`); 0 or absent when none. */
  hiddenInTests?: number;
  /** The scanned text of a file, for HTML code excerpts (never a re-read of the file). */
  source?: (file: string) => string | undefined;
  /**
   * The secret detectors, required so that no front end can assemble a report without them: every string of the
   * report and every code excerpt is masked with what they find.
   */
  secrets: SecretDetector;
}

/** Orders rule errors by file, then rule id, then message. */
function compareRuleErrors(a: ReportRuleError, b: ReportRuleError): number {
  return compareStrings(a.file, b.file) || compareStrings(a.ruleId, b.ruleId) || compareStrings(a.message, b.message);
}

/** Counts of the findings a report holds (`countFindings`), which a streamed report keeps as it goes. */
export type FindingCounts = Pick<JsonReport['stats'], 'findings' | 'suppressed' | 'bySeverity'>;

/**
 * The report of a scan around `findings` (already in report order, with their help), masked: the one place that
 * decides the report's key order, skipped order, rule error order and statistics, for `buildReport` and the
 * streamed report (stream.ts), which passes no findings and the counts it kept.
 */
export function assembleReport(
  parts: Omit<ReportParts, 'findings' | 'source'>,
  findings: ReportFinding[],
  counts: FindingCounts,
  secrets: SecretDetector,
): JsonReport {
  const skipped = [...parts.skipped].sort((a, b) => compareStrings(a.file, b.file));
  const ruleErrors = parts.ruleErrors
    .map((e) => ({ file: e.file, ruleId: e.ruleId, message: e.message }))
    .sort(compareRuleErrors);
  return redactReport(
    {
      tool: { name: REPORT_TOOL_ID, version: toolVersion() },
      root: parts.root,
      findings,
      skipped,
      ...(ruleErrors.length ? { ruleErrors } : {}),
      stats: {
        regexBackend: parts.regexBackend,
        filesScanned: parts.filesScanned,
        filesSkipped: skipped.length,
        durationMs: Math.round(parts.durationMs),
        rules: parts.rules.length,
        ruleErrors: ruleErrors.length,
        ...counts,
        ...(parts.hiddenInTests ? { hiddenInTests: parts.hiddenInTests } : {}),
      },
    },
    secrets,
  );
}

/**
 * Assembles the report of a scan: the same tool name and version, finding order, skipped order and statistics
 * whether the CLI scanned a folder or the editor exports what it holds, so the two can be compared byte for byte.
 * Every string is masked with the secret detectors, and HTML excerpts come only from the scanned texts.
 */
export function buildReport(parts: ReportParts): ReportInput {
  const secrets = cachedDetector(parts.secrets);
  const findings = withHelp(parts.findings.map(toReportFinding), parts.rules).sort(compareReportFindings);
  const report = assembleReport(parts, findings, countFindings(findings), secrets);
  const input: ReportInput = { report, rules: parts.rules };
  if (parts.source) input.excerpt = excerptReader(parts.source, report.findings, secrets);
  return input;
}
