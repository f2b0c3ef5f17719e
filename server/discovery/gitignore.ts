/**
 * `.gitignore` files, compiled once per folder into a matcher whose cost per path does not grow with the number
 * of patterns. A repository writes its own ignore files, so a file of 100,000 lines must not make every path pay
 * for 100,000 tests. Patterns git users write by the thousand are looked up in tables: a plain name (`secrets.env`,
 * `build/`), a path (`/docs/out`), a name with a leading or trailing star (`*.log`, `tmp-*`). Only the remaining
 * wildcard patterns are matched one by one, by automata that cannot backtrack (see glob.ts), and what they may
 * cost is capped by IGNORE_LIMITS. Patterns with a slash are advanced one folder at a time as the walk descends
 * (a cursor per folder), so matching never rebuilds or re-reads a long path.
 *
 * Semantics are git's, matched case-insensitively as the `ignore` package does by default: blank lines and `#`
 * comments are skipped, trailing unescaped spaces dropped, `!` negates, a trailing `/` matches folders only, a
 * pattern without a slash matches the name at any depth, and one with a slash matches from the ignore file's
 * folder, with `**` standing for any number of folders. Within one file the last matching pattern decides.
 */
import { Glob, literalOf, segmentTokens, type GlobState, type GlobToken } from './glob';

/**
 * What ignore files may cost. A file over `maxBytes` is not read; the wildcard patterns (those not answered by a
 * table lookup) of all ignore files in force at one path may number at most `maxWildcardPatterns` and hold at most
 * `maxWildcardStates` automaton states (about one per pattern character). An ignore file that would go over is not
 * applied and is listed as skipped, so a hostile file costs a line in the report, not a hang.
 */
export const IGNORE_LIMITS = {
  maxBytes: 4 * 1024 * 1024,
  maxWildcardPatterns: 1000,
  maxWildcardStates: 16_384,
} as const;

/** The highest index of a pattern that matches files, and of one that matches folders; -1 for none. */
interface Best {
  file: number;
  dir: number;
}

/** A node of the table of patterns with a slash and no wildcard, one level per path segment. */
interface TrieNode {
  best?: Best;
  children?: Map<string, TrieNode>;
}

interface WildcardPattern {
  index: number;
  dirOnly: boolean;
  glob: Glob;
}

/** Where an ignore file's patterns stand at one folder of the walk: the table node, and the live automata. */
export interface IgnoreCursor {
  /** The node of the path table for this folder, when a pattern with a slash reaches below it. */
  trie?: TrieNode;
  /** Wildcard patterns with a slash that can still match below this folder, with their automaton states. */
  live: readonly { pattern: number; state: GlobState }[];
}

/** The verdict on one entry of a folder, and the cursor to use inside it when it is a folder. */
export interface IgnoreStep {
  /** true: ignored; false: re-included by a `!` pattern; undefined: no pattern matches. */
  ignored: boolean | undefined;
  /** The cursor for the entry's own entries (folders only). */
  next?: IgnoreCursor;
}

const SLASH = 47;

function record(map: Map<string, Best>, key: string, index: number, dirOnly: boolean): void {
  let b = map.get(key);
  if (!b) map.set(key, (b = { file: -1, dir: -1 }));
  b.dir = index;
  if (!dirOnly) b.file = index;
}

function pick(best: number, b: Best | undefined, isDir: boolean): number {
  if (!b) return best;
  const i = isDir ? b.dir : b.file;
  return i > best ? i : best;
}

/** One compiled ignore file. */
export class IgnoreMatcher {
  private readonly negative: boolean[] = [];
  private readonly names = new Map<string, Best>();
  private readonly suffixes = new Map<string, Best>();
  private readonly prefixes = new Map<string, Best>();
  private suffixLengths: number[] = [];
  private prefixLengths: number[] = [];
  private readonly trie: TrieNode = {};
  private readonly nameGlobs: WildcardPattern[] = [];
  private readonly pathGlobs: WildcardPattern[] = [];
  /** How many patterns were compiled. */
  patterns = 0;
  /** The automaton states of the wildcard patterns (what IGNORE_LIMITS.maxWildcardStates counts). */
  wildcardStates = 0;
  /** Which budget the file went over, if it did; compiling stops there, so a hostile file costs little. */
  overBudget?: 'patterns' | 'states';

