/**
 * The streamed report: a scan hands over each file's findings in path order and they go straight to the writers,
 * so a scan of a hundred thousand files never holds its findings, texts or serialised report in memory. The bytes
 * are exactly those of `buildReport` followed by `renderJson` / `renderSarif` (the tests compare them):
 *
 * - JSON is written as it comes: its findings come before everything that is only known at the end (skipped files,
 *   rule errors, statistics), so only those are held.
 * - SARIF defines its rules and lists the skipped files and rule errors before its results, so its results are
 *   spooled (one masked finding per line, `spool.ts`) and copied into the log at the end.
 * - Text and HTML print summaries and group findings, so they hold the report's findings (and, for HTML, each
 *   finding's masked excerpt, cut when its file comes by: the texts themselves are never kept).
 */
import type { Finding, RuleMeta } from '../../shared/types';
import { isInventoryFinding } from '../../shared/capabilities';
import { atLeast, type FailOn } from '../../shared/types';
import { toolVersion } from '../core/version';
import { assembleReport, type FindingCounts, type ReportParts } from './build';
import { excerptReader } from './excerpt';
import { withHelp } from './help';
import {
  compareReportFindings,
  emptySeverityCounts,
  REPORT_TOOL_ID,
  toReportFinding,
  type Excerpt,
  type JsonReport,
  type ReportFinding,
  type ReportInput,
} from './model';
import { cachedDetector, redactReportFinding, type SecretDetector } from './redact';
import { SARIF_RESULT_INDENT, sarifFrame, sarifResult, sarifRules } from './sarif';
import type { Spool } from './spool';

/** Where a writer's bytes go (a file or stdout); `write` is called with whole pieces of the report, in order. */
export interface ReportOutput {
  /** Appends to the output. */
  write(s: string): void;
}

/** One format's writer of a streamed report. */
export interface ReportWriter {
  /** True when the writer shows code excerpts (HTML): the stream then cuts them while each file's text is at hand. */
  readonly wantsExcerpts?: boolean;
  /** One file's findings: masked, with their help, in report order; excerpts when `wantsExcerpts`. */
  findings(list: readonly ReportFinding[], excerpts?: ReadonlyMap<ReportFinding, Excerpt>): void;
  /** The end of the scan: the report with every field but its findings, which the writer was given already. */
  end(report: JsonReport, rules: readonly RuleMeta[]): void;
}

/** What a streamed report knows before the first file: the root, the rules and the secret detectors. */
export interface StreamStart {
  /** Absolute root that paths are relative to. */
  root: string;
  /** The rules that ran, with their effective severity. */
  rules: readonly RuleMeta[];
  /** The secret detectors every string and excerpt is masked with. */
  secrets: SecretDetector;
}

/** Everything else a report holds, known when the scan ends (the fields of `ReportParts` but the findings). */
export type StreamEnd = Omit<ReportParts, 'findings' | 'source' | 'root' | 'rules' | 'secrets'>;

/** Indents every line of a serialised value. */
function indent(json: string, by: string): string {
  return by + json.replace(/\n/g, '\n' + by);
}

/** A streamed report feeding one or more writers; see the module comment. */
export class ReportStream {
  private readonly secrets: SecretDetector;
  private readonly counts: FindingCounts = { findings: 0, suppressed: 0, bySeverity: emptySeverityCounts() };
  /** Unsuppressed findings that can fail a build (not inventory), by severity. */
  private readonly failing = emptySeverityCounts();
  private readonly excerpts: boolean;

  constructor(
    private readonly start: StreamStart,
    private readonly writers: readonly ReportWriter[],
  ) {
    this.secrets = cachedDetector(start.secrets);
    this.excerpts = writers.some((w) => w.wantsExcerpts);
  }

  /** True when a writer needs each file's scanned text (for excerpts) with its findings. */
  get wantsText(): boolean {
    return this.excerpts;
  }

  /**
   * One file's engine findings (every one of them in that file), in path order of the files. `text` is the scanned
   * text, used for excerpts and then dropped.
   */
  file(engineFindings: readonly Finding[], text?: string): void {
    if (!engineFindings.length) return;
    const sorted = withHelp(engineFindings.map(toReportFinding), this.start.rules).sort(compareReportFindings);
    const list = sorted.map((f) => redactReportFinding(f, this.secrets));
    for (const f of list) {
      if (f.suppressed) this.counts.suppressed++;
      else {
        this.counts.findings++;
        this.counts.bySeverity[f.severity]++;
        if (!isInventoryFinding(f)) this.failing[f.severity]++;
      }
    }
    let excerpts: Map<ReportFinding, Excerpt> | undefined;
    if (this.excerpts && text !== undefined) {
      const read = excerptReader(() => text, list, this.secrets);
      excerpts = new Map();
      for (const f of list) {
        const e = read(f);
        if (e) excerpts.set(f, e);
      }
    }
    for (const w of this.writers) w.findings(list, excerpts);
  }

