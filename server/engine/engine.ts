import type { Category, FileKind, Finding, Severity } from '../../shared/types';
import { fingerprint, normaliseMatch } from '../core/fingerprint';
import type { KeywordPrefilter, RegexBackend, ScanText } from '../core/regex';
import { regexBackend } from '../core/regex';
import { compareFindings } from '../core/order';
import type { DetectContext, RawFinding, Rule } from '../core/rule';
import { LineIndex } from '../core/text';

/** Per-rule and per-category overrides: a severity, or `off` to disable. */
export interface RuleOverrides {
  /** By rule id. */
  rules?: Record<string, Severity | 'off'>;
  /** By category; a rule override wins over its category's. */
  categories?: Partial<Record<Category, Severity | 'off'>>;
}

/** The severity of a rule after overrides (a rule's own override wins over its category's), or `off`. */
export function effectiveSeverity(
  rule: Pick<Rule, 'id' | 'category' | 'severity'>,
  o: RuleOverrides,
): Severity | 'off' {
  return o.rules?.[rule.id] ?? o.categories?.[rule.category] ?? rule.severity;
}

/** A detector that threw; the rest of the document is still scanned and the error is reported, not swallowed. */
export interface RuleError {
  /** The rule that failed. */
  ruleId: string;
  /** File it failed on. */
  file: string;
  /** The error message. */
  message: string;
}

/** The result of scanning one document. */
export interface DocumentResult {
  /** Findings, sorted by position. Suppression is applied later (see suppress/apply.ts). */
  findings: Finding[];
  /** Detector errors. */
  errors: RuleError[];
  /** The kind the document was scanned as, or undefined when no rule applies to it. */
  kind: FileKind | undefined;
  /**
   * Unsuppressed findings left out because the document is test, script or build code (see fileRoles.ts); absent
   * when none were.
   */
  hiddenInTests?: number;
  /**
   * Candidates set aside, with the reason (the CLI's `--verbose` log): secret values judged placeholders or
   * fixtures, and findings left out of test, script and build code; absent when none.
   */
  dismissed?: DismissedCandidate[];
}

/** A candidate a rule looked at and did not report, as the `--verbose` log prints it. */
export interface DismissedCandidate {
  /** The rule that set it aside. */
  ruleId: string;
  /** 1-based line of the value. */
  line: number;
  /** The value, masked (prefix and length); for a whole finding left out, its message (secrets already masked). */
  masked: string;
  /** Why it was not reported. */
  reason: string;
}

/**
 * The engine: a fixed rule set compiled for one regex backend. Build it once and scan many documents; it holds
 * no per-document state, so a worker thread keeps one for its lifetime.
 */
export class Engine {
  readonly backend: RegexBackend;
  private readonly byKind = new Map<FileKind, { rules: Rule[]; prefilter: KeywordPrefilter }>();

  constructor(
    readonly rules: readonly Rule[],
    private readonly overrides: RuleOverrides = {},
    backend?: RegexBackend,
  ) {
    this.backend = backend ?? regexBackend();
    const seen = new Set<string>();
    for (const r of rules) {
      if (seen.has(r.id)) throw new Error(`duplicate rule id: ${r.id}`);
      seen.add(r.id);
    }
  }

  /** The effective severity of a rule after overrides, or `off`. */
  severityOf(rule: Rule): Severity | 'off' {
    return effectiveSeverity(rule, this.overrides);
  }

  private rulesFor(kind: FileKind): { rules: Rule[]; prefilter: KeywordPrefilter } {
    let entry = this.byKind.get(kind);
    if (!entry) {
      const rules = this.rules.filter((r) => r.kinds.includes(kind) && this.severityOf(r) !== 'off');
      entry = { rules, prefilter: this.backend.prefilter(rules.map((r) => r.keywords)) };
      this.byKind.set(kind, entry);
    }
    return entry;
  }

  /**
   * False when no enabled rule for `kind` can report on the document at `path`: none of their keywords occurs in it
   * (one pass of the keyword prefilter, an RE2.Set under re2) and none runs without keywords, or every rule selected
   * says it does not apply (`Rule.applies`). `scan` runs exactly the rules this pass selects, so a document it rules
   * out yields no detector finding and parses nothing.
   */
  mayReport(kind: FileKind, doc: ScanText, path: string, text: string): boolean {
    const { rules, prefilter } = this.rulesFor(kind);
    for (const i of prefilter.matching(doc)) if (rules[i]!.applies?.(path, text) ?? true) return true;
    return false;
  }

