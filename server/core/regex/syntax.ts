// The pattern syntax both backends accept, parsed into a tree for the linear-time matcher. Rules and custom rules are
// written once and run on RE2 or on the matcher, so this parser accepts only what both RE2 and JS RegExp read the same
// way, and refuses the rest with a message that says what to write instead. Meaning follows RE2: `.`, `^` and `$`
// know only the line feed as a line break (see core/text.ts for how the text is prepared), `\s`, `\w`, `\d` and `\b`
// are ASCII, and the `i` flag folds case the way Unicode's simple case folding does.
import {
  ANY,
  caseFold,
  DIGIT,
  MAX_CODE_POINT,
  negate,
  normalise,
  NOT_NEWLINE,
  SPACE,
  WORD,
  type Ranges,
} from './charset';

/** A zero-width assertion: start or end of the text, of a line, or a word boundary (or its absence). */
export type AssertKind = 'textStart' | 'textEnd' | 'lineStart' | 'lineEnd' | 'wordBoundary' | 'notWordBoundary';

/** A node of a parsed pattern. Flags are already applied: sets are case-folded, anchors know the `m` flag. */
export type PatternNode =
  /** Matches the empty string. */
  | { type: 'empty' }
  /** One code point from a set (a literal character is a set of one, or of its case variants). */
  | { type: 'set'; ranges: Ranges }
  /** A sequence. */
  | { type: 'cat'; items: PatternNode[] }
  /** Alternatives, preferred left to right. */
  | { type: 'alt'; alts: PatternNode[] }
  /** A capturing group with its number (1-based, in order of opening parentheses). */
  | { type: 'group'; index: number; body: PatternNode }
  /** A repetition; `max` is Infinity when unbounded. Greedy repetitions prefer more iterations. */
  | { type: 'repeat'; min: number; max: number; greedy: boolean; body: PatternNode }
  /** A zero-width assertion. */
  | { type: 'assert'; kind: AssertKind };

/** A parsed pattern. */
export interface ParsedPattern {
  /** The tree. */
  node: PatternNode;
  /** How many capturing groups the pattern has. */
  groups: number;
}

/** A pattern outside the shared syntax; the message names the construct and what to use instead. */
export class PatternSyntaxError extends Error {}

/** RE2's limit on a repetition count. */
const MAX_REPEAT = 1000;
/** How deeply groups may nest (RE2's default limit too); it also bounds the recursion of this parser. */
const MAX_NESTING = 1000;

const HEX = /^[0-9A-Fa-f]+$/;

/** Parses a pattern with flags (`i`, `m`, `s`; others are ignored, as the backends ignore them). */
export function parsePattern(source: string, flags = ''): ParsedPattern {
  return new Parser(source, flags.includes('i'), flags.includes('m'), flags.includes('s')).parse();
}

class Parser {
  private pos = 0;
  private groups = 0;
  private depth = 0;
  private readonly names = new Set<string>();

  constructor(
    private readonly src: string,
    private readonly fold: boolean,
    private readonly multiline: boolean,
    private readonly dotAll: boolean,
  ) {}

  parse(): ParsedPattern {
    const node = this.alternation();
    if (this.pos < this.src.length) this.fail(`unmatched ')' at position ${this.pos}`);
    return { node, groups: this.groups };
  }

  private fail(message: string): never {
    throw new PatternSyntaxError(message);
  }

  private peek(offset = 0): string {
    return this.src[this.pos + offset] ?? '';
  }

  private alternation(): PatternNode {
    const alts = [this.concat()];
    while (this.peek() === '|') {
      this.pos++;
      alts.push(this.concat());
    }
    return alts.length === 1 ? alts[0]! : { type: 'alt', alts };
  }

  private concat(): PatternNode {
    const items: PatternNode[] = [];
    while (this.pos < this.src.length && this.peek() !== '|' && this.peek() !== ')') {
      const atom = this.atom();
      items.push(this.quantified(atom));
    }
    if (items.length === 0) return { type: 'empty' };
    return items.length === 1 ? items[0]! : { type: 'cat', items };
  }

  /** Applies the quantifiers that follow an atom (only one: a second is an error in both engines). */
  private quantified(atom: PatternNode): PatternNode {
    const q = this.quantifier();
    if (!q) return atom;
    if (atom.type === 'assert') this.fail('nothing to repeat: a quantifier follows an anchor or \\b');
    if (this.quantifier()) this.fail('a quantifier follows another quantifier (write (?:…) around the first)');
    return { type: 'repeat', min: q.min, max: q.max, greedy: q.greedy, body: atom };
  }

