/**
 * Findings moved by an edit, and a document's findings written as changes to its previous ones. An edit of a large
 * MCP server moves most findings a line down or up without changing anything else about them, yet every finding used
 * to be sent again after each keystroke: on a 5,000-line file with 833 tools, about 275 KB of JSON per edit. The
 * worker sends its results to the language server this way (server/workers/resultDeltas.ts), and the language server
 * sends its `FileFindings` notifications to the client this way (`FileFindingsParams.delta`).
 */
import type { FileFindingsParams } from './protocol';
import type { Finding, Position, Range } from './types';

/** Lines moved by an edit: every zero-based line at or after `from` moves by `by` (negative for deleted lines). */
export interface LineShift {
  from: number;
  by: number;
}

/** A list of findings written as changes to a previous list of the same document. */
export interface FindingsDelta {
  /** Which previous list this one changes (a job id between worker and server, a notification number to the client). */
  base: number;
  /** How the lines moved from the base's text to this one's. */
  shift: LineShift;
  /** This list's findings, in order: a number is the index of a base finding shifted by `shift`. */
  findings: (number | Finding)[];
}

function shiftPosition(p: Position, s: LineShift): Position {
  return p.line >= s.from ? { line: p.line + s.by, character: p.character } : p;
}

function shiftRange(r: Range, s: LineShift): Range {
  const start = shiftPosition(r.start, s);
  const end = shiftPosition(r.end, s);
  return start === r.start && end === r.end ? r : { start, end };
}

/**
 * A finding with its lines in its own file shifted: range, related locations of the file and fix edits. A finding
 * none of whose lines moved (above the edit) is returned as it is, so that both lists share it.
 */
export function shiftFinding(f: Finding, s: LineShift): Finding {
  if (s.by === 0) return f;
  const range = shiftRange(f.range, s);
  const related = f.related && shiftEach(f.related, (r) => (r.file === f.file ? shiftRange(r.range, s) : r.range));
  const edits = f.fix && shiftEach(f.fix.edits, (e) => shiftRange(e.range, s));
  if (range === f.range && related === f.related && edits === f.fix?.edits) return f;
  const out: Finding = { ...f, range };
  if (related) out.related = related;
  if (f.fix && edits) out.fix = { ...f.fix, edits };
  return out;
}

/** Items with a shifted range: the same array when no range moved, else a copy with the moved items replaced. */
function shiftEach<T extends { range: Range }>(items: T[], shifted: (item: T) => Range): T[] {
  let out: T[] | undefined;
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    const range = shifted(item);
    if (range !== item.range) (out ??= items.slice())[i] = { ...item, range };
  }
  return out ?? items;
}

/**
 * The findings a delta stands for, given its base's. Throws when the delta names a finding the base does not have:
 * the two ends then disagree on the base, which their ordered channel rules out.
 */
export function applyFindingsDelta(base: readonly Finding[], delta: FindingsDelta): Finding[] {
  return delta.findings.map((x) => {
    if (typeof x !== 'number') return x;
    const f = base[x];
    if (!f) throw new Error(`the findings delta names finding ${x} of ${base.length}`);
    return shiftFinding(f, delta.shift);
  });
}

/**
 * The receiving end of the `FileFindings` notifications: restores each one sent as a delta from the previous list of
 * its URI, and keeps the lists a later delta may name.
 */
export class FileFindingsRestorer {
  private readonly last = new Map<string, { seq: number | undefined; findings: readonly Finding[] }>();

  /** The notification with its full list of findings. Throws when its base is not the URI's previous list. */
  restore(p: FileFindingsParams): FileFindingsParams {
    let out = p;
    if (p.delta) {
      const base = this.last.get(p.uri);
      if (!base || base.seq !== p.delta.base)
        throw new Error(`the findings of ${p.uri} change list ${p.delta.base}, which was not received`);
      const { delta: _delta, ...rest } = p;
      out = { ...rest, findings: applyFindingsDelta(base.findings, p.delta) };
    }
    if (out.findings.length) this.last.set(p.uri, { seq: p.seq, findings: out.findings });
    else this.last.delete(p.uri);
    return out;
  }

  /** Forgets every list (the server restarted). */
  clear(): void {
    this.last.clear();
  }
}
