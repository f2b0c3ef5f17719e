// Compiles a parsed pattern into the instruction list of the linear-time matcher (a Thompson NFA, as RE2 builds),
// and derives the two shortcuts the matcher takes: literals that every match must contain, and the characters a
// match can start with.
import { contains, type Ranges } from './charset';
import { singleCodePoint, type AssertKind, type ParsedPattern, type PatternNode } from './syntax';
import { PatternSyntaxError } from './syntax';

/** Instruction codes. */
export const enum Op {
  /** Consume one code point from set `x`. */
  Set = 0,
  /** Continue at `x` first, then at `y`. */
  Split = 1,
  /** Continue at `x`. */
  Jump = 2,
  /** Record the position in capture slot `x`. */
  Save = 3,
  /** Continue only when assertion `x` holds here. */
  Assert = 4,
  /** A match. */
  Match = 5,
}

/** Assertion codes for `Op.Assert`. */
export const ASSERTS: Record<AssertKind, number> = {
  textStart: 0,
  textEnd: 1,
  lineStart: 2,
  lineEnd: 3,
  wordBoundary: 4,
  notWordBoundary: 5,
};

/** A set with a lookup table for ASCII, which is what almost every scanned character is. */
export interface CharSet {
  /** 1 at the ASCII code points the set holds. */
  ascii: Uint8Array;
  /** The whole set. */
  ranges: Ranges;
}

/** A compiled pattern. */
export interface Program {
  /** Instruction codes, one per instruction. */
  op: Uint8Array;
  /** First operand. */
  x: Int32Array;
  /** Second operand (`Split` only). */
  y: Int32Array;
  /** Sets referenced by `Op.Set`. */
  sets: CharSet[];
  /** Capturing groups (group 0, the whole match, not counted). */
  groups: number;
  /**
   * Literals of which every match contains at least one, or undefined when none could be derived. With `folded`
   * they are lower case and are looked for in the lower-cased text.
   */
  literals: string[] | undefined;
  /** True when `literals` are lower-cased (the pattern ignores case). */
  folded: boolean;
  /** 1 at the ASCII code points a match can start with; undefined when any position can start one. */
  first: Uint8Array | undefined;
  /** True when a match can start with a non-ASCII code point (only meaningful with `first`). */
  firstNonAscii: boolean;
  /** The longest a match can be, in UTF-16 units (Infinity when a repetition is unbounded). */
  maxLength: number;
}

/**
 * The most instructions a pattern may expand to. Counted repetitions are copied out (as RE2 does), so this bounds
 * both memory and the work per character; the built-in rules stay far below it.
 */
export const MAX_INSTRUCTIONS = 20000;

