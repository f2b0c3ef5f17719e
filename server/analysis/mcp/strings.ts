import type { Span } from '../../core/rule';
import type { MetaString } from './types';

/**
 * Building metadata strings that remember where every character came from. A description is often assembled from
 * literal fragments, escapes and spliced constants; detectors match on the decoded value and must still report the
 * exact source characters, so each piece keeps its own source span.
 */

/** One piece of a decoded string: `value` came from the source span `start..end`. */
export interface Piece extends Span {
  /** Decoded text of this piece. */
  value: string;
}

/**
 * True when a piece is copied verbatim from the source (so character i of the value sits at `start + i`). Escapes
 * and spliced expressions are never verbatim: their decoded value is shorter than their source text.
 */
function verbatim(p: Piece): boolean {
  return p.end - p.start === p.value.length;
}

/** Assembles a MetaString from pieces, dropping the piece list when it is one verbatim literal. */
export function metaFromPieces(pieces: Piece[], whole: Span): MetaString {
  const value = pieces.map((p) => p.value).join('');
  const p0 = pieces[0];
  if (pieces.length === 1 && p0 && verbatim(p0)) return { start: p0.start, end: p0.end, value };
  if (pieces.length === 0) return { start: whole.start, end: whole.start, value: '' };
  return { start: whole.start, end: whole.end, value, pieces };
}

/** Locates the piece holding decoded offset `at`, with the offset where that piece starts. */
function pieceAt(
  pieces: readonly Piece[],
  at: number,
  preferPrevious: boolean,
): { piece: Piece; base: number } | undefined {
  let base = 0;
  let last: { piece: Piece; base: number } | undefined;
  for (const piece of pieces) {
    const end = base + piece.value.length;
    if (piece.value.length > 0) {
      // For an end offset that falls on a boundary, the character before it belongs to the previous piece.
      if (preferPrevious ? at > base && at <= end : at >= base && at < end) return { piece, base };
      last = { piece, base };
    }
    base = end;
  }
  return preferPrevious ? last : undefined;
}

/**
 * Maps a half-open range of decoded offsets in `s.value` back to source offsets. Verbatim pieces map character by
 * character; an escape or a spliced piece maps to its whole source span, so a finding on `\u200b` covers the escape.
 */
export function sourceSpan(s: MetaString, from: number, to: number): Span {
  if (!s.pieces) return { start: s.start + from, end: s.start + Math.max(from, to) };
  const a = pieceAt(s.pieces, from, false);
  const b = pieceAt(s.pieces, Math.max(to, from + 1), true);
  if (!a) return { start: s.start, end: s.end };
  const start = verbatim(a.piece) ? a.piece.start + (from - a.base) : a.piece.start;
  let end = a.piece.end;
  if (b) end = verbatim(b.piece) ? b.piece.start + (to - b.base) : b.piece.end;
  // A phrase that starts in a constant defined elsewhere and ends in the literal cannot be one source range:
  // report the part where it starts.
  if (end <= start) end = a.piece.end;
  return { start, end };
}

/** Decodes one JavaScript escape sequence (the text starts with a backslash). */
export function decodeJsEscape(src: string): string {
  const c = src[1] ?? '';
  switch (c) {
    case 'n':
      return '\n';
    case 't':
      return '\t';
    case 'r':
      return '\r';
    case 'b':
      return '\b';
    case 'f':
      return '\f';
    case 'v':
      return '\v';
    case '0':
      return src.length === 2 ? '\0' : String.fromCharCode(parseInt(src.slice(1), 8) || 0);
    case '\n':
    case '\r':
    case '\u2028':
    case '\u2029':
      return '';
    case 'x':
      return String.fromCharCode(parseInt(src.slice(2, 4), 16));
    case 'u': {
      const hex = src[2] === '{' ? src.slice(3, src.indexOf('}')) : src.slice(2, 6);
      const cp = parseInt(hex, 16);
      return Number.isFinite(cp) && cp <= 0x10ffff ? String.fromCodePoint(cp) : src;
    }
    default:
      if (/[1-7]/.test(c)) return String.fromCharCode(parseInt(src.slice(1), 8));
      return src.slice(1);
  }
}

/** Decodes one Python escape sequence (the text starts with a backslash). Named escapes (\N{…}) stay as written. */
export function decodePyEscape(src: string): string {
  const c = src[1] ?? '';
  switch (c) {
    case 'n':
      return '\n';
    case 't':
      return '\t';
    case 'r':
      return '\r';
    case 'a':
      return '\x07';
    case 'b':
      return '\b';
    case 'f':
      return '\f';
    case 'v':
      return '\v';
    case '\n':
    case '\r':
      return '';
    case 'x':
      return String.fromCharCode(parseInt(src.slice(2, 4), 16));
    case 'u':
    case 'U': {
      const cp = parseInt(src.slice(2), 16);
      return Number.isFinite(cp) && cp <= 0x10ffff ? String.fromCodePoint(cp) : src;
    }
    case 'N':
      return src;
    default:
      if (/[0-7]/.test(c)) return String.fromCharCode(parseInt(src.slice(1), 8));
      // Python keeps unknown escapes such as "\d" as two characters.
      if (c === '\\' || c === '"' || c === "'") return c;
      return src;
  }
}

/**
 * Decodes the content of a JSON string literal (without its quotes) starting at `offset`, into pieces: runs of
 * plain characters are verbatim, each escape is its own piece.
 */
export function jsonStringPieces(raw: string, offset: number): Piece[] {
  const pieces: Piece[] = [];
  let runStart = 0;
  const flush = (to: number) => {
    if (to > runStart) pieces.push({ start: offset + runStart, end: offset + to, value: raw.slice(runStart, to) });
  };
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] !== '\\') continue;
    flush(i);
    const len = raw[i + 1] === 'u' ? 6 : 2;
    const esc = raw.slice(i, i + len);
    pieces.push({ start: offset + i, end: offset + i + esc.length, value: esc[1] === '/' ? '/' : decodeJsEscape(esc) });
    i += esc.length - 1;
    runStart = i + 1;
  }
  flush(raw.length);
  return pieces;
}
