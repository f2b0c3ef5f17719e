/**
 * The top-level units of a JS/TS or Python document (the statements and comments of the program or module), and the
 * test that decides whether an edit between two versions touched only "inert" units: comments, blank lines, and
 * declarations that bind a name nobody else in the file mentions to a plain literal. Such an edit cannot change any
 * structural analysis of the file (calls, functions, imports, tools, handlers, taint): no analysis can reach the
 * literal through a name, and it holds no call, function, class or import. The rest of the file is the same text
 * with the same statement boundaries, so its analyses are the old ones moved by the edit (see relocate.ts).
 *
 * Everything here is deliberately narrow: anything the test does not recognise makes the edit "not inert", and the
 * caller then runs the full analysis.
 */
import type { TSNode, TSTree } from '../../analysis/parse';
import { differingSpan, LineIndex } from '../../core/text';

/** One top-level unit of a document: a statement or a comment, with what the inert-edit test needs of it. */
export interface Unit {
  /** The node type (`lexical_declaration`, `expression_statement`, `comment`, …). */
  type: string;
  /** Offset of its first character. */
  start: number;
  /** Offset just past its last character. */
  end: number;
  /**
   * The names it binds when it is inert (empty for a comment), or undefined when it is not inert: anything but a
   * comment, an empty statement, or a declaration of plain names bound to literals.
   */
  names?: string[];
}

/** The top-level units of a tree, in document order. `python` for a Python tree (its assignments are statements). */
export function unitsOf(tree: TSTree, python = false): Unit[] {
  const out: Unit[] = [];
  // A cursor reads each unit's type and offsets without building a node object for it; only the units that may be
  // inert are looked at as nodes. On a 5,000-line file this is a third of the cost of listing the root's children.
  const cursor = tree.walk();
  try {
    for (let more = cursor.gotoFirstChild(); more; more = cursor.gotoNextSibling()) {
      const type = cursor.nodeType;
      const maybe = MAYBE_INERT.has(type) && (python || type !== 'expression_statement');
      const names = maybe ? inertNames(cursor.currentNode) : undefined;
      out.push({ type, start: cursor.startIndex, end: cursor.endIndex, ...(names ? { names } : {}) });
    }
  } finally {
    cursor.delete();
  }
  return out;
}

/** The unit types `inertNames` can find inert (an expression statement only in Python: `NAME = literal`). */
const MAYBE_INERT = new Set([
  'comment',
  'empty_statement',
  'lexical_declaration',
  'variable_declaration',
  'expression_statement',
]);

/** Literal node types whose value no analysis resolves further (JS/TS and Python grammars). */
const LITERALS = new Set(['string', 'number', 'true', 'false', 'null', 'integer', 'float', 'none']);

/** A literal value: a plain literal, a template or f-string without substitutions, a concatenation of strings. */
function isLiteral(n: TSNode): boolean {
  if (n.type === 'template_string') return !n.namedChildren.some((c) => c?.type === 'template_substitution');
  if (n.type === 'concatenated_string') return n.namedChildren.every((c) => !!c && isLiteral(c));
  if (!LITERALS.has(n.type)) return false;
  // A Python f-string is a `string` with `interpolation` children.
  return n.type !== 'string' || !n.namedChildren.some((c) => c?.type === 'interpolation');
}

/** The names an inert unit binds, or undefined when the unit is not inert. */
function inertNames(n: TSNode): string[] | undefined {
  switch (n.type) {
    case 'comment':
      // A bundler's module marker (`// node_modules/x/index.js`, `//#region …`, `//#endregion`) decides which code a
      // sink rule counts as an inlined dependency's (analysis/sinks/bundled.ts): not inert.
      return /^\/\/#|node_modules\//.test(n.text) ? undefined : [];
    case 'empty_statement':
      return [];
    case 'lexical_declaration':
    case 'variable_declaration': {
      const names: string[] = [];
      for (const d of n.namedChildren) {
        // Only `name = literal` (or a bare `let name;`): no type annotation, no destructuring.
        if (!d || d.type !== 'variable_declarator') return undefined;
        const name = d.childForFieldName('name');
        const value = d.childForFieldName('value');
        if (name?.type !== 'identifier' || d.namedChildCount !== (value ? 2 : 1)) return undefined;
        if (value && !isLiteral(value)) return undefined;
        names.push(name.text);
      }
      return names.length ? names : undefined;
    }
    case 'expression_statement': {
      // Python `NAME = literal`: an assignment without a type, to one identifier.
      const a = n.namedChildCount === 1 ? n.namedChildren[0] : undefined;
      if (a?.type !== 'assignment' || a.namedChildCount !== 2) return undefined;
      const left = a.childForFieldName('left');
      const right = a.childForFieldName('right');
      if (left?.type !== 'identifier' || !right || !isLiteral(right)) return undefined;
      return [left.text];
    }
    default:
      return undefined;
  }
}

