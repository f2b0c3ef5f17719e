/**
 * Suppression, decided once in the engine so the CLI, the editor and every report agree. The passes run in this
 * order: inline directives (directives.ts), then the ignore list (config `ignore` and `.mcp-sentinel/ignore.json`),
 * then the baseline. Suppressed findings stay in the results with `suppressed: { kind, reason }`; problems with the
 * suppressions themselves (no reason, unused, malformed, expired) become findings of the meta rules (rules/meta.ts).
 */
import type { Finding, Range, Severity, Suppression } from '../../../shared/types';
import { didYouMean } from '../../core/suggest';
import { globMatcher } from '../../core/glob';
import { compareFindings } from '../../core/order';
import type { DetectContext } from '../../core/rule';
import type { IgnoreEntry } from '../../project/types';
import { EXPIRED_IGNORE, INVALID_SUPPRESSION, SUPPRESSION_WITHOUT_REASON, UNUSED_SUPPRESSION } from '../../rules/meta';
import { Fingerprints } from '../engine';
import { findDirectives, formatDirective, type Directive } from './directives';

/** The project-wide inputs of the suppression passes (built by openProject). */
export interface SuppressionInputs {
  /** Ignore-list entries from the config and `.mcp-sentinel/ignore.json`. */
  ignore: readonly IgnoreEntry[];
  /** The baseline in force, if any. */
  baseline?: {
    /** Path of the baseline file relative to the project root (or absolute outside it), for the reason text. */
    file: string;
    /** Accepted fingerprints. */
    fingerprints: ReadonlySet<string>;
  };
  /** The clock used for expiry (tests inject it). */
  now: Date;
}

/** What the suppression pass needs to know about one document and the rule set. */
export interface SuppressionContext {
  /**
   * The detector context the document was scanned with: its path, text, kind and line index, and the memoised
   * parse tree the directives' comments are read from, so nothing is parsed or indexed a second time.
   */
  doc: DetectContext;
  /** Project-wide inputs. */
  inputs: SuppressionInputs;
  /** Effective severity of a rule (`off` when disabled), or undefined for an unknown rule id. */
  severityOf(ruleId: string): Severity | 'off' | undefined;
  /** Every known rule id, for the "did you mean" of a suppression comment that names an unknown one. */
  ruleIds?(): Iterable<string>;
}

/** True when an ignore entry's `expires` has passed. A bare date is valid through the end of that day (UTC). */
export function isExpired(expires: string, now: Date): boolean {
  const end = /^\d{4}-\d{2}-\d{2}$/.test(expires)
    ? Date.parse(`${expires}T00:00:00Z`) + 86_400_000
    : Date.parse(expires);
  return now.getTime() >= end;
}

const globCache = new WeakMap<IgnoreEntry, (file: string) => boolean>();

/** Does an ignore entry (expired or not) cover a finding? */
export function entryMatches(entry: IgnoreEntry, f: Finding): boolean {
  if (entry.rule && entry.rule !== f.ruleId) return false;
  if (entry.fingerprint) return entry.fingerprint === f.fingerprint;
  if (!entry.path) return false;
  let m = globCache.get(entry);
  if (!m) {
    m = globMatcher([entry.path]);
    globCache.set(entry, m);
  }
  return m(f.file);
}

/** A short description of an ignore entry for messages. */
function describeEntry(e: IgnoreEntry): string {
  return e.fingerprint ? `for fingerprint ${e.fingerprint}` : `for ${e.rule} on "${e.path}"`;
}

/**
 * Applies inline directives, then the ignore list, then the baseline to one document's findings, and adds the
 * meta findings (suppression without reason, unused, malformed, expired ignore entries written in this file).
 * Returns a new, sorted list; nothing is dropped.
 */
