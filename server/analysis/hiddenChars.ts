/**
 * The one table of hidden characters: code points that render as nothing (or reorder what is around them) while a
 * model still reads them: Unicode's Default_Ignorable_Code_Point characters of the Basic Multilingual Plane and of
 * the tag and variation-selector blocks, reserved ones included (a conforming renderer shows them as nothing too, so
 * they can carry data), plus the interlinear annotation controls. Both the `mcp-hidden-unicode` rule and the hover's
 * reveal read it, so what the rule reports is what the hover shows.
 *
 * To add a character, add a row in code point order with its Unicode name and the kind that says how the rule
 * weighs it; the hover picks it up unchanged.
 */

/**
 * How a hidden character hides, which decides how the rule weighs it:
 * - `tag`: Unicode tag characters, which mirror ASCII invisibly (always reported, high);
 * - `selector`: variation selectors of the supplement, used to smuggle bytes (always reported, high);
 * - `variation`: variation selectors that ordinary text puts after a visible character (emoji presentation,
 *   Mongolian letter forms): reported when they follow no such base (high);
 * - `bidi`: embeddings, overrides and isolates that reorder text (always reported, high);
 * - `joiner`: zero-width (non-)joiners, ordinary between two non-ASCII characters (emoji sequences, Persian, Indic);
 * - `direction-mark`: direction marks, ordinary next to right-to-left text;
 * - `invisible`: every other invisible character (always reported, medium).
 */
export type HiddenKind = 'tag' | 'selector' | 'variation' | 'bidi' | 'joiner' | 'direction-mark' | 'invisible';

/** One row of the table: a range of code points of one kind. */
export interface HiddenRange {
  /** First code point of the range. */
  from: number;
  /** Last code point of the range (inclusive). */
  to: number;
  /** How the characters hide. */
  kind: HiddenKind;
  /** The Unicode name of a character of the range, for messages and hovers. */
  name: (cp: number) => string;
}

/** A row for one named character. */
const one = (cp: number, kind: HiddenKind, name: string): HiddenRange => ({ from: cp, to: cp, kind, name: () => name });
/** A row for reserved code points that renderers treat as default-ignorable. */
const reserved = (from: number, to: number): HiddenRange => ({
  from,
  to,
  kind: 'invisible',
  name: () => 'RESERVED INVISIBLE CODE POINT',
});
const NUMBERS = ['ONE', 'TWO', 'THREE'];