/**
 * An edit between two versions of a document that touched only inert units, as the region it replaced: whole lines
 * `[start, oldEnd)` of the old text became `[start, newEnd)` of the new one; everything before is the same text,
 * everything after is the same text moved by `newEnd - oldEnd` characters and `lineDelta` lines.
 */
export interface InertEdit {
  /** Offset of the region's first character (a line start), in both texts. */
  start: number;
  /** Offset just past the region in the old text (a line start, or the end of the text). */
  oldEnd: number;
  /** Offset just past the region in the new text. */
  newEnd: number;
  /** Zero-based line of `start`. */
  startLine: number;
  /** Zero-based line of `oldEnd` in the old text (the first line after the region). */
  oldEndLine: number;
  /** Lines added by the edit (negative when it removed lines). */
  lineDelta: number;
}

/** One version of a document, as the inert-edit test reads it. */
export interface UnitVersion {
  /** The full text. */
  text: string;
  /** Its line index. */
  lines: LineIndex;
  /** Its top-level units (`unitsOf` of a tree without syntax errors). */
  units: readonly Unit[];
}

/**
 * The inert edit that turns `before` into `after`, or undefined when the edit touched anything else (a statement
 * that is not inert, a name mentioned elsewhere) or the two trees disagree on the statements outside it.
 */
export function inertEditOf(before: UnitVersion, after: UnitVersion): InertEdit | undefined {
  const region = unitRegionOf(before, after);
  if (!region) return undefined;
  // Every unit in the region, before and after, is inert, and its names occur nowhere else in its version.
  if (!regionInert(before, region.start, region.oldEnd) || !regionInert(after, region.start, region.newEnd))
    return undefined;
  return region;
}

/**
 * The region an edit between two versions touched, grown to whole top-level units of both versions and whole lines,
 * or undefined when the two parses disagree on the units outside it (then no result outside can be moved either).
 */
export function unitRegionOf(before: UnitVersion, after: UnitVersion): InertEdit | undefined {
  const span = lineAligned(before.text, after.text);
  const shift = after.text.length - before.text.length;
  let start = span.start;
  let oldEnd = span.end;
  // Grow the region until it holds whole units of both versions and whole lines; the text after it is the same in
  // both, so growing its old end grows the new end by as much.
  for (let grown = true; grown;) {
    grown = false;
    const widen = (units: readonly Unit[], end: number, offset: number) => {
      for (const u of overlapping(units, start, end)) {
        if (u.start < start) ((start = u.start), (grown = true));
        if (u.end - offset > oldEnd) ((oldEnd = u.end - offset), (grown = true));
      }
    };
    widen(before.units, oldEnd, 0);
    widen(after.units, oldEnd + shift, shift);
    const grownLines = wholeLines(before.lines, before.text, start, oldEnd);
    if (grownLines.start < start || grownLines.end > oldEnd) {
      ({ start, end: oldEnd } = grownLines);
      grown = true;
    }
  }
  const region = regionAt(before, after, start, oldEnd);
  if (!region) return undefined;
  // The units outside the region are the same statements, moved: the parses agree on the rest of the file.
  const outsideBefore = before.units.filter((u) => u.end <= start || u.start >= oldEnd);
  const outsideAfter = after.units.filter((u) => u.end <= start || u.start >= region.newEnd);
  if (outsideBefore.length !== outsideAfter.length) return undefined;
  for (let i = 0; i < outsideBefore.length; i++) {
    const a = outsideBefore[i]!;
    const b = outsideAfter[i]!;
    const by = a.start >= oldEnd ? shift : 0;
    if (a.type !== b.type || a.start + by !== b.start || a.end + by !== b.end) return undefined;
  }
  return region;
}

/**
 * The lines an edit between two versions touched, and nothing more: what moving results past the edit needs when the
 * units around it are analysed again anyway (a tool's registration edited in place, toolEdit.ts). Undefined when the
 * two texts do not line up around it (never for texts that differ in one span).
 */
