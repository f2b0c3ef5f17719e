import type { Position, Range } from '../../shared/types';

// The line model, one for the regex engines and the editor positions.
//
// A line break is CR LF, a lone LF or a lone CR: what LSP and VS Code count, so a finding's line is the line the
// editor shows. U+2028, U+2029 and U+FEFF are ordinary characters everywhere (JS RegExp would end lines at the first
// two and count all three as white space; RE2 and LSP do not, and both backends follow RE2 here).
//
// The regex engines read `regexText(text)`: the document with every lone CR turned into LF. Both have the same
// length in UTF-16 and in UTF-8, so offsets do not move. For `^` and `$` in multi-line mode and for `.`, the only
// line break is then LF, in both engines, which makes a CR-only file as many lines to a pattern as to the editor.
// The CR of a CR LF stays an ordinary character before the LF, as RE2 has always read CRLF files: a pattern that
// wants the end of a line writes `\r?$`, and a match may then end between CR and LF. `LineIndex` reports such an
// offset at the end of its line, so no range ever ends inside a CR LF.

/**
 * The text the regex backends scan: `text` with every CR that is not followed by LF replaced by LF (same length, so
 * offsets are unchanged). Matched text is still taken from the original document.
 */
export function regexText(text: string): string {
  let i = text.indexOf('\r');
  if (i < 0) return text;
  let out = '';
  let from = 0;
  for (; i >= 0; i = text.indexOf('\r', i + 1)) {
    if (text.charCodeAt(i + 1) === 10) continue;
    out += text.slice(from, i) + '\n';
    from = i + 1;
  }
  return from === 0 ? text : out + text.slice(from);
}

/**
 * Converts UTF-16 offsets of one document into zero-based line/character positions, with the line breaks of the
 * line model above. Built once per document; lookups are a binary search over line starts.
 */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) this.starts.push(i + 1);
      else if (c === 13 && text.charCodeAt(i + 1) !== 10) this.starts.push(i + 1);
    }
  }

  /** Number of lines in the document. */
  get lineCount(): number {
    return this.starts.length;
  }

  /**
   * Position of a UTF-16 offset. An offset inside a line break (between the CR and the LF of a CR LF) is the end of
   * its line: a position never points into a line break.
   */
  positionAt(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: Math.min(o, this.lineEnd(lo)) - this.starts[lo]! };
  }

  /** UTF-16 offset of a position (clamped to the document). */
  offsetAt(p: Position): number {
    if (p.line >= this.starts.length) return this.text.length;
    const start = this.starts[Math.max(0, p.line)]!;
    const end = this.lineEnd(p.line);
    return Math.min(start + Math.max(0, p.character), end);
  }

  /** Range of two offsets. */
  rangeOf(start: number, end: number): Range {
    return { start: this.positionAt(start), end: this.positionAt(end) };
  }

  /** Offset where line `line` starts. */
  lineStart(line: number): number {
    return this.starts[Math.max(0, Math.min(line, this.starts.length - 1))]!;
  }

  /** Offset of the end of line `line`, before its line break. */
  lineEnd(line: number): number {
    const next = line + 1 < this.starts.length ? this.starts[line + 1]! : this.text.length;
    let e = next;
    if (e > 0 && this.text.charCodeAt(e - 1) === 10) e--;
    if (e > 0 && this.text.charCodeAt(e - 1) === 13 && e > this.starts[line]!) e--;
    return Math.max(e, this.starts[line]!);
  }

  /** The text of line `line` without its line break. */
  lineText(line: number): string {
    return this.text.slice(this.lineStart(line), this.lineEnd(line));
  }
}

/**
 * The one change that turns `before` into `after`: everything between their common prefix and their common suffix
 * (the suffix never overlapping the prefix). An editor that sends whole texts usually changed a few characters, so
 * tree-sitter re-parses only around them.
 */
export function differingSpan(before: string, after: string): { start: number; end: number; text: string } {
  const max = Math.min(before.length, after.length);
  let start = 0;
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  // Never split a surrogate pair: the change starts and ends on whole characters.
  if (start > 0 && isHighSurrogate(before.charCodeAt(start - 1))) start--;
  let tail = 0;
  while (
    tail < max - start &&
    before.charCodeAt(before.length - 1 - tail) === after.charCodeAt(after.length - 1 - tail)
  )
    tail++;
  if (tail > 0 && isHighSurrogate(before.charCodeAt(before.length - 1 - tail))) tail--;
  return { start, end: before.length - tail, text: after.slice(start, after.length - tail) };
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
