import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type {
  Range as TSRange,
  Language as TSLanguage,
  Node as TSNode,
  Parser as TSParser,
  Tree as TSTree,
} from '@vscode/tree-sitter-wasm';
import { codeNestingDepth, MAX_NESTING_DEPTH } from '../core/depth';
import type { DetectContext } from '../core/rule';
import type { FileKind } from '../../shared/types';

export type { TSNode, TSRange, TSTree };

/** The grammars we parse with: VS Code's own tree-sitter builds from @vscode/tree-sitter-wasm. */
export type Grammar = 'typescript' | 'tsx' | 'javascript' | 'python';

interface Loaded {
  Parser: typeof TSParser;
  languages: Map<Grammar, TSLanguage>;
}

let loaded: Loaded | undefined;
let loading: Promise<Loaded> | undefined;
/**
 * The options object tree-sitter's Emscripten runtime was started with: the runtime adopts it as its module object
 * and keeps its current memory view (`HEAP8`) on it, which is how `parserMemoryBytes` reads the size of the
 * WebAssembly memory without reaching into the runtime's internals.
 */
let runtime: { locateFile?: (file: string) => string; HEAP8?: Int8Array } = {};

/**
 * Finds a .wasm file: beside the bundle (dist/ and out/test/ get copies at build time), else in node_modules.
 */
function wasmPath(file: string): string {
  const candidates = [join(__dirname, file), join(dirname(__dirname), file)];
  for (const c of candidates) if (existsSync(c)) return c;
  const req = createRequire(__filename);
  return join(dirname(req.resolve('@vscode/tree-sitter-wasm/package.json')), 'wasm', file);
}

/**
 * Loads the tree-sitter runtime and grammars once per process (or worker thread). Must be awaited before the
 * first scan of source code; after it, parsing is synchronous so detectors stay simple pure functions.
 */
export function initParsers(): Promise<void> {
  if (!loading) {
    loading = (async () => {
      const mod = require('@vscode/tree-sitter-wasm') as typeof import('@vscode/tree-sitter-wasm');
      const options = { locateFile: (f: string) => wasmPath(f) };
      runtime = options;
      await mod.Parser.init(options);
      const languages = new Map<Grammar, TSLanguage>();
      for (const g of ['typescript', 'tsx', 'javascript', 'python'] as const) {
        languages.set(g, await mod.Language.load(new Uint8Array(readFileSync(wasmPath(`tree-sitter-${g}.wasm`)))));
      }
      loaded = { Parser: mod.Parser, languages };
      return loaded;
    })();
  }
  return loading.then(() => undefined);
}

const parsers = new Map<Grammar, TSParser>();

/**
 * Bytes of WebAssembly memory tree-sitter holds in this thread (0 before `initParsers`). It grows to the largest
 * parse so far and never shrinks, so the worker pool watches it to decide when a worker should retire.
 */
export function parserMemoryBytes(): number {
  return runtime.HEAP8?.buffer.byteLength ?? 0;
}

/** The grammar for a path: .tsx/.jsx → tsx, .ts/.mts/.cts → typescript, other JS → javascript, .py → python. */
export function grammarFor(path: string): Grammar | undefined {
  const p = path.toLowerCase();
  if (p.endsWith('.py') || p.endsWith('.pyi')) return 'python';
  if (p.endsWith('.tsx') || p.endsWith('.jsx')) return 'tsx';
  if (/\.[cm]?ts$/.test(p)) return 'typescript';
  if (/\.[cm]?js$/.test(p)) return 'javascript';
  return undefined;
}

/**
 * Parses a document. Throws when initParsers() has not completed, which is a programming error in the caller
 * (the CLI, the worker and the test setup all await it first). With `oldTree` (already `edit`ed to match `text`),
 * tree-sitter reuses the subtrees the edits left alone: the editor's incremental re-parse. With `includedRanges`, only
 * those parts of the text are parsed (the rest is skipped, not even lexed), and the tree's positions are the text's.
 */
export function parse(text: string, grammar: Grammar, oldTree?: TSTree, includedRanges?: TSRange[]): TSTree {
  if (!loaded) throw new Error('tree-sitter is not initialised: await initParsers() before scanning source code');
  let parser = parsers.get(grammar);
  if (!parser) {
    parser = new loaded.Parser();
    parser.setLanguage(loaded.languages.get(grammar)!);
    parsers.set(grammar, parser);
  }
  const tree = parser.parse(text, oldTree ?? null, includedRanges ? { includedRanges } : undefined);
  if (!tree) throw new Error(`tree-sitter could not parse the document as ${grammar}`);
  return tree;
}