  /** Whether an unsuppressed finding that can fail a build (not an inventory one) is at or above `failOn`. */
  fails(failOn: FailOn): boolean {
    return Object.entries(this.failing).some(([s, n]) => n > 0 && atLeast(s as Finding['severity'], failOn));
  }

  /** Finishes every writer and returns the report without its findings (the statistics count them all). */
  end(rest: StreamEnd): JsonReport {
    const parts = { ...rest, root: this.start.root, rules: this.start.rules, secrets: this.start.secrets };
    const report = assembleReport(parts, [], this.counts, this.secrets);
    for (const w of this.writers) w.end(report, this.start.rules);
    return report;
  }
}

/** Where the JSON report's findings go in its serialised form. */
const FINDINGS_SLOT = '\n  "findings": []';

/**
 * The JSON writer: the report's first keys (tool and root, known before the scan) and each file's findings as they
 * come, the rest at the end. It writes nothing before the first finding, so a scan that fails early leaves no
 * partial report behind when it found nothing yet.
 */
export function jsonWriter(out: ReportOutput, root: string): ReportWriter {
  let written = 0;
  const slot = (text: string) => text.indexOf(FINDINGS_SLOT) + FINDINGS_SLOT.length - 1;
  return {
    findings(list) {
      let s = '';
      if (!written) {
        const head = JSON.stringify(
          { tool: { name: REPORT_TOOL_ID, version: toolVersion() }, root, findings: [] },
          null,
          2,
        );
        s = head.slice(0, slot(head));
      }
      for (const f of list) s += (written++ ? ',\n' : '\n') + indent(JSON.stringify(f, null, 2), '    ');
      out.write(s);
    },
    end(report) {
      const text = JSON.stringify({ ...report, findings: [] }, null, 2) + '\n';
      if (!written) out.write(text);
      else out.write('\n  ' + text.slice(slot(text)));
    },
  };
}

/**
 * The SARIF writer: each finding spooled as it comes, the log written at the end with the spooled results copied
 * into it one at a time (the rules a run defines depend on every finding, and the notifications come first).
 */
export function sarifWriter(out: ReportOutput, spool: Spool): ReportWriter {
  const unknown = new Map<string, ReportFinding>();
  let known: Set<string> | undefined;
  return {
    findings(list) {
      for (const f of list) {
        spool.append(JSON.stringify(f));
        // The first finding of a rule the run does not define names its synthetic descriptor, as in renderSarif.
        if (!unknown.has(f.ruleId)) unknown.set(f.ruleId, f);
      }
    },
    end(report, rules) {
      known = new Set(rules.map((r) => r.id));
      const ordered = sarifRules(
        rules,
        [...unknown.values()].filter((f) => !known!.has(f.ruleId)),
      );
      const index = new Map(ordered.map((r, i) => [r.id, i]));
      const { head, tail } = sarifFrame(report, ordered);
      out.write(head);
      let n = 0;
      for (const line of spool.lines()) {
        const f = JSON.parse(line) as ReportFinding;
        out.write((n++ ? ',\n' : '\n') + indent(JSON.stringify(sarifResult(f, index), null, 2), SARIF_RESULT_INDENT));
      }
      out.write((n ? '\n      ' : '') + tail);
      spool.dispose();
    },
  };
}

/**
 * A writer that holds the findings and renders the whole report at the end (text and HTML, which print summaries
 * and group findings). HTML also holds each finding's masked excerpt, never a file's text.
 */
export function bufferedWriter(
  out: ReportOutput,
  render: (input: ReportInput) => string,
  options: { excerpts?: boolean } = {},
): ReportWriter {
  const findings: ReportFinding[] = [];
  const excerpts = new Map<ReportFinding, Excerpt>();
  return {
    wantsExcerpts: !!options.excerpts,
    findings(list, cut) {
      for (const f of list) {
        findings.push(f);
        const e = cut?.get(f);
        if (e) excerpts.set(f, e);
      }
    },
    end(report, rules) {
      const input: ReportInput = { report: { ...report, findings }, rules };
      if (options.excerpts) input.excerpt = (f) => excerpts.get(f);
      out.write(render(input));
    },
  };
}
