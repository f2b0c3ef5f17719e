/**
 * Glob patterns of ignore files as small automata. A backtracking regular expression for `*a*a*a*b` takes time
 * exponential in the number of stars on a long name, and a repository writes its own `.gitignore`, so patterns
 * are matched by simulating a nondeterministic automaton instead: the cost of one match is bounded by the length
 * of the name times the size of the pattern, whatever the two hold. Each set of states met is interned and its
 * transitions remembered (a lazily built deterministic automaton, as RE2 does), so matching many similar names
 * costs one table lookup per character. The automaton can also be advanced one folder at a time, which is what
 * lets discovery match a pattern with a slash without rebuilding the path.
 */

/** A test on one UTF-16 code unit. */
type CharTest = (c: number) => boolean;

/**
 * One state. Consuming a character that passes `loop` stays here; one that passes `step` moves to `to`; `eps`
 * lists the states reachable without consuming anything.
 */
interface State {
  loop?: CharTest;
  step?: CharTest;
  to: number;
  eps?: number[];
}

/**
 * A set of automaton states reached after some text, interned per pattern so each transition is computed once.
 * Cursors hold these; they stay valid when the pattern's cache is flushed.
 */
export interface GlobState {
  /** The states, sorted. Empty means no match is possible any more. */
  readonly states: readonly number[];
  /** The set includes the accepting state: the text read so far matches. */
  readonly accepting: boolean;
  /** Transitions computed so far, by character code. */
  readonly next: Map<number, GlobState>;
}

/** How many state sets one pattern remembers before its cache is flushed (bounds memory on hostile patterns). */
const MAX_INTERNED = 256;

/** A piece of a pattern: a literal character, `?`, a bracket set, `*`, or one of the three uses of `**`. */
export type GlobToken =
  | { kind: 'char'; code: number }
  | { kind: 'one' }
  | { kind: 'set'; test: CharTest }
  | { kind: 'star' }
  | { kind: 'all' }
  | { kind: 'dirs' };

const SLASH = 47;
const notSlash: CharTest = (c) => c !== SLASH;
const anyChar: CharTest = () => true;
const isSlash: CharTest = (c) => c === SLASH;

/** The POSIX classes git's wildmatch knows; upper and lower mean letters, since patterns are matched in lower case. */
const CLASSES: Record<string, CharTest> = {
  alnum: (c) => (c >= 48 && c <= 57) || (c >= 97 && c <= 122) || (c >= 65 && c <= 90),
  alpha: (c) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90),
  blank: (c) => c === 32 || c === 9,
  cntrl: (c) => c < 32 || c === 127,
  digit: (c) => c >= 48 && c <= 57,
  graph: (c) => c > 32 && c < 127,
  lower: (c) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90),
  print: (c) => c >= 32 && c < 127,
  punct: (c) => c > 32 && c < 127 && !((c >= 48 && c <= 57) || (c >= 97 && c <= 122) || (c >= 65 && c <= 90)),
  space: (c) => c === 32 || (c >= 9 && c <= 13),
  upper: (c) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90),
  xdigit: (c) => (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70),
};

/**
 * Parses a bracket set starting at `start` (the `[`): `[abc]`, `[!a-z]`, `[^...]`, `[]x]`, `[[:digit:]]`, with
 * backslash escapes. Returns the test and the index after the `]`, or undefined when the set is not closed, in
 * which case the `[` is an ordinary character. A set never matches a slash, as in git.
 */
function parseSet(seg: string, start: number): { test: CharTest; end: number } | undefined {
  let j = start + 1;
  let negate = false;
  if (seg[j] === '!' || seg[j] === '^') {
    negate = true;
    j++;
  }
  const ranges: number[] = [];
  const classes: CharTest[] = [];
  let first = true;
  while (j < seg.length) {
    if (seg[j] === ']' && !first) {
      const test: CharTest = (c) => {
        if (c === SLASH) return false;
        let hit = false;
        for (let k = 0; k < ranges.length && !hit; k += 2) hit = c >= ranges[k]! && c <= ranges[k + 1]!;
        for (let k = 0; k < classes.length && !hit; k++) hit = classes[k]!(c);
        return hit !== negate;
      };
      return { test, end: j + 1 };
    }
    first = false;
    if (seg[j] === '[' && seg[j + 1] === ':') {
      const close = seg.indexOf(':]', j + 2);
      const cls = close < 0 ? undefined : CLASSES[seg.slice(j + 2, close)];
      if (cls) {
        classes.push(cls);
        j = close + 2;
        continue;
      }
    }
    if (seg[j] === '\\') j++;
    if (j >= seg.length) return undefined;
    const lo = seg.charCodeAt(j++);
    let hi = lo;
    if (seg[j] === '-' && j + 1 < seg.length && seg[j + 1] !== ']') {
      j++;
      if (seg[j] === '\\') j++;
      if (j >= seg.length) return undefined;
      hi = seg.charCodeAt(j++);
    }
    ranges.push(lo, hi);
  }
  return undefined;
}

/**
 * Splits one path segment of a pattern (no slash in it) into tokens. Runs of stars become one `*`, since inside a
 * segment `**` means what `*` means. Returns undefined for a pattern git rejects (a trailing lone backslash).
 */