/**
 * The parse tree of the document in a detector context, shared by every rule that runs on it. Returns undefined
 * for files that are not JS/TS/Python source, and for source nested deeper than MAX_NESTING_DEPTH (core/depth.ts):
 * the analyses walk trees with recursive helpers, and tree-sitter's `parent` costs a descent from the root, so a
 * 10,000-deep file took minutes and could exhaust the stack. Such a file gets no tree analysis; front ends report it
 * as skipped with `nestingProblem`.
 */
export function treeOf(ctx: DetectContext): TSTree | undefined {
  const g = grammarOfContext(ctx);
  if (!g) return undefined;
  return ctx.memo(`tree:${g}`, () =>
    codeNestingDepth(ctx.text, g === 'python' ? 'python' : 'js') > MAX_NESTING_DEPTH ? undefined : parse(ctx.text, g),
  );
}

/**
 * Hands a detector context a tree parsed elsewhere from exactly its text (the worker's incremental re-parse of an
 * editor document), so that `treeOf` returns it instead of parsing again. The context owns the tree from then on
 * (its `dispose` deletes it). False, leaving the tree to the caller, when the context would not parse with that
 * grammar or would refuse the text as nested too deep (`depthChecked`: the caller knows it does not nest deeper than a
 * text that was checked).
 */
export function adoptTree(
  ctx: DetectContext,
  grammar: Grammar,
  tree: TSTree,
  options: { depthChecked?: boolean } = {},
): boolean {
  if (grammarOfContext(ctx) !== grammar) return false;
  if (!options.depthChecked && codeNestingDepth(ctx.text, grammar === 'python' ? 'python' : 'js') > MAX_NESTING_DEPTH)
    return false;
  return ctx.memo(`tree:${grammar}`, () => tree) === tree;
}

/** The grammar a detector context's document parses with: from its path, else from its kind. */
export function grammarOfContext(ctx: DetectContext): Grammar | undefined {
  return grammarOfFile(ctx.path, ctx.kind);
}

/** The grammar a file of a kind parses with: from its path, else from its kind (an untitled editor document). */
export function grammarOfFile(path: string, kind: FileKind | undefined): Grammar | undefined {
  return grammarFor(path) ?? (kind === 'python' ? 'python' : kind === 'js' ? 'typescript' : undefined);
}

/**
 * The node types that whole-document analyses look up (fact collection, MCP extraction, the rug-pull rule). One
 * traversal per document collects all of them; each query is then a filter in JavaScript. A traversal of a
 * 5,000-line file costs about as much as a tenth of its parse, and the analyses used to make a dozen of them.
 */
const INDEXED_TYPES = [
  // Calls and bindings (sinks/facts.ts, mcp/extractJs.ts, mcp/extractPy.ts). Strings, pairs and objects are far more
  // numerous and only read by keyword-gated rules or when the file has an `inputSchema`: they are not indexed.
  'call_expression',
  'call',
  'new_expression',
  'import_statement',
  'import_from_statement',
  'export_statement',
  'variable_declarator',
  'assignment_expression',
  'assignment',
  'augmented_assignment',
  'augmented_assignment_expression',
  'update_expression',
  'with_item',
  // Declarations and branches (mcp/evalJs.ts, mcp/extractPy.ts, rules/mcp/rugPull.ts).
  'function_declaration',
  'generator_function_declaration',
  'decorated_definition',
  'function_definition',
  'if_statement',
  // Handler bindings and guards (INDEXED in taint/models.ts).
  'for_in_statement',
  'for_statement',
  'elif_clause',
  'assert_statement',
  // Functions, classes and methods (summary/extract.ts functionsOf, capabilities' callables, framework entities, the
  // enclosing-function lookups of ast.ts) and comparisons (the timing-unsafe comparison rules): each was a traversal
  // of its own in most source files, which a large file's editor re-scan paid several times.
  'method_definition',
  'function_expression',
  'function',
  'arrow_function',
  'generator_function',
  'lambda',
  'class_declaration',
  'class_definition',
  'class',
  'binary_expression',
  'comparison_operator',
];
const INDEXED = new Set(INDEXED_TYPES);

/** Whole-document lookup of nodes by type. */
export interface NodeIndex {
  /**
   * The nodes of the given types in the whole document, in document order: exactly what
   * `rootNode.descendantsOfType(types)` returns, without another traversal when every type is indexed.
   */
  of(types: string | readonly string[]): TSNode[];
  /**
   * The nodes of the given types inside `node` (the node itself included), in document order: exactly what
   * `node.descendantsOfType(types)` returns, read from the index by offsets instead of another traversal.
   */
  within(node: TSNode, types: readonly string[]): TSNode[];
  /**
   * `within` for any node types, indexed or not: the first query of a type list collects its nodes in the whole
   * document with one traversal, later ones are answered by offsets. For an analysis that asks about the same types
   * inside each of many nodes (every handler of a large server), which otherwise costs a traversal per node.
   */
  withinAny(node: TSNode, types: readonly string[]): TSNode[];
}

