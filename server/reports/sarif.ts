import type { RuleMeta, Severity } from '../../shared/types';
import { TOOL_NAME, TOOL_URI, type JsonReport, type ReportFinding, type ReportInput } from './model';
import { compareStrings } from '../core/order';
import { flowOf } from './flow';

/** SARIF levels for our severities: critical/high are errors, medium a warning, low and info notes. */
const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  info: 'note',
};

/**
 * GitHub code scanning maps `security-severity` to its own buckets (>= 9 critical, >= 7 high, >= 4 medium,
 * > 0 low): pick a value inside each bucket so a finding keeps its severity there.
 */
const SECURITY_SEVERITY: Record<Severity, string> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
  info: '0.0',
};

/** "cmd-exec-tool-param" → "CmdExecToolParam": SARIF's `name` is meant to be an identifier. */
function pascal(id: string): string {
  return id.replace(/(^|[-_./])([a-z0-9])/gi, (_m, _s: string, ch: string) => ch.toUpperCase());
}

/** Percent-encodes each segment of a relative path so it is a valid relative URI reference. */
export function relativeUri(file: string): string {
  return file.split('/').map(encodeURIComponent).join('/');
}

function fileUri(absDir: string): string {
  const p = absDir.replace(/\\/g, '/');
  const withSlash = p.endsWith('/') ? p : p + '/';
  return 'file://' + (withSlash.startsWith('/') ? '' : '/') + withSlash.split('/').map(encodeURIComponent).join('/');
}

/** The rule's help: its fix line first (what a code-scanning alert shows above the fold), then its documentation. */
function helpOf(r: RuleMeta): { text: string; markdown: string } {
  const body = r.docs || r.description;
  if (!r.fix) return { text: body, markdown: body };
  return { text: `Fix: ${r.fix}\n\n${body}`, markdown: `**Fix.** ${r.fix}\n\n${body}` };
}

function ruleDescriptor(r: RuleMeta): Record<string, unknown> {
  const precision = (r as RuleMeta & { precision?: string }).precision ?? 'high';
  return {
    id: r.id,
    name: pascal(r.id),
    shortDescription: { text: r.title },
    fullDescription: { text: r.description },
    help: helpOf(r),
    // SARIF wants an absolute URI here: a page relative to the package would not resolve in a code-scanning viewer.
    ...(r.helpUri?.startsWith('https://') ? { helpUri: r.helpUri } : {}),
    defaultConfiguration: { level: LEVEL[r.severity] },
    properties: {
      tags: [
        'security',
        r.category,
        ...r.cwe.map((c) => (c.startsWith('CWE-') ? `external/cwe/${c.toLowerCase()}` : c)),
        ...r.owasp,
      ],
      precision,
      'security-severity': SECURITY_SEVERITY[r.severity],
    },
  };
}

/** A minimal descriptor for a finding whose rule is not in the catalogue (for example a merged custom rule). */
function syntheticMeta(f: ReportFinding): RuleMeta {
  return {
    id: f.ruleId,
    title: f.ruleId,
    description: f.message,
    category: f.category,
    severity: f.severity,
    cwe: [],
    owasp: [],
    kinds: [],
    keywords: [],
    docs: '',
  };
}

function region(r: ReportFinding['range']): Record<string, number> {
  return { startLine: r.start.line, startColumn: r.start.column, endLine: r.end.line, endColumn: r.end.column };
}

/** The rules a SARIF run defines, sorted by id: every rule that ran, and a synthetic one for each unknown rule id. */
export function sarifRules(rules: readonly RuleMeta[], unknown: Iterable<ReportFinding>): RuleMeta[] {
  const metas = new Map(rules.map((r) => [r.id, r]));
  for (const f of unknown) if (!metas.has(f.ruleId)) metas.set(f.ruleId, syntheticMeta(f));
  return [...metas.values()].sort((a, b) => compareStrings(a.id, b.id));
}

