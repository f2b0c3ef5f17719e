import type { RegexBackendName } from '../../../shared/types';

/** One match of a compiled pattern, with UTF-16 offsets into the scanned text. */
export interface RegexMatch {
  /** Start of the whole match (UTF-16 offset). */
  start: number;
  /** End of the whole match (exclusive UTF-16 offset). */
  end: number;
  /** Text of the whole match. */
  text: string;
  /** Capture groups by number (index 0 is the whole match); `undefined` where a group did not take part. */
  groups: ({ start: number; end: number; text: string } | undefined)[];
}

/**
 * A pattern compiled for the active backend. Patterns are written in the syntax that RE2 and JS RegExp read alike
 * (syntax.ts lists it; no lookaround, no backreferences) and mean what RE2 makes of them, on the text prepared by
 * the line model of core/text.ts. Flags: `i` (ignore case), `m` (multi-line), `s` (dot-all).
 */
export interface CompiledPattern {
  /** The source as written by the rule. */
  readonly source: string;
  /** Every non-overlapping match in the document, left to right. */
  matchAll(doc: ScanText): RegexMatch[];
  /** True when the pattern matches anywhere in `s` (used for short strings such as values and names). */
  test(s: string): boolean;
}

/**
 * The text of one document prepared for the backend: RE2 scans a UTF-8 Buffer and converts byte offsets back
 * to UTF-16, so the buffer and the offset map are built once per document and shared by every rule.
 */
export interface ScanText {
  /** The document text. */
  readonly text: string;
}

/** A prefilter over many keyword sets at once: answers which sets occur in a document. */
export interface KeywordPrefilter {
  /** Indices of the keyword sets with at least one keyword present in the document. */
  matching(doc: ScanText): Set<number>;
}

/**
 * A regex engine behind one interface: RE2 (re2Backend.ts) when its native addon loads, else the linear-time matcher
 * of jsBackend.ts. Both run in time linear in the text, and both give the same matches for every accepted pattern.
 * See docs/design.md.
 */
export interface RegexBackend {
  /** Which engine this is. */
  readonly name: RegexBackendName;
  /**
   * Compiles a pattern; throws an Error naming the problem when the pattern is invalid for this engine or outside
   * the shared syntax.
   */
  compile(source: string, flags?: string): CompiledPattern;
  /** Prepares a document for scanning. */
  prepare(text: string): ScanText;
  /** Builds a prefilter from keyword sets (case-insensitive literals); an empty set always matches. */
  prefilter(sets: readonly (readonly string[])[]): KeywordPrefilter;
}

/** Escapes a literal so it can be embedded in a pattern accepted by both engines. */
export function escapeLiteral(s: string): string {
  return s.replace(/[\\^$.*+?()[\]{}|/-]/g, (c) => '\\' + c);
}

/**
 * Rejects syntax that only a backtracking engine supports (lookaround, backreferences), so a pattern that works
 * under JS cannot fail under RE2 or hang the scanner. Returns a message, or undefined when the pattern is fine.
 */
export function unsupportedSyntax(source: string): string | undefined {
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') {
      const n = source[i + 1] ?? '';
      if (!inClass && /[1-9]/.test(n)) return 'backreferences (\\1…\\9) are not supported';
      if (!inClass && n === 'k' && source[i + 2] === '<') return 'named backreferences (\\k<…>) are not supported';
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') {
      inClass = true;
      if (source[i + 1] === ']') i++;
      continue;
    }
    if (c === '(' && source[i + 1] === '?') {
      const rest = source.slice(i + 2, i + 4);
      if (rest.startsWith('=') || rest.startsWith('!')) return 'lookahead ((?=…), (?!…)) is not supported';
      if (rest === '<=' || rest === '<!') return 'lookbehind ((?<=…), (?<!…)) is not supported';
    }
  }
  return undefined;
}
