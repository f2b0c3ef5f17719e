import { indexedNodesOf, type TSNode } from './parse';

/**
 * Small, grammar-aware helpers over tree-sitter nodes for the two language families we analyse (JS/TS and Python),
 * shared by the sink finders, the taint analysis, the MCP metadata extractors and the rules that walk trees. They
 * read the tree, never the raw lines, so a call spanning lines or a string holding `eval(` is seen for what it is.
 * Helpers for one language only belong with that language's code (`mcp/evalJs.ts`, `sinks/python.ts`).
 */

/** The language family of a parse tree. */
export type Lang = 'js' | 'python';

/** The language family of a tree, from its root node type. */
export function langOfRoot(root: TSNode): Lang {
  return root.type === 'module' ? 'python' : 'js';
}

/** Visits every node below (and including) `root` in document order, with a cursor (no child arrays built). */
export function walk(root: TSNode, visit: (node: TSNode) => void): void {
  const cursor = root.walk();
  try {
    for (;;) {
      visit(cursor.currentNode);
      if (cursor.gotoFirstChild()) continue;
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent() || cursor.currentNode.id === root.id) return;
      }
      if (cursor.currentNode.id === root.id) return;
    }
  } finally {
    cursor.delete();
  }
}

/**
 * Every node of the given types below (and including) `root`, in document order: the nodes `walk` visits, filtered.
 * The traversal runs inside WebAssembly in one call, where `walk` crosses the boundary several times per node, so an
 * analysis that only looks at a few node types should collect them with this.
 */
export function nodesOfType(root: TSNode, types: readonly string[]): TSNode[] {
  return root.descendantsOfType([...types]).filter((n): n is TSNode => !!n);
}

/** A stable identity for a node within one tree (node objects are recreated on every access). */
export function nodeKey(n: TSNode): string {
  return `${n.startIndex}:${n.endIndex}:${n.type}`;
}

/** Named children without comments. */
export function kids(n: TSNode | null | undefined): TSNode[] {
  if (!n) return [];
  return n.namedChildren.filter((c): c is TSNode => !!c && c.type !== 'comment');
}

/** Wrappers that change neither the value nor when it is computed: parentheses and TypeScript type assertions. */
const CASTS = new Set([
  'parenthesized_expression',
  'as_expression',
  'satisfies_expression',
  'non_null_expression',
  'type_assertion',
]);
/** The same plus `await` (JS `await_expression`, Python `await`). */
const AWAIT_AND_CASTS = new Set([...CASTS, 'await_expression', 'await']);

/** True for the type part of a type assertion (`x as T`, `<T>x`), which is never the wrapped value. */
function isTypeNode(n: TSNode): boolean {
  return (
    n.type.endsWith('_type') ||
    n.type === 'type_identifier' ||
    n.type === 'nested_type_identifier' ||
    n.type === 'type_annotation' ||
    n.type === 'type_arguments'
  );
}

/** Strips the wrappers in `types` until a node of another type is left. */
function stripWrappers(node: TSNode, types: ReadonlySet<string>): TSNode {
  return (types === CASTS ? castsStripped : awaitsStripped).get(node, (x) => unwrap(x, types));
}

/** stripWrappers without the memo. */
function unwrap(node: TSNode, types: ReadonlySet<string>): TSNode {
  let n = node;
  while (types.has(n.type)) {
    const inner = kids(n).find((c) => !isTypeNode(c));
    if (!inner) break;
    n = inner;
  }
  return n;
}

/**
 * Strips parentheses and TypeScript type assertions (`as`, `satisfies`, `!`, `<T>`), which never change what a
 * value holds, and keeps `await`: the MCP metadata extractors fold constant strings and read object literals, and an
 * awaited value is neither.
 */
export function stripCasts(node: TSNode): TSNode {
  return stripWrappers(node, CASTS);
}

/**
 * Strips parentheses, TypeScript type assertions and `await`: the sink finders and the taint analysis follow the
 * value a promise settles to, so `await fs.readFile(p)` is the call `fs.readFile(p)` for them.
 */
export function stripAwaitAndCasts(node: TSNode): TSNode {
  return stripWrappers(node, AWAIT_AND_CASTS);
}

/**
 * Per-tree memo of a fact derived from a node, keyed by the node's id (unique within a tree). Node objects are
 * recreated on every navigation and each property read crosses into WebAssembly, while the injection rules,
 * the taint analysis and the TLS rule ask for the same call's callee and arguments again and again. Trees are
 * not edited while they are analysed, so a derived fact stays true for the tree's life.
 */