  /**
   * Scans the document of a detector context. The caller creates the context (`createDetectContext`) and disposes
   * it, so whoever else reads the document (the workspace facts, the suppression comments) shares its memoised
   * analyses: one parse and one metadata extraction per document.
   * With `ruleTimes`, each detector's time in milliseconds is added
   * under its rule id (the scan service's per-rule metric). With `detect`, each selected rule's raw findings come
   * from it instead of the rule's own detector (the editor's incremental scan reuses findings across an edit).
   */
  scan(
    ctx: DetectContext,
    ruleTimes?: Map<string, number>,
    detect: (rule: Rule, ctx: DetectContext) => RawFinding[] = (rule, c) => rule.detect(c),
  ): DocumentResult {
    const { path: file, text, kind, doc, lines } = ctx;
    const { rules, prefilter } = this.rulesFor(kind);
    const findings: Finding[] = [];
    const errors: RuleError[] = [];
    const fingerprints = new Fingerprints(file);
    const selected = new Set<number>();
    for (const i of prefilter.matching(doc)) if (rules[i]!.applies?.(file, text) ?? true) selected.add(i);
    // A helper module that tools of other files reach never says "tool": the capability rules run on it anyway.
    if (ctx.workspace.toolReach?.has(file)) rules.forEach((r, i) => r.category === 'capability' && selected.add(i));
    for (const i of [...selected].sort((a, b) => a - b)) {
      const rule = rules[i]!;
      let raw: RawFinding[];
      const t0 = ruleTimes ? performance.now() : 0;
      try {
        raw = detect(rule, ctx);
      } catch (e) {
        errors.push({ ruleId: rule.id, file, message: e instanceof Error ? e.message : String(e) });
        continue;
      } finally {
        if (ruleTimes) ruleTimes.set(rule.id, (ruleTimes.get(rule.id) ?? 0) + performance.now() - t0);
      }
      const severity = this.severityOf(rule) as Severity;
      for (const r of dedupe(raw)) {
        const fp = fingerprints.next(rule.id, r.key ?? text.slice(r.start, r.end));
        findings.push(toFinding(rule, r, file, lines, severity, fp));
      }
    }
    findings.sort(compareFindings);
    return { findings, errors, kind };
  }
}

/**
 * The fingerprints of one document's findings: rule id, path and normalised match, plus how many times the same
 * rule matched the same text earlier in the document, so two identical lines get distinct fingerprints. The engine
 * numbers detector findings with it and the suppression pass numbers its meta findings, so both follow one scheme.
 */
export class Fingerprints {
  private readonly occurrences = new Map<string, number>();

  /** `file` is the document's path relative to the project root, forward slashes. */
  constructor(private readonly file: string) {}

  /** The fingerprint of the next finding of `ruleId` whose match (or fingerprint key) is `key`. */
  next(ruleId: string, key: string): string {
    const normalised = normaliseMatch(key);
    const occKey = ruleId + '\0' + normalised;
    const n = this.occurrences.get(occKey) ?? 0;
    this.occurrences.set(occKey, n + 1);
    return fingerprint(ruleId, this.file, normalised, n);
  }
}

function toFinding(rule: Rule, r: RawFinding, file: string, lines: LineIndex, severity: Severity, fp: string): Finding {
  const f: Finding = {
    ruleId: rule.id,
    category: rule.category,
    severity: rule.severity === severity && r.severity ? r.severity : severity,
    message: r.message,
    file,
    range: lines.rangeOf(r.start, r.end),
    fingerprint: fp,
    cwe: rule.cwe,
  };
  if (r.related?.length)
    f.related = r.related.map((x) =>
      'file' in x
        ? {
            file: x.file,
            range: { start: { line: x.line, character: x.character }, end: { line: x.line, character: x.character } },
            message: x.message,
            // A location in another file is a hop of a cross-file flow (core/rule.ts) unless the rule says it only
            // explains the finding: the reports draw the flow from the hops.
            ...(x.flow === false ? {} : { flow: true }),
          }
        : { file, range: lines.rangeOf(x.start, x.end), message: x.message, ...(x.flow ? { flow: true } : {}) },
    );
  if (r.fix)
    f.fix = {
      title: r.fix.title,
      edits: r.fix.edits.map((e) => ({ range: lines.rangeOf(e.start, e.end), newText: e.newText })),
    };
  return f;
}

/** Drops exact duplicates a detector may produce when two of its patterns hit the same span. */
function dedupe(raw: RawFinding[]): RawFinding[] {
  const seen = new Set<string>();
  return raw.filter((r) => {
    const k = `${r.start}:${r.end}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
