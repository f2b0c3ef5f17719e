import type { DetectContext } from '../../core/rule';
import { calleeOf, propertyName, receiverOf, stripAwaitAndCasts } from '../ast';
import { nodeIndexOf, type TSNode } from '../parse';
import type { CodeFacts } from '../sinks/facts';
import { dispatchedName } from '../taint/index';

/**
 * Which functions a tool's handler reaches: the handler itself and the functions it calls, transitively and within
 * bounds. A call is resolved by the `CallResolver` the caller gives; the default resolves same-file calls by name
 * (a bare `helper(x)` to the one function named `helper`, `this.helper(x)` / `self.helper(x)` to the one method of
 * that name). A cross-file resolver (function summaries of the workspace) plugs in through the same seam.
 */

/** What a call resolves to: a function of this document, or nothing known. */
export type CallResolver = (call: TSNode) => TSNode | undefined;

/** A function reached from a handler, with the call in the handler that leads to it. */
export interface Reached {
  /** The function. */
  fn: TSNode;
  /** The call inside the handler's own body through which it is reached (undefined for the handler itself). */
  entry?: TSNode;
  /** The names of the functions called on the way, from the handler (for messages: "through `runCommand`"). */
  path: string[];
}

/** How deep calls are followed (handler → helper → helper → helper). */
const MAX_DEPTH = 4;
/** How many functions one handler may reach before the walk stops (a dispatcher reaching a whole library). */
const MAX_FUNCTIONS = 200;

/** The calls of the document inside a span, in document order (binary search over the facts' sorted calls). */
export function callsWithin(facts: CodeFacts, span: { startIndex: number; endIndex: number }): TSNode[] {
  return nodesWithin(facts.calls, span);
}

/** The nodes of a start-ordered list that lie inside a span. */
export function nodesWithin<T extends { startIndex: number; endIndex: number }>(
  sorted: readonly T[],
  span: { startIndex: number; endIndex: number },
): T[] {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]!.startIndex < span.startIndex) lo = mid + 1;
    else hi = mid;
  }
  const out: T[] = [];
  for (let i = lo; i < sorted.length && sorted[i]!.startIndex < span.endIndex; i++)
    if (sorted[i]!.endIndex <= span.endIndex) out.push(sorted[i]!);
  return out;
}

/**
 * Every function reached from `root`, breadth first (so each function is reached by its shortest path), the root
 * first. Bounded in depth and count.
 */
export function reachFrom(root: TSNode, facts: CodeFacts, resolve: CallResolver): Reached[] {
  const out: Reached[] = [{ fn: root, path: [] }];
  const seen = new Set<number>([root.id]);
  let frontier = out.slice();
  for (let depth = 0; depth < MAX_DEPTH && frontier.length; depth++) {
    const next: Reached[] = [];
    for (const r of frontier) {
      for (const call of callsWithin(facts, r.fn)) {
        const fn = resolve(call);
        if (!fn || seen.has(fn.id)) continue;
        if (out.length >= MAX_FUNCTIONS) return out;
        seen.add(fn.id);
        const name = nameOf(fn) ?? '(function)';
        const reached = { fn, entry: r.entry ?? call, path: [...r.path, name] };
        out.push(reached);
        next.push(reached);
      }
    }
    frontier = next;
  }
  return out;
}

/** The default resolver: same-file functions and methods by their unique name. */
export function sameFileResolver(ctx: DetectContext): CallResolver {
  const { functions, methods } = callablesOf(ctx);
  return (call) => {
    if (call.type === 'new_expression') return undefined;
    const callee = calleeOf(call);
    if (!callee) return undefined;
    const c = stripAwaitAndCasts(callee);
    if (c.type === 'identifier') return functions.get(c.text) ?? undefined;
    const recv = receiverOf(call);
    if (!recv || !/^(?:this|self|cls)$/.test(recv.text)) return undefined;
    const name = propertyName(c);
    return name ? (methods.get(name) ?? undefined) : undefined;
  };
}

/** Same-file functions and methods by name; a name defined twice maps to null (ambiguous, never followed). */
function callablesOf(ctx: DetectContext): {
  functions: Map<string, TSNode | null>;
  methods: Map<string, TSNode | null>;
} {
  return ctx.memo('capabilities:callables', () => {
    const functions = new Map<string, TSNode | null>();
    const methods = new Map<string, TSNode | null>();
    const add = (map: Map<string, TSNode | null>, name: string | undefined, fn: TSNode) => {
      if (name) map.set(name, map.has(name) ? null : fn);
    };
    const index = nodeIndexOf(ctx);
    if (!index) return { functions, methods };
    for (const n of index.of([
      'function_declaration',
      'generator_function_declaration',
      'function_definition',
      'method_definition',
      'variable_declarator',
    ])) {
      if (n.type === 'variable_declarator') {
        const v = n.childForFieldName('value');
        const name = n.childForFieldName('name');
        if (v && name?.type === 'identifier' && ['arrow_function', 'function_expression', 'function'].includes(v.type))
          add(functions, name.text, v);
        continue;
      }
      const name = n.childForFieldName('name')?.text;
      add(n.type === 'method_definition' || inClass(n) ? methods : functions, name, n);
    }
    return { functions, methods };
  });
}

/** True for a Python `def` directly in a class body (possibly decorated). */
function inClass(fn: TSNode): boolean {
  if (fn.type !== 'function_definition') return false;
  let p = fn.parent;
  if (p?.type === 'decorated_definition') p = p.parent;
  return p?.type === 'block' && p.parent?.type === 'class_definition';
}

/** The name a function is called by: its declared name, or the variable an anonymous function is bound to. */
export function nameOf(fn: TSNode): string | undefined {
  const own = fn.childForFieldName('name');
  if (own && fn.type !== 'arrow_function' && fn.type !== 'function_expression') return own.text;
  const p = fn.parent;
  if (p?.type === 'variable_declarator') return p.childForFieldName('name')?.text;
  return undefined;
}

/**
 * The tool a CallTool dispatcher serves at a node of a function it reaches: the branch around the call in the
 * dispatcher that leads there (`case "run":`), else, when the dispatcher only delegates (`return handle(request)`)
 * to a function that switches on the tool name, the branch around the node in the function reached. A branch of a
 * reached function counts only when it names a tool registered in the file: a helper's own `switch (format)` names
 * no tool.
 */
export function branchOf(
  r: Reached,
  node: TSNode,
  dispatcher: TSNode,
  registered: ReadonlySet<string>,
): string | undefined {
  const own = dispatchedName(r.entry ?? node, dispatcher);
  if (own || r.fn.id === dispatcher.id) return own;
  const inner = dispatchedName(node, r.fn);
  return inner && registered.has(inner) ? inner : undefined;
}
