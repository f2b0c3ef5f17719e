import type { TSNode } from '../parse';
import type { GuardShape } from './guards';

/**
 * Which guards of a handler apply at a sink, found without weighing every guard for every sink. A guard applies when
 * its block encloses the sink, or when it ends before the sink, always leaves, and the statement list holding it
 * encloses the sink (`HandlerFlow.clearedAt`). Both conditions say "the sink lies inside an interval": the block,
 * or the stretch from the guard's end to its list's end. Such intervals come from tree nodes and nest or stay
 * apart, so each sink finds its intervals by a binary search and a walk out through the intervals around it.
 *
 * A handler dispatching on a 10,000-branch else-if chain made both steps quadratic before: every sink weighed every
 * guard before it, and reading each guard's parent made tree-sitter descend from the root through the chain.
 */

/** A span as plain numbers: reading a node's offsets crosses into WebAssembly. */
interface Span {
  startIndex: number;
  endIndex: number;
}

/** Work done by guard lookups, for tests and benchmarks that check the cost grows linearly with the handler. */
export const guardLookupWork = {
  /** Intervals (or, when the index could not be built, guards) looked at by all lookups so far. */
  visited: 0,
};

/**
 * Intervals that nest or are disjoint, sorted by start (longer first on a tie), each with the index of the
 * innermost interval around it. `laminar` is false when two intervals overlap without nesting, which tree spans
 * never do; the caller then weighs every guard as before rather than trust the walk.
 */
class NestedIntervals {
  private readonly list: { span: Span; guard: number }[];
  private readonly outer: number[] = [];
  /** False when two intervals overlap without nesting (then `collect` could miss one). */
  laminar = true;

  constructor(items: { span: Span; guard: number }[]) {
    this.list = items.sort(
      (a, b) => a.span.startIndex - b.span.startIndex || b.span.endIndex - a.span.endIndex || a.guard - b.guard,
    );
    const open: number[] = [];
    this.list.forEach((x, i) => {
      for (;;) {
        const top = open[open.length - 1];
        if (top === undefined || encloses(this.list[top]!.span, x.span)) break;
        if (this.list[top]!.span.endIndex > x.span.startIndex) this.laminar = false;
        open.pop();
      }
      this.outer.push(open.length ? open[open.length - 1]! : -1);
      open.push(i);
    });
  }

  /** Adds to `out` the guard of every interval enclosing `at`. */
  collect(at: Span, out: number[]): void {
    let lo = 0;
    let hi = this.list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.list[mid]!.span.startIndex <= at.startIndex) lo = mid + 1;
      else hi = mid;
    }
    // Every interval enclosing `at` encloses the last one starting at or before it, or is that one.
    for (let i = lo - 1; i >= 0; i = this.outer[i]!) {
      guardLookupWork.visited++;
      if (encloses(this.list[i]!.span, at)) out.push(this.list[i]!.guard);
    }
  }
}

function encloses(outer: Span, inner: Span): boolean {
  return outer.startIndex <= inner.startIndex && inner.endIndex <= outer.endIndex;
}

/** The guards of one handler, indexed for `applying`. */
export class GuardIndex {
  private readonly blocks: NestedIntervals;
  private readonly after: NestedIntervals;

  /** `guards` in document order, as the handler's binding index collects them. */
  constructor(private readonly guards: readonly GuardShape[]) {
    const blocks: { span: Span; guard: number }[] = [];
    const after: { span: Span; guard: number }[] = [];
    guards.forEach((g, i) => {
      if (!g.cond) return;
      if (g.body) blocks.push({ span: g.body, guard: i });
      // The stretch after the guard is empty when the guard is the last thing in its parent (an `else if` inside
      // its else clause): no sink can lie there, so whether it leaves is not even asked.
      if (g.parent && g.parent.endIndex > g.endIndex && g.leaves())
        after.push({ span: { startIndex: g.endIndex, endIndex: g.parent.endIndex }, guard: i });
    });
    this.blocks = new NestedIntervals(blocks);
    this.after = new NestedIntervals(after);
  }

  /** The guards that apply at a sink spanning `at`, in document order. */
  applying(at: Span): GuardShape[] {
    if (!this.blocks.laminar || !this.after.laminar) return this.scan(at);
    const found: number[] = [];
    this.blocks.collect(at, found);
    this.after.collect(at, found);
    // In document order, as a scan of the guards gives them (a guard can be found through both intervals).
    return [...new Set(found)].sort((a, b) => a - b).map((i) => this.guards[i]!);
  }

  /** Every guard weighed in turn: the fallback when the intervals do not nest. */
  private scan(at: Span): GuardShape[] {
    const out: GuardShape[] = [];
    for (const g of this.guards) {
      if (g.startIndex >= at.startIndex) break;
      guardLookupWork.visited++;
      if (!g.cond) continue;
      const inside = !!g.body && encloses(g.body, at);
      const before = g.endIndex <= at.startIndex && !!g.parent && encloses(g.parent, at) && g.leaves();
      if (inside || before) out.push(g);
    }
    return out;
  }
}

/**
 * The span of the parent of each of `nodes` (all inside `root`, in document order), keyed by node id, read with one
 * cursor walk from `root` that only descends into nodes where one of them starts. Asking each node for its parent
 * instead makes tree-sitter descend from the root every time: quadratic down a 10,000-branch else-if chain.
 */
export function parentSpans(root: TSNode, nodes: readonly TSNode[]): Map<number, Span> {
  const out = new Map<number, Span>();
  if (!nodes.length) return out;
  const ids = new Set(nodes.map((n) => n.id));
  const starts = nodes.map((n) => n.startIndex);
  // True when one of the nodes starts inside [start, end): only then can it lie below the cursor.
  const startsWithin = (start: number, end: number): boolean => {
    let lo = 0;
    let hi = starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid]! < start) lo = mid + 1;
      else hi = mid;
    }
    return lo < starts.length && starts[lo]! < end;
  };
  const cursor = root.walk();
  // The spans of the cursor's ancestors up to `root`, innermost last.
  const stack: Span[] = [];
  try {
    for (;;) {
      const start = cursor.startIndex;
      const end = cursor.endIndex;
      if (stack.length && ids.has(cursor.nodeId)) out.set(cursor.nodeId, stack[stack.length - 1]!);
      if (startsWithin(start, end) && cursor.gotoFirstChild()) {
        stack.push({ startIndex: start, endIndex: end });
        continue;
      }
      for (;;) {
        if (!stack.length) return out;
        if (cursor.gotoNextSibling()) break;
        cursor.gotoParent();
        stack.pop();
      }
    }
  } finally {
    cursor.delete();
  }
}