/** Compiles a parsed pattern; throws a PatternSyntaxError when it expands past MAX_INSTRUCTIONS. */
export function compileProgram(parsed: ParsedPattern, folded: boolean): Program {
  const op: number[] = [];
  const x: number[] = [];
  const y: number[] = [];
  const sets: CharSet[] = [];
  const setIndex = new Map<string, number>();
  const emit = (o: Op, a = 0, b = 0): number => {
    if (op.length >= MAX_INSTRUCTIONS)
      throw new PatternSyntaxError(
        `the pattern is too large once its repetitions are expanded (over ${MAX_INSTRUCTIONS} steps)`,
      );
    op.push(o);
    x.push(a);
    y.push(b);
    return op.length - 1;
  };
  const setOf = (r: Ranges): number => {
    const key = r.join(',');
    let i = setIndex.get(key);
    if (i === undefined) {
      const ascii = new Uint8Array(128);
      for (let c = 0; c < 128; c++) ascii[c] = contains(r, c) ? 1 : 0;
      i = sets.length;
      sets.push({ ascii, ranges: r });
      setIndex.set(key, i);
    }
    return i;
  };
  // Recursion follows the pattern's nesting, which the parser bounds.
  const gen = (n: PatternNode): void => {
    switch (n.type) {
      case 'empty':
        return;
      case 'set':
        emit(Op.Set, setOf(n.ranges));
        return;
      case 'assert':
        emit(Op.Assert, ASSERTS[n.kind]);
        return;
      case 'cat':
        for (const item of n.items) gen(item);
        return;
      case 'group':
        emit(Op.Save, 2 * n.index);
        gen(n.body);
        emit(Op.Save, 2 * n.index + 1);
        return;
      case 'alt': {
        const jumps: number[] = [];
        for (let i = 0; i < n.alts.length; i++) {
          if (i < n.alts.length - 1) {
            const split = emit(Op.Split);
            x[split] = op.length;
            gen(n.alts[i]!);
            jumps.push(emit(Op.Jump));
            y[split] = op.length;
          } else gen(n.alts[i]!);
        }
        for (const j of jumps) x[j] = op.length;
        return;
      }
      case 'repeat':
        repeat(n.body, n.min, n.max, n.greedy);
        return;
    }
  };
  /** A split whose preferred branch is the next instruction when greedy, the target when lazy. */
  const branch = (greedy: boolean): number => {
    const s = emit(Op.Split);
    if (greedy) x[s] = s + 1;
    else y[s] = s + 1;
    return s;
  };
  const setExit = (s: number, target: number, greedy: boolean) => {
    if (greedy) y[s] = target;
    else x[s] = target;
  };
  const repeat = (body: PatternNode, min: number, max: number, greedy: boolean) => {
    if (max === Infinity) {
      // x{n,} is x…x x+ and x* is (x+)?, as RE2 compiles them: the loop's split comes after the body, so an
      // iteration that matches the empty string still counts once (`(a*)*b` captures the empty group on "b").
      for (let i = 0; i < min - 1; i++) gen(body);
      const skip = min === 0 ? branch(greedy) : -1;
      const top = op.length;
      gen(body);
      const loop = emit(Op.Split);
      if (greedy) [x[loop], y[loop]] = [top, loop + 1];
      else [x[loop], y[loop]] = [loop + 1, top];
      if (skip >= 0) setExit(skip, op.length, greedy);
      return;
    }
    for (let i = 0; i < min; i++) gen(body);
    // (body (body (…)?)?)? : each optional copy may exit to the end.
    const exits: number[] = [];
    for (let i = min; i < max; i++) {
      exits.push(branch(greedy));
      gen(body);
    }
    for (const s of exits) setExit(s, op.length, greedy);
  };
  emit(Op.Save, 0);
  gen(parsed.node);
  emit(Op.Save, 1);
  emit(Op.Match);
  const prog: Program = {
    op: Uint8Array.from(op),
    x: Int32Array.from(x),
    y: Int32Array.from(y),
    sets,
    groups: parsed.groups,
    literals: requiredLiterals(parsed.node, folded),
    folded,
    first: undefined,
    firstNonAscii: true,
    maxLength: maxLength(parsed.node),
  };
  firstChars(prog);
  return prog;
}

/**
 * Fills `first`/`firstNonAscii` from the instructions reachable from the start without consuming input (assertions
 * assumed to hold). A match that can be empty leaves `first` undefined: every position can start one.
 */
function firstChars(prog: Program): void {
  const first = new Uint8Array(128);
  let nonAscii = false;
  const seen = new Uint8Array(prog.op.length);
  const stack = [0];
  while (stack.length) {
    const pc = stack.pop()!;
    if (seen[pc]) continue;
    seen[pc] = 1;
    switch (prog.op[pc]) {
      case Op.Set: {
        const s = prog.sets[prog.x[pc]!]!;
        for (let c = 0; c < 128; c++) if (s.ascii[c]) first[c] = 1;
        const r = s.ranges;
        if (r.length && r[r.length - 1]! >= 128) nonAscii = true;
        break;
      }
      case Op.Split:
        stack.push(prog.x[pc]!, prog.y[pc]!);
        break;
      case Op.Jump:
        stack.push(prog.x[pc]!);
        break;
      case Op.Match:
        return; // an empty match is possible: no shortcut
      default:
        stack.push(pc + 1);
    }
  }
  prog.first = first;
  prog.firstNonAscii = nonAscii;
}

