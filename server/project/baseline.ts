/**
 * The baseline file: the fingerprints of the findings a project has accepted for now, so that CI reports only new
 * ones (`mcp-sentinel baseline` writes it, `--baseline FILE` or the config's `baseline` applies it). Fingerprints
 * do not contain line numbers (see fingerprint.ts), so edits elsewhere in a file keep a baselined finding baselined.
 */
import { parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import type { Finding } from '../../shared/types';

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
    (a, b) => cmp(a.file, b.file) || cmp(a.ruleId, b.ruleId) || cmp(a.fingerprint, b.fingerprint),
  );
  const out: BaselineFile = {
    version: 1,
    tool: options.toolVersion ? { name: 'mcp-sentinel', version: options.toolVersion } : { name: 'mcp-sentinel' },
    ...(options.createdAt ? { createdAt: options.createdAt.toISOString() } : {}),
    fingerprints: entries,
  };
  return JSON.stringify(out, null, 2) + '\n';
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A malformed baseline, with the offset of the problem so callers can give a line and column. */
export class BaselineError extends Error {
  constructor(
    message: string,
    readonly offset: number,
    readonly length: number,
  ) {
    super(message);
    this.name = 'BaselineError';
  }
}

/** Parses a baseline file; throws BaselineError naming the problem and where it is. */
export function readBaseline(text: string): BaselineFile {
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
  const e = errors[0];
  if (e) throw new BaselineError(`baseline is not valid JSON: ${printParseErrorCode(e.error)}`, e.offset, e.length);
  if (!root || root.type !== 'object')
    throw new BaselineError(
      'baseline must be a JSON object with "version" and "fingerprints"',
      root?.offset ?? 0,
      root?.length ?? 0,
    );
  const prop = (n: Node, k: string) => n.children?.find((p) => p.children?.[0]?.value === k)?.children?.[1];
  const version = prop(root, 'version');
  if (!version) throw new BaselineError('baseline has no "version" (expected 1)', root.offset, 1);
  if (version.value !== 1)
    throw new BaselineError(
      `unsupported baseline version ${JSON.stringify(version.value)} (expected 1)`,
      version.offset,
      version.length,
    );
  const list = prop(root, 'fingerprints');
  if (!list || list.type !== 'array')
    throw new BaselineError('baseline "fingerprints" must be an array', list?.offset ?? root.offset, list?.length ?? 1);
  const tool = prop(root, 'tool');
  const toolName = tool && prop(tool, 'name')?.value;
  const toolVersion = tool && prop(tool, 'version')?.value;
  const createdAt = prop(root, 'createdAt')?.value;
  const fingerprints: BaselineEntry[] = [];
  for (const [i, el] of (list.children ?? []).entries()) {
    const fp = el.type === 'object' ? prop(el, 'fingerprint') : undefined;
    if (!fp || fp.type !== 'string' || fp.value === '') {
      throw new BaselineError(
        `baseline "fingerprints"[${i}] must be an object with a non-empty "fingerprint" string`,
        el.offset,
        el.length,
      );
    }
    const ruleId = prop(el, 'ruleId')?.value;
    const file = prop(el, 'file')?.value;
    fingerprints.push({
      fingerprint: fp.value as string,
      ruleId: typeof ruleId === 'string' ? ruleId : '',
      file: typeof file === 'string' ? file : '',
    });
  }
  return {
    version: 1,
    tool: {
      name: typeof toolName === 'string' ? toolName : 'mcp-sentinel',
      ...(typeof toolVersion === 'string' ? { version: toolVersion } : {}),
    },
    ...(typeof createdAt === 'string' ? { createdAt } : {}),
    fingerprints,
  };
}