class NodeMemo<T> {
  private readonly byTree = new WeakMap<object, Map<number, T>>();

  get(n: TSNode, compute: (n: TSNode) => T): T {
    let m = this.byTree.get(n.tree);
    if (!m) {
      m = new Map();
      this.byTree.set(n.tree, m);
    }
    if (m.has(n.id)) return m.get(n.id)!;
    const v = compute(n);
    m.set(n.id, v);
    return v;
  }
}

const callees = new NodeMemo<TSNode | null>();
// What the two strip helpers return for a node. Nearly every analysis strips the node it looks at, most nodes are
// no wrapper at all, and even that answer costs a read of the node's type inside WebAssembly; the same nodes are
// stripped again for every sink family the taint analysis asks about.
const castsStripped = new NodeMemo<TSNode>();
const awaitsStripped = new NodeMemo<TSNode>();
const positionals = new NodeMemo<readonly TSNode[]>();
const functions = new NodeMemo<TSNode | undefined>();

/**
 * The callee of a call (`call_expression`, Python `call`, `new_expression`). `(0, m.f)(…)` answers `m.f`: TypeScript's
 * and esbuild's CommonJS output call every imported function through that comma expression (so that `this` is
 * undefined), and published packages ship that output, so the rules must see the call as a call of `m.f`.
 */
export function calleeOf(call: TSNode): TSNode | null {
  return callees.get(call, (c) => {
    const f = c.childForFieldName('function');
    return f ? indirectCallee(f) : c.childForFieldName('constructor');
  });
}

/** `(0, m.f)` → `m.f`; any other callee as it is. */
function indirectCallee(f: TSNode): TSNode {
  if (f.type !== 'parenthesized_expression') return f;
  const seq = f.namedChildren[0];
  if (seq?.type !== 'sequence_expression') return f;
  const parts = seq.namedChildren;
  return parts.length === 2 && parts[0]?.type === 'number' && parts[1] ? parts[1] : f;
}

/**
 * Positional arguments of a call (JS: every argument; Python: arguments that are not `name=value`). The array is
 * shared by every caller (like tree-sitter's own `children`): read it, never change it.
 */
export function positionalArgs(call: TSNode): readonly TSNode[] {
  return positionals.get(call, (c) => {
    const list = c.childForFieldName('arguments');
    if (!list || (list.type !== 'arguments' && list.type !== 'argument_list')) return [];
    return list.namedChildren.filter((x): x is TSNode => !!x && x.type !== 'keyword_argument' && x.type !== 'comment');
  });
}

/** The value of a Python keyword argument `name=value`, when present. */
export function keywordArg(call: TSNode, name: string): TSNode | undefined {
  const list = call.childForFieldName('arguments');
  if (!list || list.type !== 'argument_list') return undefined;
  for (const c of list.namedChildren) {
    if (c?.type === 'keyword_argument' && c.childForFieldName('name')?.text === name)
      return c.childForFieldName('value') ?? undefined;
  }
  return undefined;
}

/** The Python `name=value` node itself, when present (for exact spans and fixes). */
export function keywordArgNode(call: TSNode, name: string): TSNode | undefined {
  const list = call.childForFieldName('arguments');
  if (!list || list.type !== 'argument_list') return undefined;
  return list.namedChildren.find(
    (c): c is TSNode => c?.type === 'keyword_argument' && c.childForFieldName('name')?.text === name,
  );
}

/** The `key: value` pair of a JS object literal with the given key, when present. */
export function objectPair(obj: TSNode | undefined, key: string): TSNode | undefined {
  if (!obj || obj.type !== 'object') return undefined;
  for (const c of obj.namedChildren) {
    if (c?.type !== 'pair') continue;
    const k = c.childForFieldName('key');
    if (k && stripQuotes(k.text) === key) return c;
  }
  return undefined;
}

