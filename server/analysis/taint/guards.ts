import { calleeOf, nodesOfType, positionalArgs, propertyName, receiverOf, stripAwaitAndCasts, walk } from '../ast';
import type { TSNode } from '../parse';
import { qualify, type CodeFacts } from '../sinks/facts';
import type { SinkFamily } from '../sinks/types';
import {
  CONTAINMENT,
  CONTAINMENT_CALLS,
  MEMBERSHIP,
  PATTERN,
  SSRF_VALIDATOR_NAME,
  THROWING_VALIDATOR,
  URL_HOST_PROPERTY,
  VALIDATOR_NAME,
} from './models';

/**
 * Guard recognition: which `if`, `elif` and `assert` statements of a handler sanitise which expressions, for which
 * sink family. A guard is a containment, allowlist or pattern check (tables in models.ts) whose block either exits
 * early before the sink (throw, return, raise, continue, break) or encloses it. Values are compared by their
 * source text without whitespace (`normText`): the analysis has no value numbering, and a check and a use of the
 * same expression are almost always written alike.
 */

/** A guard of a handler as `HandlerFlow.clearedAt` weighs it: spans as numbers, the rest computed on first use. */
export interface GuardShape {
  /** Start offset of the guard statement. */
  startIndex: number;
  /** End offset of the guard statement. */
  endIndex: number;
  /** The condition (or the asserted expression). */
  cond: TSNode | null;
  /** The span of the guarded block, when there is one. */
  body: { startIndex: number; endIndex: number } | null;
  /** The span of the statement list holding the guard. */
  parent: { startIndex: number; endIndex: number } | null;
  /** True for an assert, or a guarded block that always leaves (throw, return, raise, continue, break). */
  leaves(): boolean;
  /** The normalised texts the condition vouches for, per family. */
  clears(family: SinkFamily): Set<string>;
}

/**
 * Reads a guard statement once. A dispatcher with a thousand `case`s has a thousand guards, each weighed for every
 * sink after it, and each read crosses into WebAssembly: spans are copied out, and `leaves` and `clears` are
 * computed on first use. `vouches` says which texts a condition vouches for (the flow adds names bound from them).
 * `parent` is the span of the guard's parent when the caller has read it already (guardIndex.ts parentSpans):
 * asking tree-sitter for a parent descends from the root.
 */
export function guardShape(
  g: TSNode,
  vouches: (cond: TSNode, family: SinkFamily) => Set<string>,
  parent: { startIndex: number; endIndex: number } | null = g.parent,
): GuardShape {
  const cond = g.childForFieldName('condition') ?? g.namedChildren[0] ?? null;
  const body = g.childForFieldName('consequence');
  let leaves: boolean | undefined;
  const cleared = new Map<SinkFamily, Set<string>>();
  return {
    startIndex: g.startIndex,
    endIndex: g.endIndex,
    cond,
    body: body && { startIndex: body.startIndex, endIndex: body.endIndex },
    parent: parent && { startIndex: parent.startIndex, endIndex: parent.endIndex },
    // An assert, and a validator called as a statement (`statementGuard`), stop the code after them on a bad value.
    leaves: () =>
      (leaves ??= g.type === 'assert_statement' || g.type === 'expression_statement' || (!!body && exits(body))),
    clears: (family: SinkFamily) => {
      let set = cleared.get(family);
      if (!set) {
        set = cond ? vouches(cond, family) : new Set();
        cleared.set(family, set);
      }
      return set;
    },
  };
}

/** An expression's source text without whitespace: how guards and uses of the same value are matched. */
export function normText(s: string): string {
  return s.replace(/\s+/g, '');
}

/** True when a block (or statement) always leaves: its last statement throws, returns, raises, continues or breaks. */
function exits(body: TSNode): boolean {
  const last =
    body.type === 'statement_block' || body.type === 'block'
      ? body.namedChildren.filter((c) => c && c.type !== 'comment').pop()
      : body;
  return (
    !!last &&
    ['throw_statement', 'return_statement', 'raise_statement', 'continue_statement', 'break_statement'].includes(
      last.type,
    )
  );
}

/** The node types guardSubjects() reads in a condition. */
const GUARD_NODES = ['call_expression', 'call', 'comparison_operator', 'binary_expression'];

/**
 * The expressions a guard condition checks, for one family: the subject of `x.startsWith(root)`, of
 * `ALLOWED.includes(x)` / `x in ALLOWED`, of `re.fullmatch(p, x)` / `/…/.test(x)`, of `x === "literal"`, of
 * `commonpath([root, x])`, and the arguments of a validation helper (`isPathAllowed(x)`).
 */