  private quantifier(): { min: number; max: number; greedy: boolean } | undefined {
    const c = this.peek();
    let min: number;
    let max: number;
    if (c === '*' || c === '+' || c === '?') {
      this.pos++;
      [min, max] = c === '*' ? [0, Infinity] : c === '+' ? [1, Infinity] : [0, 1];
    } else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.pos, this.pos + 64));
      if (!m) return undefined; // a brace that does not form a repetition is a literal in both engines
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
      if (min > MAX_REPEAT || (max !== Infinity && max > MAX_REPEAT))
        this.fail(`repetition count above ${MAX_REPEAT} in ${m[0]} (RE2's limit)`);
      if (max < min) this.fail(`repetition ${m[0]} has its bounds out of order`);
      this.pos += m[0].length;
    } else return undefined;
    const greedy = this.peek() !== '?';
    if (!greedy) this.pos++;
    return { min, max, greedy };
  }

  private atom(): PatternNode {
    const c = this.peek();
    switch (c) {
      case '(':
        return this.group();
      case '[':
        return this.charClass();
      case '.':
        this.pos++;
        return { type: 'set', ranges: this.dotAll ? ANY : NOT_NEWLINE };
      case '^':
        this.pos++;
        return { type: 'assert', kind: this.multiline ? 'lineStart' : 'textStart' };
      case '$':
        this.pos++;
        return { type: 'assert', kind: this.multiline ? 'lineEnd' : 'textEnd' };
      case '\\':
        return this.escape();
      case '*':
      case '+':
      case '?':
        return this.fail(`nothing to repeat before '${c}' at position ${this.pos}`);
      case '{':
        if (/^\{\d+(,\d*)?\}/.test(this.src.slice(this.pos, this.pos + 64)))
          this.fail(`nothing to repeat before '{' at position ${this.pos}`);
        break;
    }
    return this.literal(this.codePoint());
  }

  private codePoint(): number {
    const cp = this.src.codePointAt(this.pos)!;
    this.pos += cp > 0xffff ? 2 : 1;
    return cp;
  }

  private literal(cp: number): PatternNode {
    return { type: 'set', ranges: this.fold ? caseFold([cp, cp]) : [cp, cp] };
  }

  private group(): PatternNode {
    this.pos++; // (
    if (++this.depth > MAX_NESTING) this.fail(`groups nested deeper than ${MAX_NESTING} levels`);
    let index = 0;
    if (this.peek() === '?') {
      const rest = this.src.slice(this.pos + 1, this.pos + 3);
      if (rest.startsWith(':')) this.pos += 2;
      else if (rest.startsWith('=') || rest.startsWith('!')) this.fail('lookahead ((?=…), (?!…)) is not supported');
      else if (rest === '<=' || rest === '<!') this.fail('lookbehind ((?<=…), (?<!…)) is not supported');
      else if (rest.startsWith('<')) {
        const m = /^\?<([A-Za-z_][A-Za-z0-9_]*)>/.exec(this.src.slice(this.pos, this.pos + 260));
        if (!m) this.fail('a group name must be letters, digits and underscores, starting with a letter');
        if (this.names.has(m[1]!)) this.fail(`the group name ${m[1]} is used twice`);
        this.names.add(m[1]!);
        this.pos += m[0].length;
        index = ++this.groups;
      } else if (rest.startsWith('P')) this.fail('(?P<name>…) is RE2-only syntax: write (?<name>…)');
      else this.fail('inline flags such as (?i) are not supported: use the flags field');
    } else index = ++this.groups;
    const body = this.alternation();
    if (this.peek() !== ')') this.fail('missing closing parenthesis');
    this.pos++;
    this.depth--;
    return index ? { type: 'group', index, body } : body.type === 'alt' ? body : { type: 'cat', items: [body] };
  }

  /** An escape outside a class. */
  private escape(): PatternNode {
    this.pos++; // backslash
    const c = this.peek();
    if (c === '') this.fail('the pattern ends with a lone backslash');
    switch (c) {
      case 'b':
        this.pos++;
        return { type: 'assert', kind: 'wordBoundary' };
      case 'B':
        this.pos++;
        return { type: 'assert', kind: 'notWordBoundary' };
      case 'd':
      case 'D':
      case 'w':
      case 'W':
      case 's':
      case 'S':
        this.pos++;
        return { type: 'set', ranges: shorthand(c, this.fold) };
    }
    return this.literal(this.escapedCodePoint(false));
  }

  /** The code point of a character escape (`\n`, `\x41`, `\.`, …); the backslash is consumed already. */
  private escapedCodePoint(inClass: boolean): number {
    const c = this.peek();
    const simple: Record<string, number> = { n: 10, r: 13, t: 9, f: 12, v: 11 };
    if (c in simple) {
      this.pos++;
      return simple[c]!;
    }
    if (c === '0') {
      if (/[0-9]/.test(this.peek(1)))
        this.fail('octal escapes (\\0 followed by digits) read differently in RE2 and JS');
      this.pos++;
      return 0;
    }
    if (c >= '1' && c <= '9') this.fail('backreferences (\\1…\\9) are not supported');
    if (c === 'x' || c === 'u') {
      const n = c === 'x' ? 2 : 4;
      const hex = this.src.slice(this.pos + 1, this.pos + 1 + n);
      if (hex.length !== n || !HEX.test(hex))
        this.fail(
          `\\${c} must be followed by exactly ${n} hexadecimal digits (braces are read differently by RE2 and JS)`,
        );
      this.pos += 1 + n;
      return parseInt(hex, 16);
    }
    if (c === 'k' && this.peek(1) === '<') this.fail('named backreferences (\\k<…>) are not supported');
    if (c === 'b' && inClass) this.fail('\\b inside a class means a backspace in JS and is an error in RE2');
    const code = c.charCodeAt(0);
    // Escaped ASCII punctuation (and the underscore) is the character itself in both engines; an escaped letter or
    // other character means something different in each (\a is a bell in RE2 and "a" in JS), so it is refused.
    if (code < 128 && !/[A-Za-z0-9]/.test(c) && code > 0x20 && code !== 0x7f) {
      this.pos++;
      return code;
    }
    if (c === ' ') {
      this.pos++;
      return 0x20;
    }
    return this.fail(`the escape \\${c} is not supported (RE2 and JS read it differently)`);
  }

  private charClass(): PatternNode {
    const open = this.pos;
    this.pos++; // [
    const negated = this.peek() === '^';
    if (negated) this.pos++;
    if (this.peek() === ']')
      this.fail('a class may not start with ] (RE2 reads it as a literal, JS as an empty class): write \\]');
    const ranges: Ranges = [];
    for (;;) {
      if (this.pos >= this.src.length) this.fail(`missing ] for the class opened at position ${open}`);
      if (this.peek() === ']') {
        this.pos++;
        break;
      }
      if (this.peek() === '[' && /^\[:\^?[A-Za-z]+:\]/.test(this.src.slice(this.pos, this.pos + 16)))
        this.fail('POSIX classes such as [[:alpha:]] are read differently by RE2 and JS; use \\w, \\d, \\s or ranges');
      const lo = this.classAtom();
      if (typeof lo !== 'number') {
        ranges.push(...lo);
        continue;
      }
      if (this.peek() === '-' && this.peek(1) !== ']' && this.peek(1) !== '') {
        this.pos++;
        const hi = this.classAtom();
        if (typeof hi !== 'number') this.fail('a class range may not end in a shorthand such as \\d');
        if (hi < lo)
          this.fail(`the class range ${String.fromCodePoint(lo)}-${String.fromCodePoint(hi)} is out of order`);
        ranges.push(lo, hi);
      } else ranges.push(lo, lo);
    }
    let set = normalise(ranges);
    if (this.fold) set = caseFold(set);
    return { type: 'set', ranges: negated ? negate(set) : set };
  }

  /** One member of a class: a code point, or the ranges of a shorthand (`\d`, `\W`, …). */
  private classAtom(): number | Ranges {
    if (this.peek() !== '\\') return this.codePoint();
    this.pos++;
    const c = this.peek();
    if ('dDwWsS'.includes(c) && c !== '') {
      this.pos++;
      return shorthand(c, this.fold);
    }
    if (c === '') this.fail('the pattern ends with a lone backslash');
    return this.escapedCodePoint(true);
  }
}

/**
 * The ranges of `\d`, `\D`, `\w`, `\W`, `\s` or `\S`. With the `i` flag RE2 folds them like any class, so `\w` also
 * matches the Kelvin sign and the long s, and `\W` matches neither.
 */
function shorthand(c: string, fold: boolean): Ranges {
  let base = c === 'd' || c === 'D' ? DIGIT : c === 'w' || c === 'W' ? WORD : SPACE;
  if (fold) base = caseFold(base);
  return c === c.toUpperCase() ? negate(base) : base;
}

/** The code points a set of one member holds, for literal extraction (undefined for larger sets). */
export function singleCodePoint(r: Ranges): number | undefined {
  return r.length === 2 && r[0] === r[1] && r[0]! <= MAX_CODE_POINT ? r[0] : undefined;
}
