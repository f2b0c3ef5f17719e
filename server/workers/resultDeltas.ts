/**
 * An editor document's scan result sent from its worker to the pool as changes to the previous result of the same
 * document. An edit of a large MCP server moves most findings (and the file's facts) down or up a line without
 * changing anything else about them, yet the whole result used to cross the thread boundary on every keystroke: on
 * a 5,000-line file with 833 tools, cloning 834 findings and the facts of 833 tools cost about 7 ms in the worker
 * and as much again, with its garbage, on the language server's main thread, where the diagnostics wait for it.
 *
 * Both ends keep the last result per document (the worker what it sent, the pool what it received; messages between
 * them arrive in order, so the two agree). A new result names that base by its job id and says where the lines moved
 * (`LineShift`: every line from `from` on moves by `by`, from the span that differs between the two texts); each
 * finding is either the index of a base finding that, shifted so, equals it exactly, or the finding itself. The facts
 * are either the base's shifted, or sent. The worker checks each equality on the very data it would have sent, so
 * the restored result is the full one byte for byte, whatever the edit was.
 */
import { samePlainData, samePlainDataMappingLines } from '../core/plainData';
import { differingSpan, type LineIndex } from '../core/text';
import type { FileFacts } from '../engine/facts';
import type { FactsMessage, OwnFacts } from './protocol';
import { applyFindingsDelta, type FindingsDelta, type LineShift } from '../../shared/findingShifts';
import type { Finding, RelatedLocation } from '../../shared/types';

/** A result written as changes to the previous result of the same document (`ScanResultMessage.delta`). */
export interface ResultDelta extends FindingsDelta {
  /** True when the facts are the base's shifted by `shift` (the message's `facts` is then absent). */
  factsShifted?: true;
}

/** On the pool's side, what a result was restored from: its base's findings and the delta the worker sent. */
export interface RestoredFrom {
  findings: readonly Finding[];
  delta: FindingsDelta;
}

/** A document's last result, as both ends keep it. */
interface Last {
  id: number;
  findings: readonly Finding[];
  facts: FileFacts | undefined;
}

/** The worker's side: the last result sent per document, and the encoding of the next one against it. */
export class ResultSender {
  private readonly last = new Map<string, Last & { lines: LineIndex }>();

  /**
   * The fields that carry a document's result: `{ findings, facts }` as they are, or, when a previous result of the
   * document was sent, `{ findings: [], delta }` plus the facts when they are not the previous ones shifted.
   */
  encode(
    key: string,
    id: number,
    lines: LineIndex,
    findings: Finding[],
    facts: FileFacts | undefined,
  ): { document: string; findings: Finding[]; facts?: FileFacts; delta?: ResultDelta } {
    const before = this.last.get(key);
    this.last.set(key, { id, findings, facts, lines });
    if (!before) return facts ? { document: key, findings, facts } : { document: key, findings };
    const shift = lineShift(before.lines, lines);
    const byFingerprint = new Map<string, number>();
    before.findings.forEach((f, i) => byFingerprint.set(f.fingerprint, i));
    const items = findings.map((f): number | Finding => {
      const i = byFingerprint.get(f.fingerprint);
      return i !== undefined && sameShiftedFinding(before.findings[i]!, f, shift) ? i : f;
    });
    const delta: ResultDelta = { base: before.id, shift, findings: items };
    if (facts && before.facts && sameShifted(before.facts, facts, shift)) delta.factsShifted = true;
    return delta.factsShifted || !facts
      ? { document: key, findings: [], delta }
      : { document: key, findings: [], delta, facts };
  }

  /** The facts of the last result sent for a document (`OwnFacts`), or undefined when none was sent. */
  factsOf(key: string): { facts: FileFacts | undefined } | undefined {
    const last = this.last.get(key);
    return last && { facts: last.facts };
  }

  /** Forgets a document (closed): its next result is sent whole. */
  forget(key: string): void {
    this.last.delete(key);
  }
}

/** The pool's side, one per worker: the last result received per document, and the restoring of the next one. */
export class ResultReceiver {
  private readonly last = new Map<string, Last>();

