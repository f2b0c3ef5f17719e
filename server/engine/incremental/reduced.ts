/**
 * Reduced documents of tool edits (toolEdit.ts): a version's text with every registration but one blanked out
 * (replaced by spaces, line breaks kept, so every offset and line is the file's own), parsed only where it is not
 * blank (tree-sitter's included ranges). A version reached by a tool edit keeps its reduced document for the next
 * edit of the same registration: that edit's old reduced document is then a fresh context of the kept one, and its
 * new one the kept text with the edited span replaced, re-parsed incrementally from the kept tree.
 */
import { adoptTree, grammarOfContext, parse, type TSNode, type TSRange, type TSTree } from '../../analysis/parse';
import { createDetectContext } from '../../core/context';
import type { RegexBackend } from '../../core/regex';
import type { DetectContext } from '../../core/rule';
import type { FileKind } from '../../../shared/types';
import type { FileFacts } from '../facts';
import type { InertEdit, Unit, UnitVersion } from './units';

/** A reduced document and its context; `unit` is the kept registration's node, unless the parse failed. */
export interface ReducedDocument {
  ctx: DetectContext;
  unit: TSNode | undefined;
  dispose(): void;
}

/** What a reduced document is built for: the file's regex backend, path and kind. */
export interface ReducedFile {
  backend: RegexBackend;
  path: string;
  kind: FileKind;
}

/**
 * A version's reduced document kept for the next edit of the same registration, whose old reduced document it is:
 * typing in one handler then builds, parses and extracts one reduced document per edit instead of two. Only what
 * does not depend on the workspace is kept (the text, its tree, its facts and the registration's digest); the rules
 * run on a fresh context of it.
 */
export interface KeptReduction {
  /** Start of the registration it keeps. */
  keep: number;
  /** The reduced text. */
  text: string;
  /** Its tree; owned by whoever holds the reduction (delete it when dropping it). */
  tree: TSTree;
  /** Its file facts. */
  facts: FileFacts | undefined;
  /** The kept registration's digest. */
  digest: string;
}

/**
 * A reduced document: the version's text with every registration unit but `keep` blanked out, and its context. Only
 * the parts left are parsed (tree-sitter's included ranges), so the blanks cost nothing but their copy.
 */
export function reduced(
  v: UnitVersion,
  registrations: readonly number[],
  keep: Unit,
  file: ReducedFile,
): ReducedDocument {
  const starts = new Set(registrations);
  let at = 0;
  const parts: string[] = [];
  for (const u of v.units) {
    if (u === keep || !starts.has(u.start)) continue;
    parts.push(v.text.slice(at, u.start), blank(v.text, u.start, u.end));
    at = u.end;
  }
  parts.push(v.text.slice(at));
  return reducedDocument(parts.join(''), v, registrations, keep, file);
}

/**
 * The context of a reduced text of version `v` keeping `keep`, parsed through the included ranges of what is not
 * blanked; with `old` (a copy of a reduced tree, already `edit`ed to match), re-parsed incrementally from it.
 */
function reducedDocument(
  text: string,
  v: UnitVersion,
  registrations: readonly number[],
  keep: Unit,
  file: ReducedFile,
  old?: TSTree,
): ReducedDocument {
  // The reduced text has the version's line breaks where they were: its line index is the version's.
  const { ctx, dispose } = createDetectContext(file.backend, file.path, text, file.kind, {}, v.lines);
  const grammar = grammarOfContext(ctx);
  let unit: TSNode | undefined;
  if (grammar) {
    const tree = parse(text, grammar, old, keptRanges(v, registrations, keep));
    // Blanking whole units leaves the brackets of the rest, so the reduced text nests no deeper than the version,
    // which its own scan has already checked.
    if (!adoptTree(ctx, grammar, tree, { depthChecked: true })) tree.delete();
    else if (!tree.rootNode.hasError)
      unit = tree.rootNode.children.find((n) => n?.startIndex === keep.start) ?? undefined;
  }
  return { ctx, unit, dispose };
}

/** The ranges of version `v` that its reduced document keeping `keep` does not blank out: only those are parsed. */
function keptRanges(v: UnitVersion, registrations: readonly number[], keep: Unit): TSRange[] {
  const starts = new Set(registrations);
  let at = 0;
  const ranges: TSRange[] = [];
  for (const u of v.units) {
    if (u === keep || !starts.has(u.start)) continue;
    if (u.start > at) ranges.push(rangeOf(v, at, u.start));
    at = u.end;
  }
  if (v.text.length > at) ranges.push(rangeOf(v, at, v.text.length));
  return ranges;
}

/**
 * The new version's reduced document from the old version's kept one, when the edit lies inside the kept
 * registration (`region`: the edited span, whole units, of which the registration is the only one): the reduced
 * text is the kept one with that span replaced, and its tree is re-parsed incrementally from the kept tree. What
 * lies outside the span, blanks included, is the same in both versions, only moved.
 */
export function reducedByEdit(
  kept: KeptReduction,
  before: UnitVersion,
  after: UnitVersion,
  next: { registrations: readonly number[]; keep: Unit; region: InertEdit },
  file: ReducedFile,
): ReducedDocument {
  const { start, oldEnd, newEnd } = next.region;
  const text = kept.text.slice(0, start) + after.text.slice(start, newEnd) + kept.text.slice(oldEnd);
  const old = kept.tree.copy();
  const point = (v: UnitVersion, offset: number) => {
    const p = v.lines.positionAt(offset);
    return { row: p.line, column: p.character };
  };
  old.edit({
    startIndex: start,
    oldEndIndex: oldEnd,
    newEndIndex: newEnd,
    startPosition: point(before, start),
    oldEndPosition: point(before, oldEnd),
    newEndPosition: point(after, newEnd),
  });
  try {
    return reducedDocument(text, after, next.registrations, next.keep, file, old);
  } finally {
    old.delete();
  }
}

/** The reduced document of a kept reduction, on a fresh context (its rules' results depend on the workspace). */
export function reducedFrom(kept: KeptReduction, v: UnitVersion, file: ReducedFile): ReducedDocument {
  const { ctx, dispose } = createDetectContext(file.backend, file.path, kept.text, file.kind, {}, v.lines);
  const grammar = grammarOfContext(ctx);
  const tree = kept.tree.copy();
  if (!grammar || !adoptTree(ctx, grammar, tree, { depthChecked: true })) {
    tree.delete();
    return { ctx, unit: undefined, dispose };
  }
  return { ctx, unit: tree.rootNode.children.find((n) => n?.startIndex === kept.keep) ?? undefined, dispose };
}

/** `text[start, end)` with every character but line breaks turned into a space. */
function blank(text: string, start: number, end: number): string {
  let out = '';
  let at = start;
  for (let nl = text.indexOf('\n', at); at < end; nl = text.indexOf('\n', at)) {
    const stop = nl < 0 || nl >= end ? end : nl;
    const cr = stop > at && text.charCodeAt(stop - 1) === 13 && stop < end ? 1 : 0;
    out += ' '.repeat(stop - at - cr) + (cr ? '\r' : '') + (stop < end ? '\n' : '');
    at = stop + 1;
  }
  return out;
}

/** The tree-sitter range of `[start, end)` of a version (whose lines the reduced text shares). */
function rangeOf(v: UnitVersion, start: number, end: number): TSRange {
  const s = v.lines.positionAt(start);
  const e = v.lines.positionAt(end);
  return {
    startIndex: start,
    endIndex: end,
    startPosition: { row: s.line, column: s.character },
    endPosition: { row: e.line, column: e.character },
  };
}