/** The longest match of a node in UTF-16 units: a code point above U+FFFF takes two. */
function maxLength(n: PatternNode): number {
  switch (n.type) {
    case 'empty':
    case 'assert':
      return 0;
    case 'set':
      return n.ranges[n.ranges.length - 1]! > 0xffff ? 2 : 1;
    case 'group':
      return maxLength(n.body);
    case 'cat':
      return n.items.reduce((sum, i) => sum + maxLength(i), 0);
    case 'alt':
      return Math.max(...n.alts.map(maxLength));
    case 'repeat': {
      const body = maxLength(n.body);
      return body === 0 ? 0 : body * n.max;
    }
  }
}

/** The most alternatives a literal requirement may hold before it stops being worth checking. */
const MAX_LITERALS = 16;

/** What a node tells about the literals in its matches. */
interface LiteralInfo {
  /** The one string every match of the node is, when there is exactly one. */
  exact?: string;
  /** Literals of which every match contains at least one. */
  any?: string[];
}

/**
 * Literals every match contains, as a list of alternatives (one of them must occur), or undefined. Case-folded
 * patterns only use ASCII characters whose case variants are plain ASCII (not k or s, which also match the Kelvin
 * sign and the long s), so looking for the lower-cased literal in the lower-cased text can never miss a match.
 */
function requiredLiterals(node: PatternNode, folded: boolean): string[] | undefined {
  const charOf = (r: Ranges): string | undefined => {
    const cp = singleCodePoint(r);
    if (!folded) return cp === undefined ? undefined : String.fromCodePoint(cp);
    if (cp !== undefined)
      return cp < 128 && !/[A-Za-z]/.test(String.fromCharCode(cp)) ? String.fromCharCode(cp) : undefined;
    // A folded ASCII letter is the set {upper, lower}.
    if (r.length === 4 && r[0] === r[1] && r[2] === r[3] && r[2]! - r[0]! === 32 && r[0]! >= 65 && r[0]! <= 90)
      return String.fromCharCode(r[2]!);
    return undefined;
  };
  const better = (a: string[] | undefined, b: string[] | undefined): string[] | undefined => {
    if (!a) return b;
    if (!b) return a;
    const score = (l: string[]) => Math.min(...l.map((s) => s.length));
    return score(b) > score(a) ? b : a;
  };
  const info = (n: PatternNode): LiteralInfo => {
    switch (n.type) {
      case 'empty':
      case 'assert':
        return { exact: '' };
      case 'set': {
        const c = charOf(n.ranges);
        return c === undefined ? {} : { exact: c, any: [c] };
      }
      case 'group':
        return info(n.body);
      case 'repeat': {
        const b = info(n.body);
        if (n.min === 0) return {};
        if (b.exact !== undefined && n.min === n.max && b.exact.length * n.min <= 64)
          return { exact: b.exact.repeat(n.min), any: b.exact ? [b.exact.repeat(n.min)] : undefined };
        return { any: b.any };
      }
      case 'alt': {
        const parts = n.alts.map(info);
        const lists: string[] = [];
        for (const p of parts) {
          const l = p.exact !== undefined ? [p.exact] : p.any;
          if (!l || l.some((s) => s === '')) return {};
          lists.push(...l);
        }
        const uniq = [...new Set(lists)];
        return uniq.length <= MAX_LITERALS ? { any: uniq } : {};
      }
      case 'cat': {
        let best: string[] | undefined;
        let run: string | undefined = '';
        let exact: string | undefined = '';
        const close = () => {
          if (run) best = better(best, [run]);
          run = '';
        };
        for (const item of n.items) {
          const i = info(item);
          if (i.exact !== undefined) {
            run += i.exact;
            if (exact !== undefined) exact += i.exact;
          } else {
            close();
            exact = undefined;
            best = better(best, i.any);
          }
        }
        close();
        return exact !== undefined ? { exact, any: exact ? [exact] : undefined } : { any: best };
      }
    }
  };
  const r = info(node);
  const list = r.exact !== undefined ? (r.exact ? [r.exact] : undefined) : r.any;
  return list && list.length && list.every((s) => s.length > 0) ? list : undefined;
}
