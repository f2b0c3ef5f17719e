import { countFindings, compareReportFindings, type JsonReport, type ReportFinding } from './model';

/**
 * Merges the JSON reports of the shards of one scan: findings de-duplicated by fingerprint, skipped lists merged,
 * file counts and durations summed, finding counts recomputed from the merged list. Throws when the reports do
 * not look like shards of the same scan (different roots) or are not JSON reports at all.
 */
export function mergeReports(reports: readonly JsonReport[]): JsonReport {
  if (reports.length === 0) throw new Error('merge needs at least one JSON report');
  for (const r of reports) {
    if (!r || typeof r !== 'object' || !Array.isArray(r.findings) || !Array.isArray(r.skipped) || !r.stats || !r.tool) {
      throw new Error('not an MCP Sentinel JSON report (expected tool, root, findings, skipped, stats)');
    }
  }
  const first = reports[0]!;
  const roots = new Set(reports.map((r) => r.root));
  if (roots.size > 1) throw new Error(`reports come from different roots: ${[...roots].join(', ')}`);
  const findings = new Map<string, ReportFinding>();
  for (const r of reports) for (const f of r.findings) if (!findings.has(f.fingerprint)) findings.set(f.fingerprint, f);
  const skipped = new Map<string, string>();
  for (const r of reports) for (const s of r.skipped) if (!skipped.has(s.file)) skipped.set(s.file, s.reason);
  const merged = [...findings.values()].sort(compareReportFindings);
  const backends = [...new Set(reports.map((r) => r.stats.regexBackend))].sort();
  return {
    tool: first.tool,
    root: first.root,
    findings: merged,
    skipped: [...skipped.entries()]
      .map(([file, reason]) => ({ file, reason }))
      .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0)),
    stats: {
      regexBackend: backends.join(','),
      filesScanned: reports.reduce((n, r) => n + r.stats.filesScanned, 0),
      filesSkipped: skipped.size,
      durationMs: reports.reduce((n, r) => n + r.stats.durationMs, 0),
      rules: Math.max(...reports.map((r) => r.stats.rules)),
      ruleErrors: reports.reduce((n, r) => n + (r.stats.ruleErrors ?? 0), 0),
      ...countFindings(merged),
    },
  };
}