/** Removes one level of matching quotes. */
export function stripQuotes(s: string): string {
  return /^(['"`]).*\1$/s.test(s) ? s.slice(1, -1) : s;
}

/** The last segment of a member access / attribute (`a.b.c` → `c`), or the identifier itself. */
export function propertyName(node: TSNode): string | undefined {
  const n = stripAwaitAndCasts(node);
  if (n.type === 'identifier') return n.text;
  if (n.type === 'member_expression') return n.childForFieldName('property')?.text;
  if (n.type === 'attribute') return n.childForFieldName('attribute')?.text;
  return undefined;
}

/** The receiver of a method call (`a.b(...)` → `a`), when the callee is a member access. */
export function receiverOf(call: TSNode): TSNode | undefined {
  const f = calleeOf(call);
  if (!f) return undefined;
  const n = stripAwaitAndCasts(f);
  if (n.type === 'member_expression' || n.type === 'attribute') return n.childForFieldName('object') ?? undefined;
  return undefined;
}

/** True when the node (or span) `inner` lies within `outer` (inclusive). */
export function encloses(
  outer: { startIndex: number; endIndex: number },
  inner: { startIndex: number; endIndex: number },
): boolean {
  return outer.startIndex <= inner.startIndex && inner.endIndex <= outer.endIndex;
}

/** The nearest ancestor (or the node itself) accepted by `pred`. */
export function ancestor(node: TSNode, pred: (n: TSNode) => boolean): TSNode | undefined {
  for (let n: TSNode | null = node; n; n = n.parent) if (pred(n)) return n;
  return undefined;
}

/** JS and Python function-like node types: their bodies are scopes for the intra-procedural analyses. */
export const FUNCTION_TYPES = new Set([
  'function_declaration',
  'function_expression',
  'arrow_function',
  'method_definition',
  'generator_function_declaration',
  'generator_function',
  'function_definition',
  'lambda',
  'function',
]);

/** Nodes of some types in one tree, in document order, each with the index of the innermost one around it. */
interface SpanIndex {
  nodes: TSNode[];
  outer: number[];
}
const spanIndexes = new WeakMap<object, Map<string, SpanIndex>>();

function spanIndexOf(root: TSNode, types: readonly string[]): SpanIndex {
  let byTypes = spanIndexes.get(root.tree);
  if (!byTypes) {
    byTypes = new Map();
    spanIndexes.set(root.tree, byTypes);
  }
  const key = types.join(',');
  let index = byTypes.get(key);
  if (!index) {
    // Document order puts an ancestor before its descendants, so a stack of open spans gives each one's outer.
    const nodes = (indexedNodesOf(root, types) ?? nodesOfType(root, types)).filter((n) => n.isNamed);
    const outer: number[] = [];
    const open: number[] = [];
    nodes.forEach((n, i) => {
      while (open.length && !encloses(nodes[open[open.length - 1]!]!, n)) open.pop();
      outer.push(open.length ? open[open.length - 1]! : -1);
      open.push(i);
    });
    index = { nodes, outer };
    byTypes.set(key, index);
  }
  return index;
}

/**
 * The proper ancestors of a node that have one of the given types, nearest first (at most `max`). They are found among the tree's
 * nodes of those types by offsets rather than by climbing `parent`: tree-sitter finds a parent by descending from
 * the root, so climbing cost the depth squared (minutes for a chain of 10,000 nested arrow functions) and, in a
 * large file, a scan of the root's children at every step.
 */
export function ancestorsOfType(x: TSNode, types: readonly string[], max = Infinity): TSNode[] {
  const start = x.startIndex;
  const end = x.endIndex;
  const out: TSNode[] = [];
  if (start === end) {
    // A zero-width node at the edge of another cannot be placed by offsets alone.
    for (let n = x.parent; n && out.length < max; n = n.parent) if (types.includes(n.type)) out.push(n);
    return out;
  }
  const { nodes, outer } = spanIndexOf(x.tree.rootNode, types);
  let lo = 0;
  let hi = nodes.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (nodes[mid]!.startIndex <= start) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo - 1; i >= 0 && out.length < max; i = outer[i]!) {
    const f = nodes[i]!;
    if (f.id === x.id || !encloses(f, x)) continue;
    // A node with the exact span may be a child (`() => 1` as a whole expression statement).
    if (f.startIndex === start && f.endIndex === end && !isProperAncestor(f, x)) continue;
    out.push(f);
  }
  return out;
}

const FUNCTION_TYPE_LIST = [...FUNCTION_TYPES];

/**
 * The nearest enclosing function of a node, if any. Memoised per node: resolving a name compares the enclosing
 * function of every earlier binding of that name.
 */
export function enclosingFunction(node: TSNode): TSNode | undefined {
  return functions.get(node, (x) => ancestorsOfType(x, FUNCTION_TYPE_LIST, 1)[0]);
}

/** True when `a` is a proper ancestor of `d`, for nodes with the same span (a short climb). */
function isProperAncestor(a: TSNode, d: TSNode): boolean {
  for (let p = d.parent; p && p.startIndex === a.startIndex && p.endIndex === a.endIndex; p = p.parent)
    if (p.id === a.id) return true;
  return false;
}
