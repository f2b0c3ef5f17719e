/**
 * Moving results of one version of a document to the next across an inert edit (units.ts): what lies before the
 * edited region keeps its place, what lies after moves by the characters and lines the edit added, and anything that
 * touches the region cannot be moved (the caller then recomputes it).
 */
import type { ForeignLocation, RawFinding, Span } from '../../core/rule';
import type { FileFacts } from '../facts';
import type { InertEdit } from './units';

/** The offset of an old position's start in the new text, or undefined inside the region. */
function movedStart(e: InertEdit, o: number): number | undefined {
  if (o < e.start) return o;
  if (o >= e.oldEnd) return o + e.newEnd - e.oldEnd;
  return undefined;
}

/** A span moved to the new text, or undefined when it touches the region. */
function movedSpan<T extends Span>(e: InertEdit, s: T): T | undefined {
  const start = movedStart(e, s.start);
  if (start === undefined) return undefined;
  // An empty span moves with its start; a span ending at the region's start stays with what precedes it.
  const end =
    s.end === s.start ? start : s.end <= e.start ? s.end : s.start >= e.oldEnd ? movedStart(e, s.end) : undefined;
  return end === undefined ? undefined : { ...s, start, end };
}

/** A zero-based line of the old text in the new one, or undefined inside the region. */
export function movedLine(e: InertEdit, line: number): number | undefined {
  if (line < e.startLine) return line;
  if (line >= e.oldEndLine) return line + e.lineDelta;
  return undefined;
}

/**
 * A rule's raw findings moved to the new text: their spans, related locations (spans of this file, and locations of
 * other files that point back into it, `path`) and fix edits. Undefined when any of them touches the region.
 */
export function moveFindings(e: InertEdit, raw: readonly RawFinding[], path: string): RawFinding[] | undefined {
  const out: RawFinding[] = [];
  for (const r of raw) {
    const moved = movedSpan(e, r);
    if (!moved) return undefined;
    if (r.related) {
      const related: NonNullable<RawFinding['related']> = [];
      for (const x of r.related) {
        const m = 'file' in x ? movedForeign(e, x, path) : movedSpan(e, x);
        if (!m) return undefined;
        related.push(m);
      }
      moved.related = related;
    }
    if (r.fix) {
      const edits: (Span & { newText: string })[] = [];
      for (const x of r.fix.edits) {
        const m = movedSpan(e, x);
        if (!m) return undefined;
        edits.push(m);
      }
      moved.fix = { ...r.fix, edits };
    }
    out.push(moved);
  }
  return out;
}

/** A location of the workspace: moved when it is in this file, else unchanged. */
function movedForeign(e: InertEdit, x: ForeignLocation, path: string): ForeignLocation | undefined {
  if (x.file !== path) return x;
  const line = movedLine(e, x.line);
  return line === undefined ? undefined : { ...x, line };
}

/**
 * A file's facts moved to the new text: every `line` of the module summary (functions, calls, tool registrations)
 * is moved, whatever object holds it, so a position added to the summary later moves too. Undefined when a position
 * lies in the region; `{ facts: undefined }` when the file held no facts.
 */
export function moveFacts(e: InertEdit, facts: FileFacts | undefined): { facts: FileFacts | undefined } | undefined {
  if (!facts) return { facts };
  let ok = true;
  // What no moved line lies in is shared with the old facts rather than copied: an edit near the end of a large
  // file then costs a walk, not a copy.
  const walk = (v: unknown): unknown => {
    if (v === null || typeof v !== 'object') return v;
    if (Array.isArray(v)) {
      let out: unknown[] | undefined;
      for (let i = 0; i < v.length; i++) {
        const x = walk(v[i]);
        if (x !== v[i]) (out ??= v.slice())[i] = x;
      }
      return out ?? v;
    }
    let out: Record<string, unknown> | undefined;
    for (const [k, x] of Object.entries(v)) {
      const y = walk(x);
      if (y !== x) (out ??= { ...v })[k] = y;
    }
    const line = (v as { line?: unknown }).line;
    if (typeof line === 'number') {
      const moved = movedLine(e, line);
      if (moved === undefined) ok = false;
      else if (moved !== line) (out ??= { ...v }).line = moved;
    }
    return out ?? v;
  };
  const moved = walk(facts) as FileFacts;
  return ok ? { facts: moved } : undefined;
}