  /**
   * Restores an editor document's result in place (its `findings` and `facts` become the full ones) and records it
   * as the document's last. Throws when a delta's base is not the last result received for the document, which the
   * ordered channel between a worker and its pool rules out.
   */
  receive(
    key: string,
    m: {
      id: number;
      findings: Finding[];
      facts?: FileFacts;
      delta?: ResultDelta;
      restoredFrom?: RestoredFrom;
    },
  ): void {
    const d = m.delta;
    if (d) {
      const base = this.last.get(key);
      if (!base || base.id !== d.base)
        throw new Error(`the result of ${key} changes result ${d.base}, which the pool does not hold`);
      m.findings = applyFindingsDelta(base.findings, d);
      if (d.factsShifted) m.facts = shiftLines(base.facts, d.shift);
      m.restoredFrom = { findings: base.findings, delta: d };
      delete m.delta;
    }
    this.last.set(key, { id: m.id, findings: m.findings, facts: m.facts });
  }

  /**
   * A facts message for this worker with every changed entry that is the facts of its own last result for a document
   * (the front end filed them in its index as they came) replaced by a reference to that result (`OwnFacts`). The
   * pool sends facts only to an idle worker, whose last result for each document is the one received last here.
   */
  withOwnFacts(m: FactsMessage): FactsMessage {
    if (!('changes' in m) || !this.last.size) return m;
    let changes: Record<string, FileFacts | null | OwnFacts> | undefined;
    for (const [file, f] of Object.entries(m.changes)) {
      if (!f || 'ownResult' in f) continue;
      for (const [key, last] of this.last)
        if (last.facts === f) {
          (changes ??= { ...m.changes })[file] = { ownResult: key };
          break;
        }
    }
    return changes ? { ...m, changes } : m;
  }

  /** Forgets a document (closed). */
  forget(key: string): void {
    this.last.delete(key);
  }
}

/**
 * How lines moved from `before` to `after` (the documents' line indexes, whose line model the findings' ranges use):
 * the lines of `before` that start at or after the end of the span that differs move by the difference in line
 * count. Any shift is correct for the encoding (each reuse is checked); this one makes every finding outside the
 * edited lines reusable.
 */
export function lineShift(before: LineIndex, after: LineIndex): LineShift {
  const { end } = differingSpan(before.text, after.text);
  const at = before.positionAt(end);
  return { from: at.character === 0 ? at.line : at.line + 1, by: after.lineCount - before.lineCount };
}

/**
 * True when `b` is `shiftLines(a, s)` as `samePlainData` judges it (keys whose value is undefined are absent), without
 * building the shifted copy: the facts of a large server are checked on every edit.
 */
export function sameShifted(a: unknown, b: unknown, s: LineShift): boolean {
  return samePlainDataMappingLines(a, b, (line) => (line >= s.from ? line + s.by : line));
}

/** True when `b` is `shiftFinding(a, s)` as `samePlainData` judges it, without building the shifted copy. */
export function sameShiftedFinding(a: Finding, b: Finding, s: LineShift): boolean {
  const x = a as unknown as Record<string, unknown>;
  const y = b as unknown as Record<string, unknown>;
  let defined = 0;
  for (const k in x) {
    const v = x[k];
    if (v === undefined) continue;
    defined++;
    const same =
      k === 'range' || k === 'fix'
        ? sameShifted(v, y[k], s)
        : k === 'related'
          ? sameShiftedRelated(a.file, a.related!, b.related, s)
          : samePlainData(v, y[k]);
    if (!same) return false;
  }
  for (const k in y) if (y[k] !== undefined) defined--;
  return defined === 0;
}

/** Related locations: those in the finding's own file shifted, the others as they are. */
function sameShiftedRelated(
  file: string,
  a: RelatedLocation[],
  b: RelatedLocation[] | undefined,
  s: LineShift,
): boolean {
  if (!Array.isArray(b) || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++)
    if (!(a[i]!.file === file ? sameShifted(a[i], b[i], s) : samePlainData(a[i], b[i]))) return false;
  return true;
}

/**
 * Facts with every `line` shifted, whatever object holds it (the module summary's functions, calls, registrations),
 * sharing what does not move.
 */
export function shiftLines<T>(v: T, s: LineShift): T {
  if (s.by === 0 || v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < v.length; i++) {
      const x = shiftLines(v[i] as unknown, s);
      if (x !== v[i]) (out ??= v.slice())[i] = x;
    }
    return (out ?? v) as T;
  }
  const o = v as Record<string, unknown>;
  let out: Record<string, unknown> | undefined;
  for (const k in o) {
    const x = o[k];
    const y = shiftLines(x, s);
    if (y !== x) (out ??= { ...o })[k] = y;
  }
  const line = o.line;
  if (typeof line === 'number' && line >= s.from) (out ??= { ...o }).line = line + s.by;
  return (out ?? v) as T;
}