export function lineEditOf(before: UnitVersion, after: UnitVersion): InertEdit | undefined {
  const span = lineAligned(before.text, after.text);
  const { start, end } = wholeLines(before.lines, before.text, span.start, span.end);
  return regionAt(before, after, start, end);
}

/** `[start, end)` of the old text grown to whole lines. */
function wholeLines(lines: LineIndex, text: string, start: number, end: number): { start: number; end: number } {
  const lineStart = lines.lineStart(lines.positionAt(start).line);
  const endPos = lines.positionAt(end);
  const next =
    endPos.character === 0 ? end : endPos.line + 1 < lines.lineCount ? lines.lineStart(endPos.line + 1) : text.length;
  return { start: Math.min(start, lineStart), end: Math.max(end, next) };
}

/** The edit whose old region is the whole lines `[start, oldEnd)`, checked to line up in the new text. */
function regionAt(before: UnitVersion, after: UnitVersion, start: number, oldEnd: number): InertEdit | undefined {
  const newEnd = oldEnd + after.text.length - before.text.length;
  if (!atLineStart(before.lines, start) || !atLineStart(after.lines, start)) return undefined;
  if (!atLineStart(before.lines, oldEnd) || !atLineStart(after.lines, newEnd)) return undefined;
  const startLine = before.lines.positionAt(start).line;
  if (after.lines.positionAt(start).line !== startLine) return undefined;
  const oldEndLine = before.lines.positionAt(oldEnd).line;
  return { start, oldEnd, newEnd, startLine, oldEndLine, lineDelta: after.lines.positionAt(newEnd).line - oldEndLine };
}

/**
 * The span that differs between two texts, as `differingSpan` finds it, slid back to a line start when the edit is a
 * pure insertion or deletion that can be placed there as well. A line typed before a line that starts the same way
 * (`const a` before `const b`) is found after the common prefix, in the middle of the line; placed at the line's start
 * it covers the inserted unit only, not the neighbour that the common prefix belongs to.
 */
function lineAligned(before: string, after: string): { start: number; end: number } {
  // One scan asks for the same pair of texts up to three times (the inert test, then a tool edit's region and
  // lines); finding the differing span walks both texts, so the last answer is kept.
  if (lastAligned?.before === before && lastAligned.after === after) return lastAligned.span;
  const span = alignedSpan(before, after);
  lastAligned = { before, after, span };
  return span;
}

let lastAligned: { before: string; after: string; span: { start: number; end: number } } | undefined;

/** `lineAligned` without the memo. */
function alignedSpan(before: string, after: string): { start: number; end: number } {
  const span = differingSpan(before, after);
  const removed = before.slice(span.start, span.end);
  const moving = removed.length === 0 ? span.text : span.text.length === 0 ? removed : '';
  for (let k = 0; k <= moving.length && k <= span.start; k++) {
    if (k > 0 && before.charCodeAt(span.start - k) !== moving.charCodeAt(moving.length - k)) break;
    const s = span.start - k;
    if (s === 0 || before.charCodeAt(s - 1) === 10) return { start: s, end: span.end - k };
  }
  return { start: span.start, end: span.end };
}

/** The units that overlap `[start, end)`; for an empty span, the units that strictly contain `start`. */
function overlapping(units: readonly Unit[], start: number, end: number): Unit[] {
  return units.filter((u) => u.start < end && u.end > start);
}

/** True when `offset` starts a line of the index (or is the end of a text that ends with a line break). */
function atLineStart(lines: LineIndex, offset: number): boolean {
  const p = lines.positionAt(offset);
  return p.character === 0 && lines.lineStart(p.line) === offset;
}

/** True when every unit inside `[start, end)` is inert and the names it binds occur nowhere else in the text. */
function regionInert(v: UnitVersion, start: number, end: number): boolean {
  for (const u of v.units) {
    if (u.end <= start || u.start >= end) continue;
    if (!u.names) return false;
    const unitText = v.text.slice(u.start, u.end);
    for (const name of u.names) if (occurrences(v.text, name) !== occurrences(unitText, name)) return false;
  }
  return true;
}

/** How many times `name` occurs in `text` as a whole word (not inside a longer identifier). */
export function occurrences(text: string, name: string): number {
  let n = 0;
  const word = /[\w$]/;
  for (let i = text.indexOf(name); i >= 0; i = text.indexOf(name, i + 1)) {
    if (word.test(text.charAt(i - 1)) || word.test(text.charAt(i + name.length))) continue;
    n++;
  }
  return n;
}
