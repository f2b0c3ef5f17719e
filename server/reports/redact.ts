/**
 * Secret masking for everything a report emits. Rules mask the secret they report, but a token can also sit in a
 * tool, parameter, server or package name that another rule's message quotes, in a code excerpt next to a finding,
 * or in a shard report written by someone else. So every string a report carries goes through `maskSecretsIn`
 * once, with the secret detectors of the rule packs behind a callback: this folder does not import the rules, and
 * the front ends (CLI, language server) pass the detector in.
 */
import type { Finding } from '../../shared/types';
import { maskSecretsIn, type SecretDetector } from '../core/mask';
import type { JsonReport, ReportFinding, ReportRelated, ReportRuleError } from './model';

// The generic masking functions live in the kernel so the pin writer and the drift rule can mask names too.
export { cachedDetector, maskSecretsIn, maskSpans, mergeSpans, type SecretDetector, type TextSpan } from '../core/mask';

function maskRelated(r: ReportRelated, detect: SecretDetector): ReportRelated {
  return { ...r, message: maskSecretsIn(r.message, detect) };
}

/** A report finding with its message, related messages and suppression reason masked. */
export function redactReportFinding(f: ReportFinding, detect: SecretDetector): ReportFinding {
  const out: ReportFinding = { ...f, message: maskSecretsIn(f.message, detect) };
  if (f.suppressed) out.suppressed = { ...f.suppressed, reason: maskSecretsIn(f.suppressed.reason, detect) };
  if (f.related) out.related = f.related.map((r) => maskRelated(r, detect));
  return out;
}

/**
 * An engine finding with every emitted string masked (message, related messages, suppression reason), for front
 * ends that show findings without building a report: the language server's diagnostics and tree view.
 */
export function redactFinding(f: Finding, detect: SecretDetector): Finding {
  const out: Finding = { ...f, message: maskSecretsIn(f.message, detect) };
  if (f.suppressed) out.suppressed = { ...f.suppressed, reason: maskSecretsIn(f.suppressed.reason, detect) };
  if (f.related) out.related = f.related.map((r) => ({ ...r, message: maskSecretsIn(r.message, detect) }));
  return out;
}

/**
 * The report with every free-text string masked: finding messages, related-location messages, suppression
 * reasons, skipped reasons and rule error messages. Paths, rule ids and numbers are left alone: they are
 * locations and keys, and a report whose paths were rewritten could not be navigated or merged.
 */
export function redactReport(report: JsonReport, detect: SecretDetector): JsonReport {
  const out: JsonReport = {
    ...report,
    findings: report.findings.map((f) => redactReportFinding(f, detect)),
    skipped: report.skipped.map((s) => ({ ...s, reason: maskSecretsIn(s.reason, detect) })),
  };
  if (report.ruleErrors)
    out.ruleErrors = report.ruleErrors.map((e): ReportRuleError => ({
      ...e,
      message: maskSecretsIn(e.message, detect),
    }));
  return out;
}