/** One finding as a SARIF result; `index` gives each rule's position in `tool.driver.rules`. */
export function sarifResult(f: ReportFinding, index: ReadonlyMap<string, number>): Record<string, unknown> {
  const res: Record<string, unknown> = {
    ruleId: f.ruleId,
    ruleIndex: index.get(f.ruleId),
    level: LEVEL[f.severity],
    message: { text: f.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: relativeUri(f.file), uriBaseId: '%SRCROOT%' },
          region: region(f.range),
        },
      },
    ],
    partialFingerprints: { 'mcpSentinel/v1': f.fingerprint },
    properties: { category: f.category, severity: f.severity },
  };
  const related = f.related;
  if (related?.length) {
    res.relatedLocations = related.map((r, i) => ({
      id: i + 1,
      message: { text: r.message },
      physicalLocation: {
        artifactLocation: { uri: relativeUri(r.file), uriBaseId: '%SRCROOT%' },
        region: region(r.range),
      },
    }));
  }
  // A cross-file flow is also a code flow, which viewers step through from the tool's declaration to the sink;
  // the related locations stay, for viewers that only read those.
  const flow = flowOf(f);
  if (flow) {
    res.codeFlows = [
      {
        threadFlows: [
          {
            locations: flow.map((s) => ({
              location: {
                physicalLocation: {
                  artifactLocation: { uri: relativeUri(s.file), uriBaseId: '%SRCROOT%' },
                  region: region(s.range),
                },
                message: { text: s.message },
              },
            })),
          },
        ],
      },
    ];
  }
  if (f.suppressed) {
    res.suppressions = [
      {
        kind: f.suppressed.kind === 'inline' || f.suppressed.kind === 'file' ? 'inSource' : 'external',
        status: 'accepted',
        justification: f.suppressed.reason || `suppressed by ${f.suppressed.kind}`,
        // SARIF has two kinds; our four are kept so a viewer can tell a file-wide comment from a line comment.
        properties: { mcpSentinelKind: f.suppressed.kind },
      },
    ];
  }
  return res;
}

/**
 * The SARIF log of a report around its results: `ordered` are the run's rules (`sarifRules`), and `results` the
 * serialised results, each already indented for its place (the streaming writer passes none and splices them in).
 */
function sarifLog(report: JsonReport, ordered: readonly RuleMeta[], results: unknown[]): string {
  const index = new Map(ordered.map((r, i) => [r.id, i]));
  const notifications = report.skipped.map((s) => ({
    level: /unreadable|not found|loop/.test(s.reason) ? 'warning' : 'note',
    message: { text: `Skipped ${s.file}: ${s.reason}` },
    descriptor: { id: 'skipped-file' },
    locations: [
      {
        physicalLocation: { artifactLocation: { uri: relativeUri(s.file.replace(/\/$/, '')), uriBaseId: '%SRCROOT%' } },
      },
    ],
  }));
  // A rule that threw leaves the run incomplete: SARIF's way to say so is an error notification naming the rule
  // and the file, and `executionSuccessful: false`, so code scanning does not read the missing results as fixed.
  const ruleErrors = (report.ruleErrors ?? []).map((e) => ({
    level: 'error',
    message: { text: `Rule ${e.ruleId} failed on ${e.file}: ${e.message}` },
    descriptor: { id: 'rule-error' },
    associatedRule: index.has(e.ruleId) ? { id: e.ruleId, index: index.get(e.ruleId) } : { id: e.ruleId },
    locations: [{ physicalLocation: { artifactLocation: { uri: relativeUri(e.file), uriBaseId: '%SRCROOT%' } } }],
  }));
  const failed = ruleErrors.length > 0 || report.stats.ruleErrors > 0;
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: TOOL_NAME,
            version: report.tool.version,
            semanticVersion: report.tool.version,
            informationUri: TOOL_URI,
            rules: ordered.map(ruleDescriptor),
          },
        },
        invocations: [{ executionSuccessful: !failed, toolExecutionNotifications: [...ruleErrors, ...notifications] }],
        originalUriBaseIds: { '%SRCROOT%': { uri: fileUri(report.root) } },
        columnKind: 'utf16CodeUnits',
        results,
        properties: {
          regexBackend: report.stats.regexBackend,
          filesScanned: report.stats.filesScanned,
          filesSkipped: report.stats.filesSkipped,
        },
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}

/**
 * Renders SARIF 2.1.0: one run, every rule that a result refers to defined in `tool.driver.rules` (with its
 * index), 1-based regions in UTF-16 code units, partial fingerprints, the canonical category, suppressions for
 * suppressed findings, and rule errors and skipped files as tool execution notifications.
 */
export function renderSarif(input: ReportInput): string {
  const { report } = input;
  const ordered = sarifRules(input.rules, report.findings);
  const index = new Map(ordered.map((r, i) => [r.id, i]));
  return sarifLog(
    report,
    ordered,
    report.findings.map((f) => sarifResult(f, index)),
  );
}

/** Where a run's results go in its serialised log: the empty results array, at its indentation. */
const RESULTS_SLOT = '\n      "results": []';

/** Indentation of one result inside the serialised log. */
export const SARIF_RESULT_INDENT = '        ';

/**
 * The serialised SARIF log split around its results, for the streaming writer (stream.ts): `head` ends with the
 * results' opening bracket and `tail` starts with their closing one. Results written between the two, each
 * serialised with two-space indentation, prefixed with SARIF_RESULT_INDENT on every line, separated by `,\n` and
 * framed by `\n` and `\n      `, give exactly the bytes `renderSarif` writes.
 */
export function sarifFrame(report: JsonReport, ordered: readonly RuleMeta[]): { head: string; tail: string } {
  const text = sarifLog(report, ordered, []);
  const at = text.indexOf(RESULTS_SLOT) + RESULTS_SLOT.length - 1;
  return { head: text.slice(0, at), tail: text.slice(at) };
}
