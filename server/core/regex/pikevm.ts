// The matcher behind the JS backend: a Pike VM, which runs every thread of the NFA in lock step over the text, so a
// search costs at most (text length × instructions) whatever the pattern and the input: no backtracking, no
// catastrophic case. Threads are kept in priority order, which gives the leftmost-first matches (and submatches)
// that RE2 and backtracking engines give. A search first finds where a match starts and ends, tracking only its
// start; submatches are then recovered by a second run over the matched span alone.
import { contains, isWordChar } from './charset';
import { codePointAt } from './dfa';
import { Op, type Program } from './program';

/** A match: `caps[2k]`/`caps[2k+1]` are the start/end of group k (-1 when the group did not take part). */
export type Captures = Int32Array;

/** True when assertion `kind` (see ASSERTS) holds at `pos`. */
function holds(kind: number, text: string, pos: number): boolean {
  switch (kind) {
    case 0:
      return pos === 0;
    case 1:
      return pos === text.length;
    case 2:
      return pos === 0 || text.charCodeAt(pos - 1) === 10;
    case 3:
      return pos === text.length || text.charCodeAt(pos) === 10;
    default: {
      const before = pos > 0 && isWordChar(text.charCodeAt(pos - 1));
      const after = pos < text.length && isWordChar(text.charCodeAt(pos));
      return (before !== after) === (kind === 4);
    }
  }
}

function inSet(prog: Program, set: number, cp: number): boolean {
  const s = prog.sets[set]!;
  return cp < 128 ? s.ascii[cp] === 1 : contains(s.ranges, cp);
}

/** A list of threads (instruction and start position), with a per-step mark so each instruction enters once. */
class ThreadList {
  readonly pc: Int32Array;
  readonly start: Int32Array;
  count = 0;
  constructor(size: number) {
    this.pc = new Int32Array(size);
    this.start = new Int32Array(size);
  }
}

/** Reusable state of one program's searches (the matcher is synchronous, so one set of buffers suffices). */
export class Matcher {
  private a: ThreadList;
  private b: ThreadList;
  private readonly mark: Int32Array;
  private generation = 0;
  private readonly stack: Int32Array;

  constructor(private readonly prog: Program) {
    const n = prog.op.length;
    this.a = new ThreadList(n);
    this.b = new ThreadList(n);
    this.mark = new Int32Array(n);
    this.stack = new Int32Array(2 * n + 2);
  }

  /** Adds the thread at `pc0` and everything it reaches without consuming input, in priority order. */
  private add(list: ThreadList, pc0: number, start: number, text: string, pos: number): void {
    const { op, x, y } = this.prog;
    const mark = this.mark;
    const gen = this.generation;
    const stack = this.stack;
    let sp = 0;
    stack[sp++] = pc0;
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
          if (holds(x[pc]!, text, pos)) stack[sp++] = pc + 1;
          break;
        default:
          list.pc[list.count] = pc;
          list.start[list.count] = start;
          list.count++;
      }
    }
  }

  /**
   * The leftmost-first match starting at or after `from`, as [start, end], or undefined. With `any`, the first
   * match found in any form is enough (a yes/no test).
   */
  find(text: string, from: number, any = false): [number, number] | undefined {
    const prog = this.prog;
    const { op, x } = prog;
    const first = prog.first;
    const len = text.length;
    let cur = this.a;
    let next = this.b;
    cur.count = 0;
    let matchStart = -1;
    let matchEnd = -1;
    let pos = from;
    for (;;) {
      if (matchStart < 0) {
        if (cur.count === 0 && first) {
          // No thread alive: jump to the next character a match can start with.
          while (pos < len) {
            const c = text.charCodeAt(pos);
            if (c < 128 ? first[c] === 1 : prog.firstNonAscii) break;
            pos++;
          }
          if (pos >= len) return undefined;
        }
        this.generation++;
        // A new thread starting here has the lowest priority: it goes after the threads already running.
        this.markCurrent(cur);
        this.add(cur, 0, pos, text, pos);
      }
      const cp = pos < len ? codePointAt(text, pos) : -1;
      const width = cp > 0xffff ? 2 : 1;
      if (cur.count === 0) {
        // Nothing can start here (an anchor or \b did not hold): try the next position.
        if (matchStart >= 0 || pos >= len) break;
        pos += width;
        continue;
      }
      this.generation++;
      next.count = 0;
      for (let i = 0; i < cur.count; i++) {
        const pc = cur.pc[i]!;
        if (op[pc] === Op.Match) {
          matchStart = cur.start[i]!;
          matchEnd = pos;
          if (any) return [matchStart, matchEnd];
          break; // lower-priority threads are cut
        }
        if (cp >= 0 && inSet(prog, x[pc]!, cp)) this.add(next, pc + 1, cur.start[i]!, text, pos + width);
      }
      if (pos >= len) {
        // Threads still alive at the end can only match through assertions, already expanded: none remain.
        break;
      }
      const t = cur;
      cur = next;
      next = t;
      pos += width;
      if (cur.count === 0 && matchStart >= 0) break;
    }
    return matchStart >= 0 ? [matchStart, matchEnd] : undefined;
  }

  /** Marks the instructions of the current list as entered at this step, so adding the start thread skips them. */
  private markCurrent(list: ThreadList): void {
    for (let i = 0; i < list.count; i++) this.mark[list.pc[i]!] = this.generation;
  }

  /**
   * The submatches of the match that starts at `start` and ends at `end` (found by `find`): the same priorities,
   * run over the matched span only, with each thread carrying its capture slots.
   */
  captures(text: string, start: number, end: number): Captures {
    const { op, x, y, groups } = this.prog;
    const slots = 2 * (groups + 1);
    type Thread = { pc: number; caps: Int32Array };
    const mark = this.mark;
    const addAll = (list: Thread[], pc0: number, caps0: Int32Array, pos: number) => {
      const gen = this.generation;
      const stack: Thread[] = [{ pc: pc0, caps: caps0 }];
      while (stack.length) {
        const { pc, caps } = stack.pop()!;
        if (mark[pc] === gen) continue;
        mark[pc] = gen;
        switch (op[pc]) {
          case Op.Jump:
            stack.push({ pc: x[pc]!, caps });
            break;
          case Op.Split:
            stack.push({ pc: y[pc]!, caps }, { pc: x[pc]!, caps });
            break;
          case Op.Save: {
            const c = caps.slice();
            c[x[pc]!] = pos;
            stack.push({ pc: pc + 1, caps: c });
            break;
          }
          case Op.Assert:
            if (holds(x[pc]!, text, pos)) stack.push({ pc: pc + 1, caps });
            break;
          default:
            list.push({ pc, caps });
        }
      }
    };
    let cur: Thread[] = [];
    this.generation++;
    addAll(cur, 0, new Int32Array(slots).fill(-1), start);
    let pos = start;
    for (;;) {
      const cp = pos < text.length ? codePointAt(text, pos) : -1;
      const width = cp > 0xffff ? 2 : 1;
      const next: Thread[] = [];
      this.generation++;
      for (const t of cur) {
        if (op[t.pc] === Op.Match) {
          if (pos === end) return t.caps;
          break;
        }
        if (pos < end && cp >= 0 && inSet(this.prog, x[t.pc]!, cp)) addAll(next, t.pc + 1, t.caps, pos + width);
      }
      if (pos >= end || next.length === 0) break;
      cur = next;
      pos += width;
    }
    // Unreachable when `find` reported this span; the whole match is still a sound answer.
    const caps = new Int32Array(slots).fill(-1);
    caps[0] = start;
    caps[1] = end;
    return caps;
  }
}
