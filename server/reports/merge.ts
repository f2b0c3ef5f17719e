import { compareStrings } from '../core/order';
import {
  countFindings,
  compareReportFindings,
  REPORT_TOOL_ID,
  type JsonReport,
  type ReportFinding,
  type ReportRuleError,
} from './model';
import { cachedDetector, redactReport, type SecretDetector } from './redact';
import { validateReport } from './validate';

/** One report to merge, as read from disk: not trusted until `mergeReports` has validated it. */
export interface ReportSource {
  /** Where it came from (a file path), for error messages. */
  name: string;
  /** The parsed JSON. */
  value: unknown;
}

/**
 * Merges the JSON reports of the shards of one scan: each is validated first (schema, paths inside the root), then
 * findings are de-duplicated by fingerprint, skipped lists and rule errors merged, file counts and durations summed,
 * finding counts recomputed from the merged list, and every string masked with the secret detectors (a shard may
 * come from an older version, or from someone else). Throws when a report is invalid or the reports do not look
 * like shards of the same scan (different roots).
 */
export function mergeReports(sources: readonly ReportSource[], secrets: SecretDetector): JsonReport {
  if (sources.length === 0) throw new Error('merge needs at least one JSON report');
  const reports = sources.map((s) => validateReport(s.value, s.name));
  const first = reports[0]!;
  const roots = new Set(reports.map((r) => r.root));
  if (roots.size > 1) throw new Error(`reports come from different roots: ${[...roots].join(', ')}`);
  const findings = new Map<string, ReportFinding>();
  for (const r of reports) for (const f of r.findings) if (!findings.has(f.fingerprint)) findings.set(f.fingerprint, f);
  const skipped = new Map<string, string>();
  for (const r of reports) for (const s of r.skipped) if (!skipped.has(s.file)) skipped.set(s.file, s.reason);
  const errors = new Map<string, ReportRuleError>();
  for (const r of reports)
    for (const e of r.ruleErrors ?? []) errors.set(JSON.stringify([e.file, e.ruleId, e.message]), e);
  const ruleErrors = [...errors.values()].sort(
    (a, b) =>
      compareStrings(a.file, b.file) || compareStrings(a.ruleId, b.ruleId) || compareStrings(a.message, b.message),
  );
  // Reports written before rule errors were listed only count them.
  const unlisted = reports.reduce((n, r) => n + (r.ruleErrors ? 0 : (r.stats.ruleErrors ?? 0)), 0);
  const merged = [...findings.values()].sort(compareReportFindings);
  // Shards scan disjoint files, so what each left out in test and build code adds up.
  const hiddenInTests = reports.reduce((n, r) => n + (r.stats.hiddenInTests ?? 0), 0);
  const backends = [...new Set(reports.map((r) => r.stats.regexBackend))].sort();
  const report: JsonReport = {
    tool: { name: REPORT_TOOL_ID, version: first.tool.version },
    root: first.root,
    findings: merged,
    skipped: [...skipped.entries()]
      .map(([file, reason]) => ({ file, reason }))
      .sort((a, b) => compareStrings(a.file, b.file)),
    ...(ruleErrors.length ? { ruleErrors } : {}),
    stats: {
      regexBackend: backends.join(','),
      filesScanned: reports.reduce((n, r) => n + r.stats.filesScanned, 0),
      filesSkipped: skipped.size,
      durationMs: reports.reduce((n, r) => n + r.stats.durationMs, 0),
      rules: reports.reduce((n, r) => Math.max(n, r.stats.rules), -Infinity),
      ruleErrors: ruleErrors.length + unlisted,
      ...countFindings(merged),
      ...(hiddenInTests ? { hiddenInTests } : {}),
    },
  };
  return redactReport(report, cachedDetector(secrets));
}
