/**
 * The baseline file: the fingerprints of the findings a project has accepted for now, so that CI reports only new
 * ones (`mcp-sentinel baseline` writes it, `--baseline FILE` or the config's `baseline` applies it): its format,
 * writer, reader and loader. Fingerprints do not contain line numbers (see server/core/fingerprint.ts), so edits
 * elsewhere in a file keep a baselined finding baselined.
 */
import { existsSync } from 'node:fs';
import { findNodeAtLocation, parseTree, type Node } from 'jsonc-parser';
import type { Finding } from '../../shared/types';
import { compareStrings } from '../core/order';
import { ErrorSink, parseProjectJson, projectJsonProblem, readProjectFile, type JsonSyntax } from './jsonCheck';
import type { ConfigError } from './types';

/** One accepted finding. `ruleId` and `file` are there for people reading the file and for diffs. */
export interface BaselineEntry {
  /** The finding's fingerprint (what matching uses). */
  fingerprint: string;
  /** The rule that produced it. */
  ruleId: string;
  /** Its file, relative to the project root. */
  file: string;
}

/** The baseline file's shape (version 1). */
export interface BaselineFile {
  /** Format version; readers reject versions they do not know. */
  version: 1;
  /** The tool that wrote it. */
  tool: { name: string; version?: string };
  /** When it was written (ISO date-time); omitted unless asked for, so re-running on unchanged code is a no-op diff. */
  createdAt?: string;
  /** Accepted findings, sorted by file, rule id and fingerprint. */
  fingerprints: BaselineEntry[];
}

/** Options for writing a baseline. */
export interface WriteBaselineOptions {
  /** The tool's version, recorded in the file. */
  toolVersion?: string;
  /** A creation time to record (omitted by default for stable output). */
  createdAt?: Date;
}

/**
 * The findings a baseline should hold: unsuppressed ones and ones already accepted by a baseline. Findings
 * suppressed inline or by the ignore file have their own record and stay out, so removing such a comment later
 * makes the finding show up again rather than being silently baselined.
 */
export function baselineCandidates(findings: readonly Finding[]): Finding[] {
  return findings.filter((f) => !f.suppressed || f.suppressed.kind === 'baseline');
}

/** Serialises a baseline: stable order, no duplicates, two-space indentation and a final new line. */
export function writeBaseline(findings: readonly Finding[], options: WriteBaselineOptions = {}): string {
  const byFp = new Map<string, BaselineEntry>();
  for (const f of baselineCandidates(findings))
    byFp.set(f.fingerprint, { fingerprint: f.fingerprint, ruleId: f.ruleId, file: f.file });
  const entries = [...byFp.values()].sort(
    (a, b) =>
      compareStrings(a.file, b.file) ||
      compareStrings(a.ruleId, b.ruleId) ||
      compareStrings(a.fingerprint, b.fingerprint),
  );
  const out: BaselineFile = {
    version: 1,
    tool: options.toolVersion ? { name: 'mcp-sentinel', version: options.toolVersion } : { name: 'mcp-sentinel' },
    ...(options.createdAt ? { createdAt: options.createdAt.toISOString() } : {}),
    fingerprints: entries,
  };
  return JSON.stringify(out, null, 2) + '\n';
}

/**
 * The baseline's syntax: JSONC, because people merge and trim it by hand. Only the first error is reported, as
 * every later check is: a malformed baseline is rejected whole, and the first problem is the one to fix.
 */
const BASELINE_SYNTAX: JsonSyntax = {
  jsonc: true,
  allowEmpty: false,
  firstErrorOnly: true,
  message: (_words, code) => `baseline is not valid JSON: ${code}`,
};

/** A parsed baseline, or the problem that makes the text unusable. */
export interface ParsedBaseline {
  /** The baseline, when the text is valid. */
  baseline?: BaselineFile;
  /** The first problem, with its position in `file` (an empty list when the text is valid). */
  errors: ConfigError[];
}

