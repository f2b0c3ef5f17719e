import type { Finding, RegexBackendName, RuleMeta, SkippedFile } from '../../shared/types';
import { compareStrings } from '../core/order';
import { toolVersion } from '../core/version';
import { compareReportFindings, countFindings, REPORT_TOOL_ID, toReportFinding, type ReportInput } from './model';

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
  /** Detector errors during the scan. */
  ruleErrors: number;
  /** The scanned text of a file, for HTML code context (never a re-read of the file). */
  source?: (file: string) => string | undefined;
}

/**
 * Assembles the report of a scan: the same tool name and version, finding order, skipped order and statistics
 * whether the CLI scanned a folder or the editor exports what it holds, so the two can be compared byte for byte.
 */
export function buildReport(parts: ReportParts): ReportInput {
  const findings = parts.findings.map(toReportFinding).sort(compareReportFindings);
  const skipped = [...parts.skipped].sort((a, b) => compareStrings(a.file, b.file));
  const input: ReportInput = {
    report: {
      tool: { name: REPORT_TOOL_ID, version: toolVersion() },
      root: parts.root,
      findings,
      skipped,
      stats: {
        regexBackend: parts.regexBackend,
        filesScanned: parts.filesScanned,
        filesSkipped: skipped.length,
        durationMs: Math.round(parts.durationMs),
        rules: parts.rules.length,
        ruleErrors: parts.ruleErrors,
        ...countFindings(findings),
      },
    },
    rules: parts.rules,
  };
  if (parts.source) input.source = parts.source;
  return input;
}