export function guardSubjects(cond: TSNode, family: SinkFamily, facts: CodeFacts): TSNode[] {
  const out: TSNode[] = [];
  // Only calls, comparisons and binary expressions say anything: they are collected in one traversal.
  for (const n of nodesOfType(cond, GUARD_NODES)) {
    if (n.type === 'call_expression' || n.type === 'call') {
      const callee = calleeOf(n);
      if (!callee) continue;
      const name = propertyName(callee) ?? '';
      const q = qualify(callee, facts.aliases) ?? '';
      const recv = receiverOf(n);
      const args = positionalArgs(n);
      if (CONTAINMENT.has(name) && recv) {
        if (family === 'path' || (family === 'ssrf' && args.some((a) => /\./.test(a.text)))) out.push(recv);
        else if (family !== 'ssrf') out.push(recv);
      } else if (MEMBERSHIP.has(name) && args[0]) out.push(args[0]);
      else if (PATTERN.has(name) || PATTERN.has(q)) {
        const subject =
          name === 'test' ? args[0] : name === 'isinstance' ? args[0] : recv && /^is/.test(name) ? recv : args[1];
        if (subject) out.push(subject);
      } else if (CONTAINMENT_CALLS.test(q) && args[0])
        walk(args[0], (x) => {
          if (x.type === 'identifier' || x.type === 'call') out.push(x);
        });
      else if (VALIDATOR_NAME.test(name) || (family === 'ssrf' && SSRF_VALIDATOR_NAME.test(name)))
        for (const a of args) out.push(a);
    } else if (n.type === 'comparison_operator') {
      const ops = n.children
        .filter((c) => c && !c.isNamed)
        .map((c) => c!.text)
        .join(' ');
      const [left, right] = [n.namedChildren[0], n.namedChildren[1]];
      if (/\bin\b/.test(ops) && left) out.push(left);
      else if (/[=!]=/.test(ops) && left && right) {
        if (right.type === 'string' || (right.type === 'identifier' && /^[A-Z_]+$/.test(right.text))) out.push(left);
        else if (left.type === 'string') out.push(right);
      }
    } else if (n.type === 'binary_expression') {
      const op = n.childForFieldName('operator')?.text ?? '';
      const left = n.childForFieldName('left');
      const right = n.childForFieldName('right');
      if (/^[=!]==?$/.test(op) && left && right) {
        if (right.type === 'string') out.push(left);
        else if (left.type === 'string') out.push(right);
        else if (family === 'ssrf' && /host|origin/i.test(left.text)) out.push(left);
      } else if (op === 'in' && left) out.push(left);
    }
  }
  // `new URL(u).hostname` checked: the URL itself is vouched for.
  for (const s of [...out]) {
    const u = stripAwaitAndCasts(s);
    if ((u.type === 'member_expression' || u.type === 'attribute') && URL_HOST_PROPERTY.test(propertyName(u) ?? '')) {
      const obj = u.childForFieldName('object');
      if (obj) out.push(obj);
      const inner = obj && stripAwaitAndCasts(obj);
      if (inner && (inner.type === 'new_expression' || inner.type === 'call' || inner.type === 'call_expression'))
        for (const a of positionalArgs(inner)) out.push(a);
    } else if (u.type === 'call' || u.type === 'call_expression') {
      for (const a of positionalArgs(u)) if (a.type === 'identifier') out.push(a);
      // ipaddr.js: `ipaddr.parse(address).range() !== "unicast"` checks the parsed address.
      const parsed = propertyName(calleeOf(u) ?? u) === 'range' ? receiverOf(u) : undefined;
      const p = parsed && stripAwaitAndCasts(parsed);
      if (p && (p.type === 'call_expression' || p.type === 'call'))
        for (const a of positionalArgs(p)) if (a.type === 'identifier') out.push(a);
    }
  }
  return out;
}

/**
 * The statement holding `call` when it is a validation helper called for its throw (`this.validateUrl(url);`,
 * `await validateResolvedIp(url);`): a name that says it validates (`VALIDATOR_NAME`, or an SSRF check) with a prefix
 * of a helper that throws (`THROWING_VALIDATOR`), called on nothing or on `this`, a class or a module, as a whole
 * statement. When the file defines a function or method of that name, its body must throw (or raise): a helper
 * that only returns a verdict checks nothing when its result is dropped. Undefined otherwise.
 */
export function statementGuard(call: TSNode, defines: (name: string) => TSNode[]): TSNode | undefined {
  const callee = calleeOf(call);
  const name = callee ? (propertyName(callee) ?? '') : '';
  if (!THROWING_VALIDATOR.test(name) || !(VALIDATOR_NAME.test(name) || SSRF_VALIDATOR_NAME.test(name)))
    return undefined;
  let stmt = call.parent;
  if (stmt?.type === 'await_expression' || stmt?.type === 'await') stmt = stmt.parent;
  if (stmt?.type !== 'expression_statement') return undefined;
  const bodies = defines(name);
  if (bodies.length && !bodies.some((b) => b.descendantsOfType(['throw_statement', 'raise_statement']).length))
    return undefined;
  return stmt;
}