/** Parses and validates a baseline's text; `file` is the absolute path the errors name. */
export function parseBaseline(text: string, file: string): ParsedBaseline {
  const sink = new ErrorSink(file, text);
  const failed = (offset: number, length: number, message: string): ParsedBaseline => {
    sink.at(offset, length, message);
    return { errors: sink.errors };
  };
  const root = parseProjectJson(sink, BASELINE_SYNTAX);
  if (sink.errors.length) return { errors: sink.errors };
  if (!root || root.type !== 'object')
    return failed(
      root?.offset ?? 0,
      root?.length ?? 0,
      'baseline must be a JSON object with "version" and "fingerprints"',
    );
  // The first property of a name counts: the writer never repeats one, and the reader has always read it so.
  const prop = (n: Node, k: string) => n.children?.find((p) => p.children?.[0]?.value === k)?.children?.[1];
  const version = prop(root, 'version');
  if (!version) return failed(root.offset, 1, 'baseline has no "version" (expected 1)');
  if (version.value !== 1)
    return failed(
      version.offset,
      version.length,
      `unsupported baseline version ${JSON.stringify(version.value)} (expected 1)`,
    );
  const list = prop(root, 'fingerprints');
  if (!list || list.type !== 'array')
    return failed(list?.offset ?? root.offset, list?.length ?? 1, 'baseline "fingerprints" must be an array');
  const tool = prop(root, 'tool');
  const toolName = tool && prop(tool, 'name')?.value;
  const toolVersion = tool && prop(tool, 'version')?.value;
  const createdAt = prop(root, 'createdAt')?.value;
  const fingerprints: BaselineEntry[] = [];
  for (const [i, el] of (list.children ?? []).entries()) {
    const fp = el.type === 'object' ? prop(el, 'fingerprint') : undefined;
    if (!fp || fp.type !== 'string' || fp.value === '')
      return failed(
        el.offset,
        el.length,
        `baseline "fingerprints"[${i}] must be an object with a non-empty "fingerprint" string`,
      );
    const ruleId = prop(el, 'ruleId')?.value;
    const file = prop(el, 'file')?.value;
    fingerprints.push({
      fingerprint: fp.value as string,
      ruleId: typeof ruleId === 'string' ? ruleId : '',
      file: typeof file === 'string' ? file : '',
    });
  }
  const baseline: BaselineFile = {
    version: 1,
    tool: {
      name: typeof toolName === 'string' ? toolName : 'mcp-sentinel',
      ...(typeof toolVersion === 'string' ? { version: toolVersion } : {}),
    },
    ...(typeof createdAt === 'string' ? { createdAt } : {}),
    fingerprints,
  };
  return { baseline, errors: [] };
}

/** The outcome of loading a baseline file. */
export interface LoadedBaseline {
  /** The accepted fingerprints, when the file was read and is valid. */
  fingerprints?: ReadonlySet<string>;
  /** The problem that kept it from loading (empty when it loaded). */
  errors: ConfigError[];
}

/**
 * Reads the baseline at `file` (absolute). A missing file that the config named (`configFile` is then the
 * config's absolute path) is reported at the config's `baseline` value, where the user can fix the name; other
 * problems at their position in the baseline itself.
 */
export function loadBaseline(file: string, configFile?: string): LoadedBaseline {
  const errors: ConfigError[] = [];
  if (!existsSync(file)) {
    if (configFile) {
      const text = readProjectFile(configFile, errors, 'the config') ?? '';
      // The config is only searched for the `baseline` value to point at; one nested too deeply to parse safely
      // (its own loader reports that) gets the error at its first character.
      const tree = projectJsonProblem(text) ? undefined : parseTree(text);
      const node = tree ? findNodeAtLocation(tree, ['baseline']) : undefined;
      new ErrorSink(configFile, text, errors).at(
        node?.offset ?? 0,
        node?.length ?? 0,
        `baseline file not found: ${file} (create it with "mcp-sentinel baseline")`,
      );
    } else new ErrorSink(file, '', errors).at(0, 0, `baseline file not found: ${file}`);
    return { errors };
  }
  const text = readProjectFile(file, errors, 'the baseline');
  if (text === undefined) return { errors };
  const parsed = parseBaseline(text, file);
  if (!parsed.baseline) return { errors: parsed.errors };
  return { fingerprints: new Set(parsed.baseline.fingerprints.map((f) => f.fingerprint)), errors };
}