/** Every hidden character, in code point order. */
export const HIDDEN_CHARS: readonly HiddenRange[] = [
  one(0x00ad, 'invisible', 'SOFT HYPHEN'),
  one(0x034f, 'invisible', 'COMBINING GRAPHEME JOINER'),
  one(0x061c, 'direction-mark', 'ARABIC LETTER MARK'),
  one(0x115f, 'invisible', 'HANGUL CHOSEONG FILLER'),
  one(0x1160, 'invisible', 'HANGUL JUNGSEONG FILLER'),
  one(0x17b4, 'invisible', 'KHMER VOWEL INHERENT AQ'),
  one(0x17b5, 'invisible', 'KHMER VOWEL INHERENT AA'),
  {
    from: 0x180b,
    to: 0x180d,
    kind: 'variation',
    name: (cp) => `MONGOLIAN FREE VARIATION SELECTOR ${NUMBERS[cp - 0x180b]}`,
  },
  one(0x180e, 'invisible', 'MONGOLIAN VOWEL SEPARATOR'),
  one(0x180f, 'variation', 'MONGOLIAN FREE VARIATION SELECTOR FOUR'),
  one(0x200b, 'invisible', 'ZERO WIDTH SPACE'),
  one(0x200c, 'joiner', 'ZERO WIDTH NON-JOINER'),
  one(0x200d, 'joiner', 'ZERO WIDTH JOINER'),
  one(0x200e, 'direction-mark', 'LEFT-TO-RIGHT MARK'),
  one(0x200f, 'direction-mark', 'RIGHT-TO-LEFT MARK'),
  one(0x202a, 'bidi', 'LEFT-TO-RIGHT EMBEDDING'),
  one(0x202b, 'bidi', 'RIGHT-TO-LEFT EMBEDDING'),
  one(0x202c, 'bidi', 'POP DIRECTIONAL FORMATTING'),
  one(0x202d, 'bidi', 'LEFT-TO-RIGHT OVERRIDE'),
  one(0x202e, 'bidi', 'RIGHT-TO-LEFT OVERRIDE'),
  one(0x2060, 'invisible', 'WORD JOINER'),
  one(0x2061, 'invisible', 'FUNCTION APPLICATION'),
  one(0x2062, 'invisible', 'INVISIBLE TIMES'),
  one(0x2063, 'invisible', 'INVISIBLE SEPARATOR'),
  one(0x2064, 'invisible', 'INVISIBLE PLUS'),
  reserved(0x2065, 0x2065),
  one(0x2066, 'bidi', 'LEFT-TO-RIGHT ISOLATE'),
  one(0x2067, 'bidi', 'RIGHT-TO-LEFT ISOLATE'),
  one(0x2068, 'bidi', 'FIRST STRONG ISOLATE'),
  one(0x2069, 'bidi', 'POP DIRECTIONAL ISOLATE'),
  one(0x206a, 'invisible', 'INHIBIT SYMMETRIC SWAPPING'),
  one(0x206b, 'invisible', 'ACTIVATE SYMMETRIC SWAPPING'),
  one(0x206c, 'invisible', 'INHIBIT ARABIC FORM SHAPING'),
  one(0x206d, 'invisible', 'ACTIVATE ARABIC FORM SHAPING'),
  one(0x206e, 'invisible', 'NATIONAL DIGIT SHAPES'),
  one(0x206f, 'invisible', 'NOMINAL DIGIT SHAPES'),
  one(0x3164, 'invisible', 'HANGUL FILLER'),
  { from: 0xfe00, to: 0xfe0f, kind: 'variation', name: (cp) => `VARIATION SELECTOR-${cp - 0xfe00 + 1}` },
  one(0xfeff, 'invisible', 'ZERO WIDTH NO-BREAK SPACE'),
  one(0xffa0, 'invisible', 'HALFWIDTH HANGUL FILLER'),
  reserved(0xfff0, 0xfff8),
  one(0xfff9, 'invisible', 'INTERLINEAR ANNOTATION ANCHOR'),
  one(0xfffa, 'invisible', 'INTERLINEAR ANNOTATION SEPARATOR'),
  one(0xfffb, 'invisible', 'INTERLINEAR ANNOTATION TERMINATOR'),
  {
    from: 0xe0000,
    to: 0xe007f,
    kind: 'tag',
    // Printable tags are named after the ASCII they mirror; U+E0001 (language tag) and the unassigned rest of the
    // control range are reported as LANGUAGE, the way they are used.
    name: (cp) =>
      `TAG ${cp >= 0xe0020 && cp <= 0xe007e ? String.fromCharCode(cp - 0xe0000) : cp === 0xe007f ? 'CANCEL' : 'LANGUAGE'}`,
  },
  reserved(0xe0080, 0xe00ff),
  { from: 0xe0100, to: 0xe01ef, kind: 'selector', name: (cp) => `VARIATION SELECTOR-${cp - 0xe0100 + 17}` },
];

/** The row of a hidden character, or undefined for a visible one. */
export function hiddenChar(cp: number): HiddenRange | undefined {
  // Everything below the soft hyphen (ASCII, C1 controls, Latin-1 letters) is visible text or handled elsewhere.
  if (cp < 0x00ad) return undefined;
  for (const r of HIDDEN_CHARS) {
    if (cp < r.from) return undefined;
    if (cp <= r.to) return r;
  }
  return undefined;
}

/** `U+XXXX NAME` for a code point: the table's name for a hidden character. */
export function hiddenCharName(cp: number): string {
  const hex = 'U+' + cp.toString(16).toUpperCase().padStart(4, '0');
  return `${hex} ${hiddenChar(cp)?.name(cp) ?? 'INVISIBLE CHARACTER'}`;
}

/** A `\u{…}` escape for a regular expression with the `u` flag. */
const escape = (cp: number) => `\\u{${cp.toString(16).toUpperCase()}}`;

/** The table as a regular-expression character class (use with the `u` flag): one match per hidden character. */
export const HIDDEN_CHAR_CLASS =
  '[' +
  HIDDEN_CHARS.map((r) => (r.from === r.to ? escape(r.from) : `${escape(r.from)}-${escape(r.to)}`)).join('') +
  ']';
