// A lazily built DFA over the matcher's NFA, used to find quickly where the first match of a search ends, or that
// there is none (what almost every pattern finds in almost every document). A DFA state is the set of NFA
// instructions alive after a character, with what kind of character that was (for anchors and \b); its transitions
// are computed on first use and cached, so a search costs one table lookup per character once warm. It does not
// know where matches start: the Pike VM finds the exact match in a window that ends where the DFA stopped.
import { contains, isWordChar } from './charset';
import { Op, type Program } from './program';

/** What the character before a position was, as the anchors and word boundaries need it. */
const enum Prev {
  TextStart = 0,
  Newline = 1,
  Word = 2,
  Other = 3,
}

/** One DFA state: the instructions to continue from, the previous character's kind, and cached transitions. */
interface State {
  kernel: Int32Array;
  prev: Prev;
  /** For each ASCII character: next state id × 2 + 1 when a match ends before the character; -1 when not computed. */
  ascii: Int32Array;
  /** The same for other code points. */
  other: Map<number, number>;
  /** Whether a match ends at the end of the text in this state (-1 when not computed). */
  atEnd: number;
}

/**
 * States one pattern keeps before its cache is dropped and rebuilt (a state takes about 700 bytes). The secret
 * patterns that count an identifier and then a value (`{0,60}` … `{86}`) need a few thousand.
 */
const MAX_STATES = 10_000;
/** States all patterns keep together, so a config with many such patterns cannot grow memory without bound. */
const MAX_TOTAL_STATES = 60_000;
let totalStates = 0;

/** The end of the first match found by a search, and a position no match of the search starts before. */
export interface FirstEnd {
  /** Where the earliest-ending match ends. */
  end: number;
  /** Every match starts at or after this position: no thread was alive across it. */
  floor: number;
}

/** The DFA of one program; states are added as searches need them. */
export class Dfa {
  private states: State[] = [];
  private readonly ids = new Map<string, number>();
  /** Counts cache drops: a transition computed across a drop belongs to no state that still exists. */
  private epoch = 0;
  private readonly mark: Int32Array;
  private generation = 0;
  private readonly stack: Int32Array;
  private readonly found: Int32Array;

  constructor(private readonly prog: Program) {
    const n = prog.op.length;
    this.mark = new Int32Array(n);
    this.stack = new Int32Array(2 * n + 2);
    this.found = new Int32Array(n);
  }

  /**
   * Where the first match ending at or after `from` ends (matches may start anywhere from `from` on), undefined when
   * there is none, or 'thrashing' when the pattern needs more states than the cache keeps (counted repetitions inside
   * counted repetitions can need thousands): the caller then searches with the Pike VM, as RE2 falls back to its NFA.
   */
  firstEnd(text: string, from: number): FirstEnd | undefined | 'thrashing' {
    const epoch0 = this.epoch;
    const len = text.length;
    let s = this.state(new Int32Array(0), prevAt(text, from));
    let floor = from;
    for (let pos = from; ;) {
      if (pos >= len) return this.matchesAtEnd(s) ? { end: len, floor } : undefined;
      const c = text.charCodeAt(pos);
      let t: number;
      let width = 1;
      if (c < 128) {
        t = this.states[s]!.ascii[c]!;
        if (t < 0) {
          const epoch = this.epoch;
          t = this.step(s, c);
          if (epoch === this.epoch) this.states[s]!.ascii[c] = t;
        }
      } else {
        const cp = codePointAt(text, pos);
        width = cp > 0xffff ? 2 : 1;
        const st = this.states[s]!;
        const cached = st.other.get(cp);
        if (cached === undefined) {
          const epoch = this.epoch;
          t = this.step(s, cp);
          if (epoch === this.epoch) st.other.set(cp, t);
        } else t = cached;
      }
      if (t & 1) return { end: pos, floor };
      if (this.epoch - epoch0 > 1) return 'thrashing';
      s = t >> 1;
      pos += width;
      if (this.states[s]!.kernel.length === 0) floor = pos;
    }
  }