  /**
   * Compiles the text of an ignore file, within a budget of wildcard patterns and automaton states (what the
   * ignore files above have left of IGNORE_LIMITS). Never throws: a pattern git would reject is skipped, as git
   * skips it.
   */
  constructor(
    text: string,
    private readonly budget: { patterns: number; states: number } = {
      patterns: IGNORE_LIMITS.maxWildcardPatterns,
      states: IGNORE_LIMITS.maxWildcardStates,
    },
  ) {
    const suffixLengths = new Set<number>();
    const prefixLengths = new Set<number>();
    const body = (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).toLowerCase();
    for (const line of body.split('\n')) {
      this.add(line.endsWith('\r') ? line.slice(0, -1) : line, suffixLengths, prefixLengths);
      if (this.overBudget) break;
    }
    this.suffixLengths = [...suffixLengths];
    this.prefixLengths = [...prefixLengths];
  }

  /** How many wildcard patterns are matched one by one (what IGNORE_LIMITS.maxWildcardPatterns counts). */
  get wildcardPatterns(): number {
    return this.nameGlobs.length + this.pathGlobs.length;
  }

  /** The cursor at the ignore file's own folder. */
  root(): IgnoreCursor {
    return { trie: this.trie, live: this.pathGlobs.map((g, pattern) => ({ pattern, state: g.glob.initial() })) };
  }

  private add(raw: string, suffixLengths: Set<number>, prefixLengths: Set<number>): void {
    if (raw === '' || raw[0] === '#') return;
    let end = raw.length;
    while (end > 0 && raw[end - 1] === ' ') {
      let slashes = 0;
      for (let k = end - 2; k >= 0 && raw[k] === '\\'; k--) slashes++;
      if (slashes % 2 === 1) break; // "\ " keeps its space
      end--;
    }
    let line = raw.slice(0, end);
    const negative = line[0] === '!';
    if (negative) line = line.slice(1);
    let dirOnly = false;
    while (line.endsWith('/')) {
      dirOnly = true;
      line = line.slice(0, -1);
    }
    if (line === '') return;
    let anchored = line.includes('/');
    if (line[0] === '/') line = line.slice(1);
    // `**/name` matches the name at any depth, exactly what a pattern without a slash does. A whole segment of
    // stars is `**`, as in git's wildmatch.
    const lead = /^\*{2,}\//.exec(line);
    const rest = lead ? line.slice(lead[0].length) : '';
    if (lead && rest !== '' && !rest.includes('/') && !/^\*{2,}$/.test(rest)) {
      line = rest;
      anchored = false;
    }
    if (line === '') return;
    const index = this.patterns;
    if (
      !anchored ? this.addName(line, index, dirOnly, suffixLengths, prefixLengths) : this.addPath(line, index, dirOnly)
    ) {
      this.negative.push(negative);
      this.patterns++;
    }
  }

  private addName(
    pattern: string,
    index: number,
    dirOnly: boolean,
    suffixLengths: Set<number>,
    prefixLengths: Set<number>,
  ): boolean {
    const tokens = segmentTokens(pattern);
    if (!tokens) return false;
    const literal = literalOf(tokens);
    if (literal !== undefined) {
      record(this.names, literal, index, dirOnly);
      return true;
    }
    const tail = literalOf(tokens.slice(1));
    if (tokens[0]!.kind === 'star' && tail !== undefined) {
      record(this.suffixes, tail, index, dirOnly);
      suffixLengths.add(tail.length);
      return true;
    }
    const head = literalOf(tokens.slice(0, -1));
    if (tokens[tokens.length - 1]!.kind === 'star' && head !== undefined) {
      record(this.prefixes, head, index, dirOnly);
      prefixLengths.add(head.length);
      return true;
    }
    this.addGlob(this.nameGlobs, tokens, index, dirOnly);
    return true;
  }