export function segmentTokens(seg: string): GlobToken[] | undefined {
  const out: GlobToken[] = [];
  for (let i = 0; i < seg.length;) {
    const c = seg[i]!;
    if (c === '\\') {
      if (i + 1 >= seg.length) return undefined;
      out.push({ kind: 'char', code: seg.charCodeAt(i + 1) });
      i += 2;
    } else if (c === '*') {
      if (out[out.length - 1]?.kind !== 'star') out.push({ kind: 'star' });
      i++;
    } else if (c === '?') {
      out.push({ kind: 'one' });
      i++;
    } else if (c === '[') {
      const set = parseSet(seg, i);
      if (set) {
        out.push({ kind: 'set', test: set.test });
        i = set.end;
      } else {
        out.push({ kind: 'char', code: 91 });
        i++;
      }
    } else {
      out.push({ kind: 'char', code: seg.charCodeAt(i) });
      i++;
    }
  }
  return out;
}

/** The literal text of tokens that are all characters, else undefined. */
export function literalOf(tokens: readonly GlobToken[]): string | undefined {
  let s = '';
  for (const t of tokens) {
    if (t.kind !== 'char') return undefined;
    s += String.fromCharCode(t.code);
  }
  return s;
}

/** A compiled pattern: its states, plus cheap checks that reject most names before the automaton runs. */
export class Glob {
  private readonly states: State[] = [];
  private readonly accept: number;
  private start: GlobState;
  private interned = new Map<string, GlobState>();
  /** Characters every match must have at least. */
  private readonly minLength: number;
  /** Literal text every match starts with, and ends with. */
  private readonly prefix: string;
  private readonly suffix: string;
  /** Scratch marks for the state sets, with a generation counter so they never need clearing. */
  private readonly marks: Uint32Array;
  private generation = 0;

  constructor(tokens: readonly GlobToken[]) {
    let minLength = 0;
    for (const t of tokens) {
      const i = this.states.length;
      switch (t.kind) {
        case 'char': {
          const code = t.code;
          this.states.push({ step: (c) => c === code, to: i + 1 });
          minLength++;
          break;
        }
        case 'one':
          this.states.push({ step: notSlash, to: i + 1 });
          minLength++;
          break;
        case 'set':
          this.states.push({ step: t.test, to: i + 1 });
          minLength++;
          break;
        case 'star':
          this.states.push({ loop: notSlash, to: i + 1, eps: [i + 1] });
          break;
        case 'all':
          this.states.push({ loop: anyChar, to: i + 1, eps: [i + 1] });
          break;
        case 'dirs':
          // `**/`: nothing, or any characters up to and including a slash. The entry state either skips the whole
          // construct or enters the loop, which leaves it only on a slash.
          this.states.push({ to: i + 2, eps: [i + 2, i + 1] });
          this.states.push({ loop: anyChar, step: isSlash, to: i + 2 });
          break;
      }
    }
    this.accept = this.states.length;
    this.minLength = minLength;
    let p = 0;
    while (p < tokens.length && tokens[p]!.kind === 'char') p++;
    let s = tokens.length;
    while (s > p && tokens[s - 1]!.kind === 'char') s--;
    this.prefix = literalOf(tokens.slice(0, p)) ?? '';
    this.suffix = literalOf(tokens.slice(s)) ?? '';
    this.marks = new Uint32Array(this.states.length + 1);
    this.start = this.intern(this.closure([0]));
  }

  /** How many states the automaton has: the measure of what one match may cost per character. */
  get size(): number {
    return this.states.length;
  }

  /** The states before anything is read. */
  initial(): GlobState {
    return this.start;
  }

  /** Whether the whole of `text` matches. */
  matches(text: string): boolean {
    if (text.length < this.minLength || !text.startsWith(this.prefix) || !text.endsWith(this.suffix)) return false;
    return this.advance(this.start, text).accepting;
  }

  /** The states after reading `text` from `from`; an empty set once no match is possible any more. */
  advance(from: GlobState, text: string): GlobState {
    let cur = from;
    for (let i = 0; i < text.length && cur.states.length > 0; i++) {
      const c = text.charCodeAt(i);
      let next = cur.next.get(c);
      if (!next) {
        next = this.intern(this.stepOne(cur.states, c));
        cur.next.set(c, next);
      }
      cur = next;
    }
    return cur;
  }

  private intern(states: number[]): GlobState {
    states.sort((a, b) => a - b);
    const key = states.join(',');
    let st = this.interned.get(key);
    if (st) return st;
    if (this.interned.size >= MAX_INTERNED) {
      // Forget every transition; sets held by cursors keep working and are re-linked as they are used.
      for (const old of this.interned.values()) old.next.clear();
      this.interned = new Map();
    }
    st = { states, accepting: states.includes(this.accept), next: new Map() };
    this.interned.set(key, st);
    return st;
  }

  private stepOne(states: readonly number[], c: number): number[] {
    const next: number[] = [];
    const gen = this.nextGeneration();
    for (const s of states) {
      const st = this.states[s];
      if (!st) continue;
      if (st.loop?.(c) && this.marks[s] !== gen) {
        this.marks[s] = gen;
        next.push(s);
      }
      if (st.step?.(c) && this.marks[st.to] !== gen) {
        this.marks[st.to] = gen;
        next.push(st.to);
      }
    }
    return this.closure(next, gen);
  }

  /** Adds every state reachable without reading (an explicit stack: no recursion on pattern size). */
  private closure(states: number[], gen = this.nextGeneration()): number[] {
    for (const s of states) this.marks[s] = gen;
    const todo = [...states];
    while (todo.length) {
      const s = todo.pop()!;
      for (const t of this.states[s]?.eps ?? []) {
        if (this.marks[t] === gen) continue;
        this.marks[t] = gen;
        states.push(t);
        todo.push(t);
      }
    }
    return states;
  }

  private nextGeneration(): number {
    this.generation = (this.generation + 1) >>> 0;
    if (this.generation === 0) {
      this.marks.fill(0);
      this.generation = 1;
    }
    return this.generation;
  }
}