  /** The id of the state with this kernel and previous-character kind, creating it (and dropping a full cache). */
  private state(kernel: Int32Array, prev: Prev): number {
    // Instruction numbers stay below MAX_INSTRUCTIONS (20,000), so each is one UTF-16 unit of the key.
    const key = String.fromCharCode(prev, ...kernel);
    let id = this.ids.get(key);
    if (id === undefined) {
      if (this.states.length >= MAX_STATES || totalStates >= MAX_TOTAL_STATES) {
        totalStates -= this.states.length;
        this.states = [];
        this.ids.clear();
        this.epoch++;
      }
      totalStates++;
      id = this.states.length;
      this.states.push({ kernel, prev, ascii: new Int32Array(128).fill(-1), other: new Map(), atEnd: -1 });
      this.ids.set(key, id);
    }
    return id;
  }

  /** The transition of state `s` on code point `cp`, encoded as next id × 2 + (1 when a match ends before `cp`). */
  private step(s: number, cp: number): number {
    const st = this.states[s]!;
    const n = this.closure(st, cp);
    const { op, x } = this.prog;
    const next: number[] = [];
    for (let i = 0; i < n; i++) {
      const pc = this.found[i]!;
      if (op[pc] === Op.Match) return 1 + 2 * s;
      const set = this.prog.sets[x[pc]!]!;
      if (cp < 128 ? set.ascii[cp] === 1 : contains(set.ranges, cp)) next.push(pc + 1);
    }
    next.sort((a, b) => a - b);
    const prev = cp === 10 ? Prev.Newline : isWordChar(cp) ? Prev.Word : Prev.Other;
    return 2 * this.state(Int32Array.from(new Set(next)), prev);
  }

  private matchesAtEnd(s: number): boolean {
    const st = this.states[s]!;
    if (st.atEnd < 0) {
      const n = this.closure(st, -1);
      st.atEnd = 0;
      for (let i = 0; i < n; i++) if (this.prog.op[this.found[i]!] === Op.Match) st.atEnd = 1;
    }
    return st.atEnd === 1;
  }

  /**
   * Fills `found` with the consuming and matching instructions reachable without input from the state's kernel and
   * a new thread at the start (the search is unanchored), with `next` the following code point (-1 at the end).
   */
  private closure(st: State, next: number): number {
    const { op, x, y } = this.prog;
    const mark = this.mark;
    const gen = ++this.generation;
    const stack = this.stack;
    let sp = 0;
    let n = 0;
    for (let i = st.kernel.length - 1; i >= 0; i--) stack[sp++] = st.kernel[i]!;
    stack[sp++] = 0;
    while (sp > 0) {
      const pc = stack[--sp]!;
      if (mark[pc] === gen) continue;
      mark[pc] = gen;
      switch (op[pc]) {
        case Op.Jump:
          stack[sp++] = x[pc]!;
          break;
        case Op.Split:
          stack[sp++] = y[pc]!;
          stack[sp++] = x[pc]!;
          break;
        case Op.Save:
          stack[sp++] = pc + 1;
          break;
        case Op.Assert:
          if (holdsBetween(x[pc]!, st.prev, next)) stack[sp++] = pc + 1;
          break;
        default:
          this.found[n++] = pc;
      }
    }
    return n;
  }
}

/** Assertion `kind` (see ASSERTS) between a character of kind `prev` and the code point `next` (-1: the end). */
function holdsBetween(kind: number, prev: Prev, next: number): boolean {
  switch (kind) {
    case 0:
      return prev === Prev.TextStart;
    case 1:
      return next < 0;
    case 2:
      return prev === Prev.TextStart || prev === Prev.Newline;
    case 3:
      return next < 0 || next === 10;
    default: {
      const before = prev === Prev.Word;
      const after = next >= 0 && isWordChar(next);
      return (before !== after) === (kind === 4);
    }
  }
}

function prevAt(text: string, pos: number): Prev {
  if (pos === 0) return Prev.TextStart;
  const c = text.charCodeAt(pos - 1);
  return c === 10 ? Prev.Newline : isWordChar(c) ? Prev.Word : Prev.Other;
}

/** Reads the code point at `pos`: a surrogate pair is one code point, a lone surrogate reads as U+FFFD. */
export function codePointAt(text: string, pos: number): number {
  const c = text.charCodeAt(pos);
  if (c < 0xd800 || c > 0xdfff) return c;
  if (c <= 0xdbff && pos + 1 < text.length) {
    const d = text.charCodeAt(pos + 1);
    if (d >= 0xdc00 && d <= 0xdfff) return ((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000;
  }
  return 0xfffd;
}