// The index built for each tree, so that whole-tree lookups without a detector context (ast.ts) use it too.
const indexes = new WeakMap<TSNode['tree'], NodeIndex>();

/**
 * The nodes of `types` in the whole tree of `root` when the tree has an index that covers every type (undefined
 * otherwise): exactly what `root.tree.rootNode.descendantsOfType(types)` returns.
 */
export function indexedNodesOf(root: TSNode, types: readonly string[]): TSNode[] | undefined {
  const index = indexes.get(root.tree);
  return index && types.every((t) => INDEXED.has(t)) ? index.of(types) : undefined;
}

/** Builds the index of one tree: a single `descendantsOfType` call over every indexed type. */
export function indexNodes(root: TSNode): NodeIndex {
  const nodes: TSNode[] = [];
  const types: string[] = [];
  const byType = new Map<string, TSNode[]>();
  for (const n of root.descendantsOfType(INDEXED_TYPES)) {
    if (!n) continue;
    const t = n.type;
    nodes.push(n);
    types.push(t);
    const list = byType.get(t);
    if (list) list.push(n);
    else byType.set(t, [n]);
  }
  const select = (list: readonly string[]): TSNode[] => {
    if (list.length === 1) return byType.get(list[0]!) ?? [];
    const set = new Set(list);
    const out: TSNode[] = [];
    for (let i = 0; i < nodes.length; i++) if (set.has(types[i]!)) out.push(nodes[i]!);
    return out;
  };
  // Selections by type list, kept for range queries (nodes in document order have ascending start offsets).
  const selections = new Map<string, TSNode[]>();
  return {
    of(wanted) {
      const list = typeof wanted === 'string' ? [wanted] : wanted;
      // A type outside the index is answered by tree-sitter itself, so a new query is never silently empty.
      if (!list.every((t) => INDEXED.has(t))) return root.descendantsOfType([...list]).filter((n): n is TSNode => !!n);
      return [...select(list)];
    },
    within(node, list) {
      if (!list.every((t) => INDEXED.has(t))) return node.descendantsOfType([...list]).filter((n): n is TSNode => !!n);
      const key = list.join(',');
      let all = selections.get(key);
      if (!all) {
        all = select(list);
        selections.set(key, all);
      }
      return inRange(all, node);
    },
    withinAny(node, list) {
      const indexed = list.every((t) => INDEXED.has(t));
      const key = indexed ? list.join(',') : `*${list.join(',')}`;
      let all = selections.get(key);
      if (!all) {
        all = indexed ? select(list) : root.descendantsOfType([...list]).filter((n): n is TSNode => !!n);
        selections.set(key, all);
      }
      return inRange(all, node);
    },
  };
}

/**
 * The nodes of `all` (nodes of some types in the whole document, in document order) inside `node`, the node itself
 * included: exactly what `node.descendantsOfType` of those types returns.
 */
function inRange(all: readonly TSNode[], node: TSNode): TSNode[] {
  const start = node.startIndex;
  const end = node.endIndex;
  // First node starting at or after `start` (binary search), then every node starting inside the span.
  let lo = 0;
  let hi = all.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (all[mid]!.startIndex < start) lo = mid + 1;
    else hi = mid;
  }
  const out: TSNode[] = [];
  for (let i = lo; i < all.length && all[i]!.startIndex <= end; i++) {
    const n = all[i]!;
    const e = n.endIndex;
    if (e > end) continue; // an ancestor that starts where `node` starts
    // The same span as `node` (the node itself, a descendant or an ancestor), or an empty node at its end (a
    // descendant or a following node): decided by ancestry, which only these rare cases need.
    const sameSpan = n.startIndex === start && e === end;
    if ((sameSpan || n.startIndex === end) && n.id !== node.id && !isAncestor(node, n)) continue;
    out.push(n);
  }
  return out;
}

/** True when `a` is a proper ancestor of `d` (walks up from `d` while the span stays inside `a`'s). */
function isAncestor(a: TSNode, d: TSNode): boolean {
  for (let p = d.parent; p && p.startIndex >= a.startIndex && p.endIndex <= a.endIndex; p = p.parent)
    if (p.id === a.id) return true;
  return false;
}

/** The node index of the document in a detector context, shared by every rule (undefined for non-source files). */
export function nodeIndexOf(ctx: DetectContext): NodeIndex | undefined {
  const tree = treeOf(ctx);
  if (!tree) return undefined;
  return ctx.memo(`nodes:${grammarOfContext(ctx)}`, () => {
    const index = indexNodes(tree.rootNode);
    indexes.set(tree, index);
    return index;
  });
}