  private addPath(pattern: string, index: number, dirOnly: boolean): boolean {
    const segments = pattern.split('/');
    const tokens: GlobToken[] = [];
    const literals: string[] = [];
    let literal = true;
    for (const [i, seg] of segments.entries()) {
      const last = i === segments.length - 1;
      if (seg.length >= 2 && /^\*+$/.test(seg)) {
        // `a/**/b`: any number of folders in between; `a/**`: everything inside a. Any run of two or more stars
        // forming a whole segment is `**`.
        tokens.push(last ? { kind: 'all' } : { kind: 'dirs' });
        literal = false;
        continue;
      }
      const t = segmentTokens(seg);
      if (!t) return false;
      const lit = literalOf(t);
      if (lit === undefined) literal = false;
      else literals.push(lit);
      // Token by token: one segment of one line can be as long as the file makes it, more than a call takes arguments.
      for (const x of t) tokens.push(x);
      if (!last) tokens.push({ kind: 'char', code: SLASH });
    }
    if (literal) {
      let node = this.trie;
      for (const seg of literals) {
        node.children ??= new Map();
        let child = node.children.get(seg);
        if (!child) node.children.set(seg, (child = {}));
        node = child;
      }
      node.best ??= { file: -1, dir: -1 };
      node.best.dir = index;
      if (!dirOnly) node.best.file = index;
      return true;
    }
    this.addGlob(this.pathGlobs, tokens, index, dirOnly);
    return true;
  }

  private addGlob(list: WildcardPattern[], tokens: readonly GlobToken[], index: number, dirOnly: boolean): void {
    if (this.wildcardPatterns + 1 > this.budget.patterns) {
      this.overBudget = 'patterns';
      return;
    }
    // A token is one state, or two for `**/`: the automaton's size is known before it is built.
    const size = tokens.length + tokens.filter((t) => t.kind === 'dirs').length;
    if (this.wildcardStates + size > this.budget.states) {
      this.overBudget = 'states';
      return;
    }
    const glob = new Glob(tokens);
    this.wildcardStates += glob.size;
    list.push({ index, dirOnly, glob });
  }

  /**
   * Decides one entry `name` of the folder at `cursor`: the highest-numbered matching pattern wins, and a `!`
   * pattern re-includes. For a folder it also returns the cursor for the folder's own entries.
   */
  step(cursor: IgnoreCursor, name: string, isDir: boolean): IgnoreStep {
    const n = name.toLowerCase();
    let best = pick(-1, this.names.get(n), isDir);
    for (const len of this.suffixLengths)
      if (len <= n.length) best = pick(best, this.suffixes.get(n.slice(n.length - len)), isDir);
    for (const len of this.prefixLengths)
      if (len <= n.length) best = pick(best, this.prefixes.get(n.slice(0, len)), isDir);
    const node = cursor.trie?.children?.get(n);
    best = pick(best, node?.best, isDir);
    const live: { pattern: number; state: GlobState }[] = [];
    for (const l of cursor.live) {
      const p = this.pathGlobs[l.pattern]!;
      const after = p.glob.advance(l.state, n);
      if (after.states.length === 0) continue;
      if (p.index > best && (isDir || !p.dirOnly) && after.accepting) best = p.index;
      if (isDir) {
        const inside = p.glob.advance(after, '/');
        if (inside.states.length) live.push({ pattern: l.pattern, state: inside });
      }
    }
    // Wildcard names last, from the highest index down: one that cannot beat the best so far is not tried.
    for (let i = this.nameGlobs.length - 1; i >= 0; i--) {
      const g = this.nameGlobs[i]!;
      if (g.index < best) break;
      if ((isDir || !g.dirOnly) && g.glob.matches(n)) {
        best = g.index;
        break;
      }
    }
    const ignored = best < 0 ? undefined : !this.negative[best];
    return isDir ? { ignored, next: { trie: node?.children ? node : undefined, live } } : { ignored };
  }
}
