/**
 * Secret masking for everything a report emits. Rules mask the secret they report, but a token can also sit in a
 * tool, parameter, server or package name that another rule's message quotes, in a code excerpt next to a finding,
 * or in a shard report written by someone else. So every string a report carries goes through `maskSecretsIn`
 * once, with the secret detectors of the rule packs behind a callback: this folder does not import the rules, and
 * the front ends (CLI, language server) pass the detector in.
 */
import type { Finding } from '../../shared/types';
import { maskSecret } from '../core/mask';
import type { JsonReport, ReportFinding, ReportRelated, ReportRuleError } from './model';

/** A half-open span of UTF-16 offsets into a string. */
export interface TextSpan {
  /** Inclusive start offset. */
  start: number;
  /** Exclusive end offset. */
  end: number;
}

/**
 * Finds every secret-shaped value in a string and returns the spans to mask (in any order, possibly overlapping).
 * `path`, when given, is the file the text comes from, so a detector may also run the format-aware rules of that
 * kind of file (an MCP client config's `env` values, for example); without it the text is read as plain text.
 */
export type SecretDetector = (text: string, path?: string) => readonly TextSpan[];

/** Sorts spans, drops empty ones and joins overlapping or touching ones, so each secret is masked once. */
export function mergeSpans(spans: readonly TextSpan[]): TextSpan[] {
  const sorted = spans.filter((s) => s.end > s.start).sort((a, b) => a.start - b.start || a.end - b.end);
  const out: TextSpan[] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last && s.start <= last.end) last.end = Math.max(last.end, s.end);
    else out.push({ start: s.start, end: s.end });
  }
  return out;
}

/** Replaces each span of `text` by its mask (`maskSecret`: a short prefix and the length). */
export function maskSpans(text: string, spans: readonly TextSpan[]): string {
  const merged = mergeSpans(spans.map((s) => ({ start: Math.max(0, s.start), end: Math.min(text.length, s.end) })));
  let out = '';
  let at = 0;
  for (const s of merged) {
    out += text.slice(at, s.start) + maskSecret(text.slice(s.start, s.end));
    at = s.end;
  }
  return out + text.slice(at);
}

/** Masks every secret-shaped value the detector finds in `text`. */
export function maskSecretsIn(text: string, detect: SecretDetector): string {
  if (text.length === 0) return text;
  const spans = detect(text);
  return spans.length ? maskSpans(text, spans) : text;
}

/**
 * A detector that remembers its answers: report messages repeat (one rule, many findings) and the same names come
 * back in every format, so each distinct string is scanned once.
 */
export function cachedDetector(detect: SecretDetector, capacity = 10_000): SecretDetector {
  const seen = new Map<string, readonly TextSpan[]>();
  return (text, path) => {
    if (path !== undefined) return detect(text, path);
    let spans = seen.get(text);
    if (!spans) {
      spans = detect(text);
      // A bounded cache: a hostile report with millions of distinct messages must not grow memory without end.
      if (seen.size >= capacity) seen.clear();
      seen.set(text, spans);
    }
    return spans;
  };
}

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
