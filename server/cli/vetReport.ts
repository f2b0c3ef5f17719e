// The report of a vetted package: the scan's report with every path named after the package
// (`npm:<name>@<version>/<path>`) instead of the private folder it was unpacked in, the findings of the package
// rules (limits broken, entries refused) added, and the one-line summary people read first.
import { CAPABILITY_LABEL, type Capability } from '../../shared/capabilities';
import { SEVERITIES, type Severity } from '../../shared/types';
import { digest } from '../cache/store';
import type { ToolInventory } from '../engine/inventory';
import { unsafePathReason, type Extraction } from '../packages/extract';
import type { JsonReport, ReportFinding } from '../reports/model';
import { ruleCatalogue } from '../rules/catalogue';
import { metaRules } from '../rules/meta';
import { PACKAGE_LIMIT_EXCEEDED, PACKAGE_UNSAFE_ENTRY } from '../rules/packages';

/** `npm:<name>@<version>`: the root every path of a vetted package hangs from. */
export function packageRoot(name: string, version: string): string {
  return `npm:${name}@${version}`;
}

/** The report with `root` and every file path under the package's name. */
export function rewriteReport(report: JsonReport, root: string): JsonReport {
  const at = (file: string) => `${root}/${file}`;
  return {
    ...report,
    root,
    findings: report.findings.map((f) => ({
      ...f,
      file: at(f.file),
      ...(f.related ? { related: f.related.map((r) => ({ ...r, file: at(r.file) })) } : {}),
    })),
    skipped: report.skipped.map((s) => ({ ...s, file: at(s.file) })),
    ...(report.ruleErrors ? { ruleErrors: report.ruleErrors.map((e) => ({ ...e, file: at(e.file) })) } : {}),
  };
}

/** The inventory with every location under the package's name. */
export function rewriteInventory(inventory: ToolInventory, root: string): ToolInventory {
  const at = (file: string) => `${root}/${file}`;
  return {
    servers: inventory.servers.map((s) => ({
      ...s,
      tools: s.tools.map((t) => ({
        ...t,
        registration: { ...t.registration, file: at(t.registration.file) },
        capabilities: t.capabilities.map((c) => ({ ...c, sites: c.sites.map((x) => ({ ...x, file: at(x.file) })) })),
      })),
    })),
  };
}

/** A finding of a rule without a detector, on line 1 of `file` (a package path), in the report's shape. */
export function packageFinding(ruleId: string, file: string, message: string, severity?: Severity): ReportFinding {
  const rule = ruleCatalogue().find((r) => r.id === ruleId);
  if (!rule) throw new Error(`unknown rule ${ruleId}`);
  return {
    ruleId,
    category: rule.category,
    severity: severity ?? rule.severity,
    message,
    file,
    range: { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } },
    fingerprint: digest(ruleId, file, message).slice(0, 32),
    ...(rule.fix ? { fix: rule.fix } : {}),
    ...(rule.helpUri ? { helpUri: rule.helpUri } : {}),
  };
}

/** The package-rule findings of an extraction: the limit that stopped it and each refused entry. */
export function extractionFindings(x: Extraction, root: string): ReportFinding[] {
  const out: ReportFinding[] = [];
  if (x.broken)
    out.push(
      packageFinding(
        PACKAGE_LIMIT_EXCEEDED,
        `${root}/package.json`,
        `The package was read only in part: ${x.broken.message}; the files after that point were not scanned.`,
      ),
    );
  for (const r of x.refused) {
    // An entry with an ordinary path is reported at that path (without the archive's top folder); one whose path
    // is the problem is reported on the package's manifest, its path quoted in the message.
    const inside = unsafePathReason(r.path) ? undefined : r.path.replace(/\\/g, '/').split('/').slice(1).join('/');
    out.push(
      packageFinding(
        PACKAGE_UNSAFE_ENTRY,
        `${root}/${inside || 'package.json'}`,
        `Archive entry "${r.path}" was not unpacked: ${r.reason}.`,
      ),
    );
  }
  return out;
}

/**
 * The report with more findings: sorted in with the rest (file, position, rule), and the counts redone. The added
 * findings are never suppressed: a package cannot suppress what its archive did.
 */
export function withFindings(report: JsonReport, extra: readonly ReportFinding[]): JsonReport {
  if (extra.length === 0) return report;
  const findings = [...report.findings, ...extra].sort(
    (a, b) =>
      (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
      a.range.start.line - b.range.start.line ||
      a.range.start.column - b.range.start.column ||
      (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0),
  );
  const bySeverity = { ...report.stats.bySeverity };
  for (const f of extra) bySeverity[f.severity] = (bySeverity[f.severity] ?? 0) + 1;
  return {
    ...report,
    findings,
    stats: { ...report.stats, findings: report.stats.findings + extra.length, bySeverity },
  };
}

/** Unsuppressed findings by severity, highest first, as "1 high, 2 medium" ("no findings" when none). */
export function severityCounts(report: JsonReport): string {
  const parts: string[] = [];
  for (const s of SEVERITIES) {
    if (s === 'info') continue;
    const n = report.findings.filter((f) => !f.suppressed && f.severity === s).length;
    if (n) parts.push(`${n} ${s}`);
  }
  return parts.join(', ') || 'no findings';
}

/** "26 tools · network, runs shell · 1 high": the tools, their capabilities and the findings, for one line. */
export function vetSummary(report: JsonReport, inventory: ToolInventory): string {
  const tools = inventory.servers.reduce((n, s) => n + s.tools.length, 0);
  const caps = new Set<Capability>();
  for (const s of inventory.servers) for (const t of s.tools) for (const c of t.capabilities) caps.add(c.capability);
  const labels = [...caps].map((c) => CAPABILITY_LABEL[c]);
  return [
    `${tools} tool${tools === 1 ? '' : 's'}`,
    ...(labels.length ? [labels.join(', ')] : []),
    severityCounts(report),
  ].join(' · ');
}

/**
 * The report with the package's own suppressions undone: a package's inline comments and ignore entries were
 * written by its authors, not by the user vetting it, and a hostile package would use them to hide exactly what
 * vetting looks for. The meta findings about those suppressions (unused, without a reason) go too: they grade the
 * authors' hygiene, not the user's risk.
 */
export function unsuppressed(report: JsonReport): JsonReport {
  const meta = new Set(metaRules.map((r) => r.id));
  const findings = report.findings
    .filter((f) => !meta.has(f.ruleId))
    .map((f) => {
      if (!f.suppressed) return f;
      const { suppressed: _gone, ...rest } = f;
      return rest;
    });
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of findings) bySeverity[f.severity]++;
  return { ...report, findings, stats: { ...report.stats, findings: findings.length, suppressed: 0, bySeverity } };
}