export function applySuppressions(findings: readonly Finding[], ctx: SuppressionContext): Finding[] {
  const { doc } = ctx;
  const out: Finding[] = findings.map((f) => ({ ...f }));
  const meta = new MetaFindings(ctx);

  // 1. Inline directives. Line directives are tried before file directives, so a file directive that only
  // duplicates line directives is reported as unused.
  const directives = findDirectives(doc);
  const uses = directives.map((d) => new Map(d.ruleIds.map((id) => [id, 0])));
  const usable = (i: number) => !directives[i]!.problem;
  for (const f of out) {
    if (f.suppressed) continue;
    const lineHit = directives.findIndex(
      (d, i) => usable(i) && d.scope === 'line' && d.ruleIds.includes(f.ruleId) && d.lines.includes(f.range.start.line),
    );
    const hit =
      lineHit >= 0
        ? lineHit
        : directives.findIndex((d, i) => usable(i) && d.scope === 'file' && d.ruleIds.includes(f.ruleId));
    if (hit < 0) continue;
    const d = directives[hit]!;
    f.suppressed = { kind: d.scope === 'file' ? 'file' : 'inline', reason: d.reason };
    uses[hit]!.set(f.ruleId, uses[hit]!.get(f.ruleId)! + 1);
  }
  for (const [i, d] of directives.entries()) {
    const text = doc.text.slice(d.start, d.end);
    if (d.problem) {
      meta.add(INVALID_SUPPRESSION, d, text, `Malformed suppression comment: ${d.problem}; it suppresses nothing`);
      continue;
    }
    const unknown = d.ruleIds.filter((id) => ctx.severityOf(id) === undefined);
    for (const id of unknown)
      meta.add(
        INVALID_SUPPRESSION,
        d,
        text + '\0' + id,
        `Suppression comment names unknown rule id "${id}"${didYouMean(id, ctx.ruleIds?.() ?? [])}; it suppresses nothing`,
      );
    if (!d.reason) {
      const ids = d.ruleIds.join(', ');
      meta.add(
        SUPPRESSION_WITHOUT_REASON,
        d,
        text,
        `Suppression of ${ids} gives no reason; write "${formatDirective({ scope: d.scope, ruleIds: d.ruleIds, reason: '<why this is safe>' })}"`,
      );
    }
    for (const id of d.ruleIds) {
      if (unknown.includes(id) || ctx.severityOf(id) === 'off' || uses[i]!.get(id)! > 0) continue;
      const where = d.scope === 'file' ? 'in this file' : 'on the line it covers';
      meta.add(
        UNUSED_SUPPRESSION,
        d,
        text + '\0' + id,
        `Unused suppression: ${id} reports nothing ${where}; remove the comment`,
      );
    }
  }

  // Expired ignore entries are reported where they are written, when that file is the one being scanned.
  for (const e of ctx.inputs.ignore) {
    if (!e.expires || e.source?.file !== doc.path || !isExpired(e.expires, ctx.inputs.now)) continue;
    const range = e.source.expiresRange ?? e.source.range;
    meta.addAt(
      EXPIRED_IGNORE,
      range,
      `${describeEntry(e)}\0${e.expires}`,
      `Ignore entry ${describeEntry(e)} expired on ${e.expires}; it no longer suppresses anything (its reason was: ${e.reason})`,
    );
  }
  // One by one, never push(...spread): an ignore list can produce more meta findings than a call takes arguments.
  for (const m of meta.findings) out.push(m);

  // 2. The ignore list. An expired entry does not suppress; the finding carries a note pointing at the entry.
  for (const f of out) {
    if (f.suppressed) continue;
    for (const e of ctx.inputs.ignore) {
      if (!entryMatches(e, f)) continue;
      if (e.expires && isExpired(e.expires, ctx.inputs.now)) {
        if (e.source) {
          (f.related ??= []).push({
            file: e.source.file,
            range: e.source.expiresRange ?? e.source.range,
            message: `An ignore entry covered this finding until ${e.expires}; it has expired (its reason was: ${e.reason})`,
          });
        }
        continue;
      }
      f.suppressed = { kind: 'ignore-file', reason: e.reason } satisfies Suppression;
      break;
    }
  }

  // 3. The baseline.
  const base = ctx.inputs.baseline;
  if (base) {
    for (const f of out) {
      if (!f.suppressed && base.fingerprints.has(f.fingerprint))
        f.suppressed = { kind: 'baseline', reason: `in baseline ${base.file}` };
    }
  }
  return out.sort(compareFindings);
}

/** Builds meta findings, fingerprinted like the engine's (rule id, file, directive text, occurrence). */
class MetaFindings {
  readonly findings: Finding[] = [];
  private readonly fingerprints: Fingerprints;

  constructor(private readonly ctx: SuppressionContext) {
    this.fingerprints = new Fingerprints(ctx.doc.path);
  }

  /** Adds a finding at a directive; `key` is what its fingerprint is computed from. */
  add(ruleId: string, d: Directive, key: string, message: string): void {
    this.addAt(ruleId, this.ctx.doc.lines.rangeOf(d.start, d.end), key, message);
  }

  /** Adds a finding at a range of the document, unless its rule is off. */
  addAt(ruleId: string, range: Range, key: string, message: string): void {
    const severity = this.ctx.severityOf(ruleId);
    if (severity === 'off' || severity === undefined) return;
    this.findings.push({
      ruleId,
      category: 'other',
      severity,
      message,
      file: this.ctx.doc.path,
      range,
      fingerprint: this.fingerprints.next(ruleId, key),
      cwe: [],
    });
  }
}
